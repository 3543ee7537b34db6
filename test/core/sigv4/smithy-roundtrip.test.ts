/**
 * Requests signed by the real @smithy/signature-v4 (what every AWS SDK for JavaScript uses) verify with
 * fedsim's verifier as a Node server sees them on the wire, and each kind of tampering is rejected with the
 * AWS error code and message.
 */
import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAuthorization } from "../../../src/core/sigv4/parseAuthorization.js";
import type { SignableRequest } from "../../../src/core/sigv4/types.js";
import { SIGNATURE_MISMATCH, verifySignature } from "../../../src/core/sigv4/verifySignature.js";
import { isAwsError } from "../../../src/errors.js";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
const signer = (service = "sts", creds: typeof credentials & { sessionToken?: string } = credentials) =>
  new SignatureV4({ credentials: creds, region: "us-east-1", service, sha256: Sha256, applyChecksum: false });

interface Wire {
  request: SignableRequest;
  body: string;
}

/** How the signed request looks to a Node server: the path and query exactly as sent, raw headers. */
function onTheWire(
  signed: {
    method: string;
    path: string;
    query?: Record<string, string | string[] | null>;
    headers: Record<string, string>;
  },
  body = "",
): Wire {
  const query = Object.entries(signed.query ?? {})
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map(
        (x) => `${encodeURIComponent(k)}=${encodeURIComponent(String(x ?? ""))}`,
      ),
    )
    .join("&");
  return {
    request: {
      method: signed.method,
      path: signed.path,
      query,
      rawHeaders: Object.entries(signed.headers).flat(),
    },
    body,
  };
}

const hash = (body: string) => createHash("sha256").update(body).digest("hex");

function verify(
  wire: Wire,
  options: { now?: Date; secret?: string; service?: string; payloadHash?: string } = {},
): void {
  const auth = parseAuthorization(wire.request);
  if (!auth) throw new Error("no auth");
  const payloadHash =
    options.payloadHash ??
    (auth.contentSha256 === "UNSIGNED-PAYLOAD"
      ? "UNSIGNED-PAYLOAD"
      : (auth.contentSha256 ?? hash(wire.body)));
  verifySignature(wire.request, auth, {
    secretAccessKey: options.secret ?? credentials.secretAccessKey,
    payloadHash,
    now: options.now ?? NOW,
    expectedService: options.service ?? "sts",
  });
}

function rejection(fn: () => void): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAwsError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a rejection");
}

async function signedPost(body: string, headers: Record<string, string> = {}, s = signer()): Promise<Wire> {
  const request = new HttpRequest({
    method: "POST",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/",
    headers: {
      host: "127.0.0.1:4566",
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      ...headers,
    },
    body,
  });
  return onTheWire(await s.sign(request, { signingDate: NOW }), body);
}

const FORM = "Action=GetCallerIdentity&Version=2011-06-15";

