/**
 * Why a token was refused: a small closed set the service layer maps to AWS codes (ExpiredTokenException for
 * "expired", InvalidIdentityToken for the rest), and one sentence saying what is wrong and what to do.
 */
export type TokenRefusalReason =
  /** Longer than STS's 20,000 characters, or a header segment over MAX_HEADER_CHARS. */
  | "too-large"
  /** Not a JWS compact serialization of two JSON objects, or a claim of the wrong type. */
  | "malformed"
  /** A JWE, a nested JWT, or a header fedsim does not implement (crit, b64, zip). */
  | "unsupported"
  /** alg is none, HMAC, or not on the allow-list. */
  | "algorithm"
  /** No published key has the token's kid (or, with no kid, not exactly one key fits). */
  | "unknown-kid"
  /** The key under the token's kid cannot verify the token's alg (type, curve, use, alg, size). */
  | "key-type"
  /** The issuer's JWKS itself is unusable for this token (duplicate kid, a key that will not import). */
  | "jwks"
  | "signature"
  | "issuer"
  | "audience"
  | "expired"
  | "not-yet-valid"
  | "issued-in-future";

export interface TokenRefusal {
  ok: false;
  reason: TokenRefusalReason;
  message: string;
}

export function refuse(reason: TokenRefusalReason, message: string): TokenRefusal {
  return { ok: false, reason, message };
}

/** Client text in a message, cut short so a huge value cannot fill a log line. */
export function printable(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
