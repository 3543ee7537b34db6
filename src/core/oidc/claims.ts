import { MAX_NUMERIC_DATE } from "./limits.js";
import { printable, refuse, type TokenRefusal } from "./refusal.js";

/** The claims of a verified token: the registered ones checked and typed, every other claim as sent. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf?: number;
  [name: string]: unknown;
}

/**
 * How the verifier treats `aud`. Either the provider's client ids (the token must name at least one), or an
 * explicit hand-off: the caller checks the audiences itself (for instance against a Cognito pool's clients)
 * and the result says the check was not made here.
 */
export type AudienceRule =
  | { oneOf: readonly string[] }
  /** `absentAllowed`: a token without aud passes here too (API Gateway then reads client_id). */
  | { checkedByCaller: true; absentAllowed?: boolean };

export interface ClaimsCheck {
  issuer: string;
  audience: AudienceRule;
  now: Date;
  clockSkewSeconds: number;
}

export type CheckClaimsResult =
  | { ok: true; claims: TokenClaims; audiences: string[]; matchedAudience: string | undefined }
  | TokenRefusal;

/**
 * iss, sub, aud, exp and iat are required (OpenID Connect Core §2 makes them required in an ID token, and
 * AWS's trust-policy keys read iss, sub and aud). Times allow `clockSkewSeconds` either way.
 */
export function checkClaims(payload: Record<string, unknown>, check: ClaimsCheck): CheckClaimsResult {
  for (const name of ["iss", "sub"] as const) {
    if (typeof payload[name] !== "string" || payload[name] === "") {
      return refuse("malformed", `The token's "${name}" claim must be a non-empty string.`);
    }
  }
  const audiences =
    payload.aud === undefined && "checkedByCaller" in check.audience && check.audience.absentAllowed
      ? []
      : audiencesOf(payload.aud);
  if (!audiences) {
    return refuse("malformed", 'The token\'s "aud" claim must be a non-empty string or array of strings.');
  }
  for (const name of ["exp", "iat", "nbf"] as const) {
    const value = payload[name];
    if ((name !== "nbf" || value !== undefined) && !isNumericDate(value)) {
      return refuse("malformed", `The token's "${name}" claim must be a NumericDate (seconds since 1970).`);
    }
  }
  const claims = payload as TokenClaims;
  if (claims.iss !== check.issuer) {
    return refuse(
      "issuer",
      `The token's issuer "${printable(claims.iss)}" is not "${printable(check.issuer)}", the provider it was verified against.`,
    );
  }
  let matchedAudience: string | undefined;
  if ("oneOf" in check.audience) {
    const allowed = check.audience.oneOf;
    matchedAudience = audiences.find((aud) => allowed.includes(aud));
    if (matchedAudience === undefined) {
      return refuse(
        "audience",
        `The token's audience ${printable(audiences.map((aud) => JSON.stringify(aud)).join(", "))} names none of the provider's client ids; add it to the provider or request a token for one of them.`,
      );
    }
  }
  const now = check.now.getTime();
  const skew = check.clockSkewSeconds * 1000;
  const at = (seconds: number) => new Date(seconds * 1000).toISOString();
  if (now >= claims.exp * 1000 + skew) {
    return refuse(
      "expired",
      `The token expired at ${at(claims.exp)}, more than ${check.clockSkewSeconds} seconds before ${check.now.toISOString()}; get a new token from the identity provider.`,
    );
  }
  if (claims.nbf !== undefined && now + skew < claims.nbf * 1000) {
    return refuse(
      "not-yet-valid",
      `The token is not valid before ${at(claims.nbf)}, more than ${check.clockSkewSeconds} seconds after ${check.now.toISOString()}; check the identity provider's clock.`,
    );
  }
  if (now + skew < claims.iat * 1000) {
    return refuse(
      "issued-in-future",
      `The token was issued at ${at(claims.iat)}, more than ${check.clockSkewSeconds} seconds after ${check.now.toISOString()}; check the identity provider's clock.`,
    );
  }
  return { ok: true, claims, audiences, matchedAudience };
}

function audiencesOf(aud: unknown): string[] | undefined {
  const list = typeof aud === "string" ? [aud] : aud;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  if (!list.every((value) => typeof value === "string" && value !== "")) return undefined;
  return [...list] as string[];
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE;
}
