/**
 * The choices a caller of the verifier makes (which regions a service answers for, how long a presigned
 * request lives), the time format, and header bytes: each shown with requests signed by @smithy/signature-v4.
 */
import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { parseAmzDate } from "../../../src/core/sigv4/amzDate.js";
import { canonicalHeaders } from "../../../src/core/sigv4/canonicalHeaders.js";
import { parseAuthorization } from "../../../src/core/sigv4/parseAuthorization.js";
import type { SignableRequest } from "../../../src/core/sigv4/types.js";
import {
  isRegionName,
  type VerifyOptions,
  verifySignature,
} from "../../../src/core/sigv4/verifySignature.js";
import { isAwsError } from "../../../src/errors.js";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const NOW = new Date(Date.UTC(2026, 10, 25, 12, 0, 0));
const EMPTY = createHash("sha256").update("").digest("hex");
const MINUTE = 60_000;

function signer(region = "us-east-1") {
  return new SignatureV4({ credentials, region, service: "sts", sha256: Sha256, applyChecksum: false });
}

function request(headers: Record<string, string> = {}, query: Record<string, string> = {}) {
  return new HttpRequest({
    method: "GET",
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4566,
    path: "/",
    query: { Action: "GetCallerIdentity", ...query },
    headers: { host: "127.0.0.1:4566", ...headers },
  });
}

/** The signed request as Node hands it over: raw query, header values as latin1 byte strings. */
function wire(signed: {
  method: string;
  path: string;
  query?: unknown;
  headers: Record<string, string>;
}): SignableRequest {
  return {
    method: signed.method,
    path: signed.path,
    query: new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, "%20"),
    rawHeaders: Object.entries(signed.headers).flatMap(([k, v]) => [
      k,
      Buffer.from(v, "utf8").toString("latin1"),
    ]),
  };
}

