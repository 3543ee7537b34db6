import { type AudienceRule, checkClaims, type TokenClaims } from "./claims.js";
import { jose } from "./jose.js";
import { type JsonWebKeySet, selectKey } from "./jwks.js";
import { DEFAULT_CLOCK_SKEW_SECONDS } from "./limits.js";
import { readToken, type TokenHeader } from "./readToken.js";
import { printable, refuse, type TokenRefusal } from "./refusal.js";

export interface VerifyTokenOptions {
  /** The issuer's JWKS as its adapter fetched it; the same object each call lets imported keys be reused. */
  jwks: JsonWebKeySet;
  /** The `iss` the token must carry, exactly. */
  issuer: string;
  audience: AudienceRule;
  now: Date;
  /** Allowed on exp, nbf and iat either way; default DEFAULT_CLOCK_SKEW_SECONDS (60). */
  clockSkewSeconds?: number;
  /**
   * What readToken gave for this token, when the caller already read it (to find its issuer): used only if
   * `token` is the very string verified, so the header and payload checked are those the signature covers.
   */
  alreadyRead?: { token: string; header: TokenHeader; payload: Record<string, unknown> };
}

export interface VerifiedToken {
  ok: true;
  header: TokenHeader;
  claims: TokenClaims;
  /** `aud` as a list. */
  audiences: string[];
  /** The audience that matched `oneOf`; undefined when the rule was `checkedByCaller`. */
  matchedAudience: string | undefined;
}

export type VerifyTokenResult = VerifiedToken | TokenRefusal;

/**
 * Verifies a web identity token the way STS's AssumeRoleWithWebIdentity must: shape and size first, then the
 * key its header names, the signature, and only then the claims, so nothing unsigned decides anything.
 * A bad token resolves to a refusal; only a caller's mistake (bad options) throws, as TypeError.
 */
export async function verifyToken(token: string, options: VerifyTokenOptions): Promise<VerifyTokenResult> {
  const clockSkewSeconds = checkOptions(options);
  // Reading twice (the caller's, to find the issuer, and this) was a twentieth of an AssumeRoleWithWebIdentity.
  const given = options.alreadyRead;
  const read = given?.token === token ? { ok: true as const, ...given } : readToken(token);
  if (!read.ok) return read;
  const { header, payload } = read;
  const selected = await selectKey(options.jwks, header.alg, header.kid);
  if (!selected.ok) return selected;
  const signature = await verifySignature(token, selected.key, header);
  if (signature) return signature;
  const checked = checkClaims(payload, {
    issuer: options.issuer,
    audience: options.audience,
    now: options.now,
    clockSkewSeconds,
  });
  if (!checked.ok) return checked;
  const { claims, audiences, matchedAudience } = checked;
  return { ok: true, header, claims, audiences, matchedAudience };
}

/**
 * Tokens whose signature has verified, per imported key. A signature is a pure function of the token's bytes
 * and the key, so the same string under the same key object verifies the same way again: an app re-sending
 * one ID token (every GetCredentialsForIdentity of a signed-in user) is spared an RSA verification, which was
 * a sixth of such a call. Only the signature is remembered; the key is still selected from the issuer's
 * current JWKS (a rotated key is a new object, with an empty set) and every claim, expiry included, is checked
 * on every call. Bounded per key: when full it starts afresh.
 */
const verifiedSignatures = new WeakMap<CryptoKey, Set<string>>();
const MAX_REMEMBERED_PER_KEY = 10_000;

async function verifySignature(
  token: string,
  key: CryptoKey,
  header: TokenHeader,
): Promise<TokenRefusal | undefined> {
  let verified = verifiedSignatures.get(key);
  if (verified?.has(token)) return undefined;
  try {
    const { compactVerify } = await jose();
    await compactVerify(token, key, { algorithms: [header.alg] });
    if (!verified) {
      verified = new Set();
      verifiedSignatures.set(key, verified);
    }
    if (verified.size >= MAX_REMEMBERED_PER_KEY) verified.clear();
    verified.add(token);
    return undefined;
  } catch (cause) {
    const { errors } = await jose();
    const which =
      header.kid === undefined ? "the issuer's key" : `the issuer's key "${printable(header.kid)}"`;
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      return refuse("signature", `The token's ${header.alg} signature does not verify with ${which}.`);
    }
    // readToken refuses everything jose would call invalid; reaching here means the two disagree.
    if (cause instanceof errors.JOSEError)
      return refuse("malformed", `The token is not a valid JWS: ${cause.message}.`);
    throw cause;
  }
}

function checkOptions(options: VerifyTokenOptions): number {
  if (typeof options !== "object" || options === null)
    throw new TypeError("verifyToken: options are required");
  const { issuer, audience, now, clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS } = options;
  if (typeof issuer !== "string" || issuer === "")
    throw new TypeError("verifyToken: issuer must be a non-empty string");
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new TypeError("verifyToken: now must be a valid Date");
  if (!Number.isFinite(clockSkewSeconds) || clockSkewSeconds < 0) {
    throw new TypeError("verifyToken: clockSkewSeconds must be a non-negative number");
  }
  const explicit =
    typeof audience === "object" &&
    audience !== null &&
    (("oneOf" in audience &&
      Array.isArray(audience.oneOf) &&
      audience.oneOf.every((id) => typeof id === "string")) ||
      ("checkedByCaller" in audience && audience.checkedByCaller === true));
  if (!explicit) {
    throw new TypeError("verifyToken: audience must be { oneOf: string[] } or { checkedByCaller: true }");
  }
  return clockSkewSeconds;
}
