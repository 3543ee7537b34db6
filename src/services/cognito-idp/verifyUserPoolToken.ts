import { decodeJwt, importJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import { AwsError } from "../../errors.js";
import type { UserPoolRepository } from "../../store/userPools.js";
import type { PoolKeys } from "./poolKeys.js";
import { poolIssuer } from "./tokens.js";

export interface VerifyUserPoolTokenInput {
  token: string;
  tokenUse: "id" | "access";
  now: Date;
  /** When given, the token must be this pool's (a Logins key names its pool). */
  poolId?: string;
  /** When given, the ID token's aud / access token's client_id must be one of these. */
  clientIds?: readonly string[];
}

/**
 * A fedsim user pool's ID or access token, verified in full: RS256 under the pool's own key, issuer
 * https://cognito-idp.REGION.amazonaws.com/POOL_ID, not expired, the token_use asked for (an access token is
 * never taken for an ID token, nor the reverse), and its sign-in not revoked (GlobalSignOut, RevokeToken).
 * Returns the verified claims; throws NotAuthorizedException saying why. This is the verifier identity pools
 * plug in for the `cognito-idp.REGION.amazonaws.com/POOL_ID` Logins key.
 */
export async function verifyUserPoolToken(
  deps: { repo: UserPoolRepository; keys: PoolKeys },
  input: VerifyUserPoolTokenInput,
): Promise<JWTPayload & Record<string, unknown>> {
  const label = input.tokenUse === "id" ? "Invalid ID token" : "Invalid Access Token";
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(input.token);
  } catch {
    throw new AwsError("NotAuthorizedException", label);
  }
  const iss = typeof unverified.iss === "string" ? unverified.iss : "";
  const poolId = iss.slice(iss.lastIndexOf("/") + 1);
  const pool = deps.repo.getPool(poolId);
  if (!pool || poolIssuer(pool) !== iss || (input.poolId !== undefined && input.poolId !== pool.id))
    throw new AwsError("NotAuthorizedException", label);
  const { signing } = await deps.keys.of(pool.id);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(input.token, await publicOf(signing.publicJwk), {
      issuer: iss,
      algorithms: ["RS256"],
      currentDate: input.now,
    }));
  } catch (error) {
    const expired = (error as { code?: string }).code === "ERR_JWT_EXPIRED";
    throw new AwsError(
      "NotAuthorizedException",
      expired ? (input.tokenUse === "id" ? "Token expired" : "Access Token has expired") : label,
    );
  }
  if (payload.token_use !== input.tokenUse) throw new AwsError("NotAuthorizedException", label);
  const client = input.tokenUse === "id" ? payload.aud : payload.client_id;
  if (input.clientIds && !input.clientIds.some((c) => c === client))
    throw new AwsError("NotAuthorizedException", label);
  const origin =
    typeof payload.origin_jti === "string" ? deps.repo.getByOriginJti(payload.origin_jti) : undefined;
  if (!origin || origin.revoked)
    throw new AwsError(
      "NotAuthorizedException",
      input.tokenUse === "id" ? "Token has been revoked" : "Access Token has been revoked",
    );
  return payload as JWTPayload & Record<string, unknown>;
}

const imported = new WeakMap<object, Promise<CryptoKey>>();
function publicOf(jwk: JWK): Promise<CryptoKey> {
  let key = imported.get(jwk);
  if (!key) {
    key = importJWK(jwk, "RS256") as Promise<CryptoKey>;
    imported.set(jwk, key);
  }
  return key;
}