function outcome(req: SignableRequest, options: Partial<VerifyOptions> = {}): string {
  try {
    verifySignature(req, parseAuthorization(req)!, {
      secretAccessKey: credentials.secretAccessKey,
      payloadHash: EMPTY,
      now: NOW,
      expectedService: "sts",
      ...options,
    });
    return "ok";
  } catch (error) {
    if (isAwsError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
}

const presign = async (expiresIn: number) =>
  wire(await signer().presign(request(), { signingDate: NOW, expiresIn }));

describe("presigned lifetime", () => {
  it("by default honours X-Amz-Expires, as S3 does", async () => {
    const req = await presign(60);
    expect(outcome(req, { now: new Date(NOW.getTime() + 60_000) })).toBe("ok");
    expect(outcome(req, { now: new Date(NOW.getTime() + 61_000) })).toBe(
      "RequestExpired: Request has expired.",
    );
  });

  it("with clock-skew, ignores X-Amz-Expires and allows 15 minutes either side of X-Amz-Date, as STS does", async () => {
    const short = await presign(60);
    const week = await presign(604_800);
    const at = (ms: number) => ({
      now: new Date(NOW.getTime() + ms),
      presignedLifetime: "clock-skew" as const,
    });
    expect(outcome(short, at(5 * MINUTE))).toBe("ok");
    expect(outcome(short, at(15 * MINUTE))).toBe("ok");
    expect(outcome(short, at(-15 * MINUTE))).toBe("ok");
    expect(outcome(week, at(16 * MINUTE))).toBe(
      "SignatureDoesNotMatch: Signature expired: 20261125T120000Z is now earlier than 20261125T120100Z (20261125T121600Z - 15 min.)",
    );
    expect(outcome(week, at(-16 * MINUTE))).toBe(
      "SignatureDoesNotMatch: Signature not yet current: 20261125T120000Z is still later than 20261125T115900Z (20261125T114400Z + 15 min.)",
    );
  });
});

describe("credential scope region", () => {
  it("knows region names from every partition, and nothing else", () => {
    for (const r of [
      "us-east-1",
      "eu-central-2",
      "ap-southeast-4",
      "us-gov-west-1",
      "cn-north-1",
      "us-isob-east-1",
    ])
      expect(isRegionName(r), r).toBe(true);
    for (const r of [
      "",
      "us-east",
      "US-EAST-1",
      "us_east_1",
      "us-east-1 ",
      "global",
      "aws-global",
      "us-east-123",
    ])
      expect(isRegionName(r), r).toBe(false);
  });

  it("accepts any well-formed region unless the caller narrows it", async () => {
    const req = wire(await signer("eu-west-1").sign(request(), { signingDate: NOW }));
    expect(outcome(req)).toBe("ok");
    expect(outcome(req, { acceptsRegion: (r) => r === "us-east-1" })).toBe(
      "SignatureDoesNotMatch: Credential should be scoped to a valid region, not 'eu-west-1'. ",
    );
  });

  it("refuses a region that is not a region name", async () => {
    const req = wire(await signer("moon").sign(request(), { signingDate: NOW }));
    expect(outcome(req)).toBe(
      "SignatureDoesNotMatch: Credential should be scoped to a valid region, not 'moon'. ",
    );
  });
});

describe("X-Amz-Date", () => {
  it("parses real times and refuses ones Date.UTC would roll over", () => {
    expect(parseAmzDate("20261125T120000Z")).toBe(NOW.getTime());
    expect(parseAmzDate("20240229T235959Z")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    for (const bad of [
      "20261399T990000Z",
      "20260230T000000Z",
      "20261125T240000Z",
      "20261125T126000Z",
      "20230229T000000Z",
      "00001125T120000Z",
    ])
      expect(parseAmzDate(bad), bad).toBeNaN();
  });
});

describe("header bytes", () => {
  it("canonicalises a header value as the bytes received, trimming only ASCII whitespace", () => {
    // "à" is C3 A0 in UTF-8: its second byte is NBSP in latin1, which must not be trimmed or collapsed.
    const bytes = (text: string) => Buffer.from(text, "utf8").toString("latin1");
    expect(canonicalHeaders(["X-Meta", bytes("  voilà  \t ça  ")], ["x-meta"])).toBe(
      `x-meta:${bytes("voilà ça")}\n`,
    );
    // A value that is not a byte string (characters above U+00FF) is taken as text and encoded as UTF-8.
    expect(canonicalHeaders(["x-meta", "☕"], ["x-meta"])).toBe(`x-meta:${bytes("☕")}\n`);
  });

  it("verifies a UTF-8 header value smithy signed", async () => {
    const req = wire(
      await signer().sign(request({ "x-amz-meta-name": "café à la ☕" }), { signingDate: NOW }),
    );
    expect(outcome(req)).toBe("ok");
  });
});

describe("unsigned payloads", () => {
  const presignUnsigned = async () =>
    wire(
      // smithy signs UNSIGNED-PAYLOAD for a body it cannot hash (a stream), without saying so in the URL.
      await signer().presign(Object.assign(request(), { body: { stream: true } }), {
        signingDate: NOW,
        expiresIn: 60,
      }),
    );

  it("with allowUnsignedPayload, accepts a presigned request signed over UNSIGNED-PAYLOAD, as S3 does", async () => {
    expect(outcome(await presignUnsigned(), { allowUnsignedPayload: true })).toBe("ok");
  });

  it("by default takes only the body's hash, failing closed as STS, IAM and every service but S3 do", async () => {
    const mismatch =
      "SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    expect(outcome(await presignUnsigned())).toBe(mismatch);
    expect(outcome(await presignUnsigned(), { allowUnsignedPayload: false })).toBe(mismatch);
    const declared = wire(
      await signer().presign(request({ "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD" }), {
        signingDate: NOW,
        expiresIn: 60,
      }),
    );
    expect(outcome(declared, { allowUnsignedPayload: true })).toBe("ok");
    expect(outcome(declared)).toBe(mismatch);
    // A body hash that was signed still verifies.
    const hashed = wire(await signer().presign(request(), { signingDate: NOW, expiresIn: 60 }));
    expect(outcome(hashed, { allowUnsignedPayload: false })).toBe("ok");
  });
});
