import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 §4.1/§4.2: a verifier or an S256 challenge is 43-128 characters of [A-Z a-z 0-9 - . _ ~]. */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

export function isPkceValue(value: string): boolean {
  return PKCE_VALUE.test(value);
}

/** Whether `verifier` is the one whose S256 challenge (BASE64URL(SHA256(verifier))) was sent at /authorize. */
export function pkceS256Matches(verifier: string, challenge: string): boolean {
  if (!isPkceValue(verifier) || !isPkceValue(challenge)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
