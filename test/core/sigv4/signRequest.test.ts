/** fedsim's own signer (for fedsim curl and the test kit) signs exactly as @smithy/signature-v4 does. */
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../../../src/core/sigv4/parseAuthorization.js";
import { signRequest } from "../../../src/core/sigv4/signRequest.js";
import { verifySignature } from "../../../src/core/sigv4/verifySignature.js";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-example",
};
const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));

describe("signRequest", () => {
  it.each([
    ["a GET with a query", "GET", "/restapis/a1/prod/_user_request_/pets", "limit=5&type=dog", ""],
    ["a POST with a JSON body", "POST", "/prod/pets", "", '{"name":"Rex","type":"dog","price":12}'],
    ["a path with encoded characters", "GET", "/prod/pets/caf%C3%A9%20au%20lait", "", ""],
  ])("signs %s as smithy does", async (_name, method, path, query, body) => {
    const headers = { host: "a1.execute-api.localhost:4566", "content-type": "application/json" };
    const ours = signRequest({ method, path, query, headers, body }, credentials, {
      region: "eu-west-1",
      service: "execute-api",
      now: NOW,
    });
    const smithy = await new SignatureV4({
      credentials,
      region: "eu-west-1",
      service: "execute-api",
      sha256: Sha256,
      applyChecksum: true,
    }).sign(
      new HttpRequest({
        method,
        hostname: "a1.execute-api.localhost",
        port: 4566,
        // As the SDKs hold it: the path as it goes on the wire, percent-encoded.
        path,
        query: Object.fromEntries(new URLSearchParams(query)),
        headers: { ...headers },
        body,
      }),
      { signingDate: NOW },
    );
    expect(ours.authorization).toBe(smithy.headers.authorization);
  });

  it("produces a request fedsim's verifier accepts, and refuses once the body changes", () => {
    const request = { method: "POST", path: "/prod/pets", query: "", headers: { host: "x" }, body: "{}" };
    const headers = signRequest(request, credentials, {
      region: "us-east-1",
      service: "execute-api",
      now: NOW,
    });
    const wire = {
      method: "POST",
      path: "/prod/pets",
      query: "",
      rawHeaders: Object.entries(headers).flat(),
    };
    const auth = parseAuthorization(wire)!;
    const verify = (payloadHash: string) =>
      verifySignature(wire, auth, { secretAccessKey: credentials.secretAccessKey, payloadHash, now: NOW });
    expect(() => verify(headers["x-amz-content-sha256"]!)).not.toThrow();
    expect(() => verify("0".repeat(64))).toThrow(/signature we calculated does not match/);
  });
});
