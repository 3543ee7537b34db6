import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { ClientRow, PoolRow, PoolUserRow, UserPoolRepository } from "../../store/userPools.js";
import { validitySeconds } from "./defaults.js";
import type { PoolKeys } from "./poolKeys.js";

export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

/** The iss of a pool's tokens, as AWS writes it whatever URL fedsim listens on. */
export function poolIssuer(pool: { id: string; region: string }): string {
  return `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;
}

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: "Bearer";
}

/** Attributes as the ID token carries them: *_verified as booleans, the rest as strings. */
function attributeClaims(attributes: Record<string, string>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "sub") continue;
    claims[name] = name.endsWith("_verified") ? value === "true" : value;
  }
  return claims;
}

export function refreshTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Signs a user in: an ID and an access token for the client (RS256 under the pool's kid, lifetimes from the
 * client's settings), and, for a new sign-in, an opaque refresh token kept only as its hash. A refresh
 * reuses the sign-in's origin_jti and auth_time, as Cognito does.
 */
export async function issueTokens(
  deps: { repo: UserPoolRepository; keys: PoolKeys; now: Date },
  pool: PoolRow,
  client: ClientRow,
  user: PoolUserRow,
  session?: { originJti: string; authTime: number },
): Promise<AuthenticationResult> {
  const { repo, keys, now } = deps;
  const { signing } = await keys.of(pool.id);
  const iat = Math.floor(now.getTime() / 1000);
  const originJti = session?.originJti ?? randomUUID();
  const authTime = session?.authTime ?? iat;
  const eventId = randomUUID();
  const groups = repo.groupsOf(pool.id, user.username);
  const groupNames = groups.map((g) => g.name);
  const roles = groups.flatMap((g) => (g.roleArn ? [g.roleArn] : []));
  // The role of the group with the lowest Precedence; groups without one never win it.
  const preferred = groups.find((g) => g.roleArn && g.precedence !== null)?.roleArn;
  const s = client.settings;
  const idLifetime = validitySeconds(s.idTokenValidity, s.tokenValidityUnits.IdToken);
  const accessLifetime = validitySeconds(s.accessTokenValidity, s.tokenValidityUnits.AccessToken);
  const common = {
    sub: user.sub,
    iss: poolIssuer(pool),
    origin_jti: originJti,
    event_id: eventId,
    auth_time: authTime,
  };
  const idClaims: Record<string, unknown> = {
    ...attributeClaims(user.attributes),
    ...common,
    ...(groupNames.length > 0 ? { "cognito:groups": groupNames } : {}),
    ...(roles.length > 0 ? { "cognito:roles": roles } : {}),
    ...(preferred ? { "cognito:preferred_role": preferred } : {}),
    "cognito:username": user.username,
    aud: client.id,
    token_use: "id",
    jti: randomUUID(),
  };
  const accessClaims: Record<string, unknown> = {
    ...common,
    ...(groupNames.length > 0 ? { "cognito:groups": groupNames } : {}),
    client_id: client.id,
    token_use: "access",
    scope: ADMIN_SCOPE,
    jti: randomUUID(),
    username: user.username,
  };
  const sign = (claims: Record<string, unknown>, lifetime: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ kid: signing.kid, alg: "RS256" })
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .sign(signing.privateKey);
  const result: AuthenticationResult = {
    AccessToken: await sign(accessClaims, accessLifetime),
    ExpiresIn: accessLifetime,
    TokenType: "Bearer",
    IdToken: await sign(idClaims, idLifetime),
  };
  if (!session) {
    const refreshToken = randomBytes(96).toString("base64url");
    repo.insertRefreshToken({
      tokenHash: refreshTokenHash(refreshToken),
      poolId: pool.id,
      clientId: client.id,
      username: user.username,
      originJti,
      authTime,
      expiresAt:
        now.getTime() + validitySeconds(s.refreshTokenValidity, s.tokenValidityUnits.RefreshToken) * 1000,
      revoked: false,
    });
    result.RefreshToken = refreshToken;
  }
  return result;
}
