import { randomUUID } from "node:crypto";
import type { PersonConfig } from "../config/schema.js";
import { ACCESS_TOKEN_TYP, issueToken } from "../core/oidc/issueToken.js";
import type { IssuerKeys } from "./keys.js";

/** An hour, as most issuers; STS does not tie the session to it. */
export const TOKEN_LIFETIME_SECONDS = 3600;

/** The answer of POST /oidc/token (RFC 6749 §5.1 plus OpenID Connect's id_token). */
export interface TokenResponse {
  id_token: string;
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
}

/**
 * The claims that describe a person in every token: `sub` is the username (unique in the config and stable
 * across restarts and ports, so a trust policy can name it), then email, name, groups and the person's own
 * claims. The schema refuses own claims named like the registered ones, which the issuer sets.
 */
export function personClaims(person: PersonConfig): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...(person.claims ?? {}), sub: person.username };
  claims.preferred_username = person.username;
  if (person.email !== undefined) {
    claims.email = person.email;
    claims.email_verified = true;
  }
  if (person.displayName !== undefined) claims.name = person.displayName;
  if (person.groups !== undefined) claims.groups = [...person.groups];
  return claims;
}

/** An ID token and an access token (a JWT too, for the client alone) for a person who signed in. */
export async function tokensFor(input: {
  issuer: string;
  keys: IssuerKeys;
  person: PersonConfig;
  clientId: string;
  scope: string;
  authTime: number;
  nonce?: string;
  now: Date;
}): Promise<TokenResponse> {
  const { keys, now } = input;
  const sign = (claims: Record<string, unknown>, typ?: string) =>
    issueToken({
      typ,
      privateKey: keys.signing.privateKey,
      kid: keys.signing.kid,
      alg: keys.signing.alg,
      claims,
      now,
      lifetimeSeconds: TOKEN_LIFETIME_SECONDS,
    });
  const base = { iss: input.issuer, aud: input.clientId, auth_time: input.authTime };
  const [idToken, accessToken] = await Promise.all([
    sign({
      ...personClaims(input.person),
      ...base,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    }),
    sign(
      {
        sub: input.person.username,
        ...base,
        client_id: input.clientId,
        scope: input.scope,
        jti: randomUUID(),
      },
      // RFC 9068: an access token says so in its header, and AssumeRoleWithWebIdentity refuses it.
      ACCESS_TOKEN_TYP,
    ),
  ]);
  return {
    id_token: idToken,
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: TOKEN_LIFETIME_SECONDS,
    scope: input.scope,
  };
}
