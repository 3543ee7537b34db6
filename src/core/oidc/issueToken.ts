import type { KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { SignJWT } from "jose";
import { isSigningAlgorithm, type SigningAlgorithm } from "./algorithms.js";

export interface IssueTokenInput {
  /** The issuer's private key: a CryptoKey, a node KeyObject, or a private JWK. */
  privateKey: CryptoKey | KeyObject | JWK;
  /** The kid its public JWK is published under, so verifiers find the key. */
  kid: string;
  alg: SigningAlgorithm;
  /** Must hold iss, sub and aud; iat and exp are set here from `now` and `lifetimeSeconds`. */
  claims: Readonly<Record<string, unknown>>;
  now: Date;
  lifetimeSeconds: number;
  /** The header's typ: JWT (default) for ID tokens, at+jwt for access tokens. */
  typ?: string;
}

/**
 * A signed compact JWT for fedsim's own issuer (and, later, Cognito user pools): header alg, kid and typ JWT;
 * iat from the injected `now`, exp `lifetimeSeconds` later. Tokens it issues pass verifyToken for the same
 * issuer and audience.
 */
/** RFC 9068's header type for JWT access tokens: no verifier of ID tokens may take one for an ID token. */
export const ACCESS_TOKEN_TYP = "at+jwt";

export async function issueToken(input: IssueTokenInput): Promise<string> {
  const { privateKey, kid, alg, claims, now, lifetimeSeconds, typ = "JWT" } = input;
  if (!isSigningAlgorithm(alg))
    throw new TypeError(`issueToken: alg ${String(alg)} is not a signing algorithm fedsim accepts`);
  if (typeof kid !== "string" || kid === "")
    throw new TypeError("issueToken: kid must be a non-empty string");
  if (!(now instanceof Date) || Number.isNaN(now.getTime()))
    throw new TypeError("issueToken: now must be a valid Date");
  if (!Number.isInteger(lifetimeSeconds) || lifetimeSeconds <= 0) {
    throw new TypeError("issueToken: lifetimeSeconds must be a positive integer");
  }
  for (const name of ["iss", "sub", "aud"]) {
    if (!Object.hasOwn(claims, name)) throw new TypeError(`issueToken: claims must include ${name}`);
  }
  for (const name of ["iat", "exp"]) {
    if (Object.hasOwn(claims, name))
      throw new TypeError(`issueToken: ${name} comes from now and lifetimeSeconds`);
  }
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg, kid, typ })
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(privateKey);
}
