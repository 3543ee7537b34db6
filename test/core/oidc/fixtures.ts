/**
 * Keys, claims and hand-built tokens for the OIDC verifier tests. Tokens that jose refuses to build (alg none,
 * HMAC with a public key, crit, duplicate header names) are assembled here from JSON text and signed with
 * node:crypto, so every byte of an attack token is visible in the test that uses it.
 */
import { constants, createHmac, generateKeyPairSync, KeyObject, sign } from "node:crypto";
import type { JWK } from "jose";
import { generateKeyPair } from "jose";
import type { SigningAlgorithm } from "../../../src/core/oidc/algorithms.js";
import { generateSigningKey, publicJwkOf } from "../../../src/core/oidc/signingKeys.js";
import { type VerifyTokenOptions, verifyToken } from "../../../src/core/oidc/verifyToken.js";

export const ISSUER = "https://idp.example.test";
export const CLIENT_ID = "fedsim-client";
export const NOW = new Date("2025-06-01T12:00:00.000Z");
export const NOW_SECONDS = NOW.getTime() / 1000;

export const rs256 = await generateSigningKey("RS256");
export const ps256 = await generateSigningKey("PS256");
export const es256 = await generateSigningKey("ES256");
/** The attacker's own key pair: never published in the issuer's JWKS. */
export const rogue = await generateSigningKey("RS256");

export const JWKS = { keys: [rs256.publicJwk, ps256.publicJwk, es256.publicJwk] };

/** The claims of a fresh token for CLIENT_ID from ISSUER, issued at NOW for an hour. */
export function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: ISSUER,
    sub: "alice",
    aud: CLIENT_ID,
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 3600,
    ...overrides,
  };
}

export function verify(token: string, options: Partial<VerifyTokenOptions> = {}) {
  return verifyToken(token, {
    jwks: JWKS,
    issuer: ISSUER,
    audience: { oneOf: [CLIENT_ID] },
    now: NOW,
    ...options,
  });
}

export const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64url");

/**
 * A compact JWS from header and payload given as JSON text (or objects), signed the way `alg` says with `key`,
 * or with `signature` as given. JSON text lets a test send what JSON.stringify cannot write (duplicate names).
 */
export function handmade(
  header: string | Record<string, unknown>,
  payload: string | Record<string, unknown>,
  key: Signer | undefined,
  signature?: string,
): string {
  const text = (part: string | Record<string, unknown>) =>
    typeof part === "string" ? part : JSON.stringify(part);
  const input = `${b64(text(header))}.${b64(text(payload))}`;
  return `${input}.${signature ?? (key ? b64(rawSignature(key.alg, key.privateKey, input)) : "")}`;
}

/** What handmade signs with: a SigningKey, or any private key with the alg it signs for. */
export type Signer = { alg: SigningAlgorithm; privateKey: CryptoKey | KeyObject };

/** A token signed by `key` with the header alg and kid that key publishes, plus any extra header members. */
export function signedBy(
  key: Signer & { kid: string },
  payload = claims(),
  extraHeader: Record<string, unknown> = {},
): string {
  return handmade({ alg: key.alg, kid: key.kid, typ: "JWT", ...extraHeader }, payload, key);
}

export function hmacToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | Buffer,
) {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

function rawSignature(alg: SigningAlgorithm, privateKey: CryptoKey | KeyObject, input: string): Buffer {
  const key = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith("RS")) return sign(hash, Buffer.from(input), key);
  if (alg.startsWith("PS")) {
    return sign(hash, Buffer.from(input), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: Number(alg.slice(2)) / 8,
    });
  }
  return sign(hash, Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
}

/** An RS256 key of `bits` bits published under `kid` (jose generates 2048 at least, so node:crypto is used). */
export function rsaKeyOfSize(bits: number, kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  const publicJwk: JWK = { ...(publicKey.export({ format: "jwk" }) as JWK), kid };
  return { alg: "RS256" as const, kid, privateKey, publicJwk };
}

/** A fresh EC key of another curve than its algorithm expects. */
export async function p384JwkUnder(kid: string): Promise<JWK> {
  const { publicKey } = await generateKeyPair("ES384", { extractable: true });
  return { ...(await publicJwkOf(publicKey, "ES384")), kid };
}
