import { describe, expect, it } from "vitest";
import { readToken } from "../../../src/core/oidc/readToken.js";
import { claims, rogue, signedBy } from "./fixtures.js";

describe("readToken", () => {
  it("reads the issuer of a token before any key is known, so the caller can pick the provider", () => {
    // Signed by a key nobody published: reading is not verifying.
    const read = readToken(signedBy(rogue, claims({ iss: "https://token.actions.githubusercontent.com" })));
    expect(read.ok && [read.header.alg, read.payload.iss]).toEqual([
      "RS256",
      "https://token.actions.githubusercontent.com",
    ]);
  });

  it("reads a token of exactly 20,000 characters and refuses one of 20,001", () => {
    expect(readToken(tokenOfLength(20_000)).ok).toBe(true);
    expect(readToken(tokenOfLength(20_001))).toEqual({
      ok: false,
      reason: "too-large",
      message: "The token is 20001 characters long; web identity tokens are limited to 20000.",
    });
  });
});

/** A token of `length` characters, its signature part stretched (readToken does not check signatures). */
function tokenOfLength(length: number): string {
  for (let pad = 0; ; pad++) {
    const [header, payload] = signedBy(rogue, claims({ pad: "x".repeat(pad) })).split(".") as [
      string,
      string,
    ];
    const signatureLength = length - header.length - payload.length - 2;
    // A base64url text of length 4k + 1 is never valid, so take the next pad instead.
    if (signatureLength % 4 !== 1) return `${header}.${payload}.${"A".repeat(signatureLength)}`;
  }
}
