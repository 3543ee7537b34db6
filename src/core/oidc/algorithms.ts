/**
 * The signature algorithms fedsim accepts on a web identity token: RSA (PKCS#1 v1.5 and PSS) and ECDSA.
 * `none` is refused because it is no signature at all; every HMAC algorithm because its key is a shared
 * secret, and the only keys fedsim holds for an issuer are public (a verifier that lets a JWKS key serve as an
 * HMAC secret lets anyone who read the JWKS forge tokens).
 */
import { printable } from "./refusal.js";

export const SIGNING_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
] as const;

export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const ACCEPTED: ReadonlySet<string> = new Set(SIGNING_ALGORITHMS);

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return typeof value === "string" && ACCEPTED.has(value);
}

/** The JWK a key must be to verify `alg`: its kty and, for ECDSA, its curve. */
export function keyTypeFor(alg: SigningAlgorithm): { kty: "RSA" } | { kty: "EC"; crv: string } {
  switch (alg) {
    case "ES256":
      return { kty: "EC", crv: "P-256" };
    case "ES384":
      return { kty: "EC", crv: "P-384" };
    case "ES512":
      return { kty: "EC", crv: "P-521" };
    default:
      return { kty: "RSA" };
  }
}

/** Why a header `alg` is refused, as a sentence; undefined when it is accepted. */
export function algorithmProblem(alg: unknown): string | undefined {
  if (isSigningAlgorithm(alg)) return undefined;
  if (typeof alg !== "string" || alg === "") return 'The token header has no "alg" string.';
  if (alg.toLowerCase() === "none") {
    return `The token header says alg "${alg}", an unsigned token, which is never accepted.`;
  }
  if (/^HS\d+$/i.test(alg)) {
    return `The token header says alg "${alg}", an HMAC algorithm, which is refused because the issuer's keys are public and must never serve as an HMAC secret.`;
  }
  return `The token header says alg "${printable(alg)}", which is not accepted; sign with one of ${SIGNING_ALGORITHMS.join(", ")}.`;
}