describe("requests signed by @smithy/signature-v4", () => {
  it("verifies a header-signed form POST", async () => {
    verify(await signedPost(FORM));
  });

  it("verifies a GET whose path and query hold spaces, unicode and reserved characters", async () => {
    const signed = await signer("execute-api").sign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: 4566,
        path: "/prod/pets/fluffy%20%E1%88%B4",
        query: { q: "a b+c/ሴ", tag: ["x", "y"] },
        headers: { host: "127.0.0.1:4566" },
      }),
      { signingDate: NOW },
    );
    verify(onTheWire(signed), { service: "execute-api" });
  });

  it("verifies a session-token request and an UNSIGNED-PAYLOAD request", async () => {
    verify(
      await signedPost(FORM, {}, signer("sts", { ...credentials, sessionToken: "session-token-value" })),
    );
    verify(await signedPost(FORM, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }));
  });

  it("verifies presigned URLs, with and without a session token", async () => {
    for (const s of [signer(), signer("sts", { ...credentials, sessionToken: "tok" })]) {
      const presigned = await s.presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname: "127.0.0.1",
          port: 4566,
          path: "/",
          query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
          headers: { host: "127.0.0.1:4566" },
        }),
        { signingDate: NOW, expiresIn: 60 },
      );
      const wire = onTheWire(presigned);
      expect(parseAuthorization(wire.request)?.kind).toBe("presigned");
      verify(wire, { payloadHash: hash("") });
    }
  });

  it("rejects a body changed after signing", async () => {
    const wire = await signedPost(FORM);
    expect(rejection(() => verify({ ...wire, body: `${FORM}&x=1` }))).toEqual({
      code: "SignatureDoesNotMatch",
      message: SIGNATURE_MISMATCH,
    });
  });

  it("rejects a signed header changed after signing", async () => {
    const wire = await signedPost(FORM);
    const rawHeaders = wire.request.rawHeaders.map((v, i, all) =>
      i % 2 === 1 && all[i - 1] === "content-type" ? "text/plain" : v,
    );
    expect(rejection(() => verify({ ...wire, request: { ...wire.request, rawHeaders } })).code).toBe(
      "SignatureDoesNotMatch",
    );
  });

  it("rejects a query changed after signing", async () => {
    const presigned = onTheWire(
      await signer().presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname: "127.0.0.1",
          port: 4566,
          path: "/",
          query: { Action: "GetCallerIdentity" },
          headers: { host: "127.0.0.1:4566" },
        }),
        { signingDate: NOW, expiresIn: 60 },
      ),
    );
    const tampered = {
      ...presigned,
      request: {
        ...presigned.request,
        query: presigned.request.query.replace("GetCallerIdentity", "GetSessionToken"),
      },
    };
    expect(rejection(() => verify(tampered, { payloadHash: hash("") })).code).toBe("SignatureDoesNotMatch");
  });

  it("rejects the wrong secret", async () => {
    const wire = await signedPost(FORM);
    expect(rejection(() => verify(wire, { secret: "x".repeat(40) })).code).toBe("SignatureDoesNotMatch");
  });

  it("rejects a request signed more than 15 minutes ago, in AWS's words", async () => {
    const wire = await signedPost(FORM);
    expect(rejection(() => verify(wire, { now: new Date(NOW.getTime() + 16 * 60_000) }))).toEqual({
      code: "SignatureDoesNotMatch",
      message:
        "Signature expired: 20261125T120000Z is now earlier than 20261125T120100Z (20261125T121600Z - 15 min.)",
    });
  });

  it("rejects a request signed more than 15 minutes in the future, in AWS's words", async () => {
    const wire = await signedPost(FORM);
    expect(rejection(() => verify(wire, { now: new Date(NOW.getTime() - 16 * 60_000) }))).toEqual({
      code: "SignatureDoesNotMatch",
      message:
        "Signature not yet current: 20261125T120000Z is still later than 20261125T115900Z (20261125T114400Z + 15 min.)",
    });
  });

  it("rejects an expired presigned URL", async () => {
    const wire = onTheWire(
      await signer().presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname: "127.0.0.1",
          port: 4566,
          path: "/",
          query: { Action: "GetCallerIdentity" },
          headers: { host: "127.0.0.1:4566" },
        }),
        { signingDate: NOW, expiresIn: 60 },
      ),
    );
    expect(
      rejection(() => verify(wire, { now: new Date(NOW.getTime() + 61_000), payloadHash: hash("") })),
    ).toEqual({ code: "RequestExpired", message: "Request has expired." });
  });

  it("rejects a credential scoped to another service", async () => {
    const wire = await signedPost(FORM, {}, signer("iam"));
    expect(rejection(() => verify(wire))).toEqual({
      code: "SignatureDoesNotMatch",
      message: "Credential should be scoped to correct service: 'sts'. ",
    });
  });

  it("rejects a scope date that is not the signing date", async () => {
    const wire = await signedPost(FORM);
    const rawHeaders = wire.request.rawHeaders.map((v, i, all) =>
      i % 2 === 1 && all[i - 1] === "authorization" ? v.replace("/20261125/", "/20261124/") : v,
    );
    expect(rejection(() => verify({ ...wire, request: { ...wire.request, rawHeaders } })).message).toMatch(
      /^Date in Credential scope does not match YYYYMMDD/,
    );
  });

  it("rejects a signature that does not cover host", async () => {
    const wire = await signedPost(FORM);
    const rawHeaders = wire.request.rawHeaders.map((v, i, all) =>
      i % 2 === 1 && all[i - 1] === "authorization"
        ? v.replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;")
        : v,
    );
    expect(rejection(() => verify({ ...wire, request: { ...wire.request, rawHeaders } })).message).toBe(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  it("rejects a signed header the request no longer carries", async () => {
    const wire = await signedPost(FORM, { "x-custom": "1" });
    const rawHeaders: string[] = [];
    for (let i = 0; i < wire.request.rawHeaders.length; i += 2) {
      if (wire.request.rawHeaders[i] !== "x-custom")
        rawHeaders.push(wire.request.rawHeaders[i]!, wire.request.rawHeaders[i + 1]!);
    }
    expect(rejection(() => verify({ ...wire, request: { ...wire.request, rawHeaders } })).code).toBe(
      "SignatureDoesNotMatch",
    );
  });

  it.each([
    [
      "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc",
      "Authorization header requires 'Credential' parameter.",
    ],
    [
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/sts/aws4_request, Signature=abc",
      "Authorization header requires 'SignedHeaders' parameter.",
    ],
    [
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/sts/aws4_request, SignedHeaders=host",
      "Authorization header requires 'Signature' parameter.",
    ],
    ["AWS4-HMAC-SHA512 Credential=x", "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."],
    [
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/sts, SignedHeaders=host, Signature=abc",
      "Credential must have exactly 5 slash-delimited elements",
    ],
  ])("rejects a malformed Authorization header: %s", (authorization, message) => {
    const request: SignableRequest = {
      method: "POST",
      path: "/",
      query: "",
      rawHeaders: ["host", "x", "x-amz-date", "20261125T120000Z", "authorization", authorization],
    };
    const error = rejection(() => parseAuthorization(request));
    expect(error.code).toBe("IncompleteSignature");
    expect(error.message).toContain(message);
  });

  it("verifies any request smithy signs, and rejects it after any single change (property)", async () => {
    const segment = fc.string({
      unit: fc.constantFrom(..."abcXYZ019-_.~ %/ሴ+=&"),
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        fc.array(
          segment.filter((s) => !s.includes("/") && !s.includes("%")),
          { minLength: 0, maxLength: 3 },
        ),
        fc.dictionary(fc.constantFrom("a", "b", "Key", "x-y"), segment, { maxKeys: 3 }),
        fc.dictionary(
          fc.constantFrom("x-amz-meta-a", "x-custom", "accept"),
          fc.string({ unit: fc.constantFrom(..."ab 1-"), minLength: 1, maxLength: 6 }),
          { maxKeys: 2 },
        ),
        fc.string({ maxLength: 40 }),
        fc.constantFrom("query", "header", "body", "method"),
        async (method, segments, query, headers, body, mutate) => {
          const path = `/${segments.map(encodeURIComponent).join("/")}`;
          const signed = await signer("execute-api").sign(
            new HttpRequest({
              method,
              protocol: "http:",
              hostname: "127.0.0.1",
              port: 4566,
              path,
              query,
              headers: { host: "127.0.0.1:4566", ...headers },
              body,
            }),
            { signingDate: NOW },
          );
          const wire = onTheWire(signed, body);
          verify(wire, { service: "execute-api" });
          const changed: Wire =
            mutate === "query"
              ? {
                  ...wire,
                  request: {
                    ...wire.request,
                    query: `${wire.request.query}${wire.request.query ? "&" : ""}extra=1`,
                  },
                }
              : mutate === "header"
                ? {
                    ...wire,
                    request: {
                      ...wire.request,
                      rawHeaders: wire.request.rawHeaders.map((v, i, all) =>
                        i % 2 === 1 && all[i - 1] === "host" ? "evil.example" : v,
                      ),
                    },
                  }
                : mutate === "body"
                  ? { ...wire, body: `${body}!` }
                  : { ...wire, request: { ...wire.request, method: method === "GET" ? "POST" : "GET" } };
          expect(rejection(() => verify(changed, { service: "execute-api" })).code).toBe(
            "SignatureDoesNotMatch",
          );
        },
      ),
      { numRuns: 200, seed: 42 },
    );
  });
});
