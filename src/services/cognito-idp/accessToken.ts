import { AwsError } from "../../errors.js";
import type { PoolRow, PoolUserRow } from "../../store/userPools.js";
import { type Body, requirePool, str, type UserPoolDeps } from "./common.js";
import { ADMIN_SCOPE } from "./tokens.js";
import { verifyUserPoolToken } from "./verifyUserPoolToken.js";

export interface TokenUser {
  pool: PoolRow;
  user: PoolUserRow;
}

/**
 * The user an AccessToken member speaks for: a fedsim access token (an ID token is "Invalid Access Token"),
 * signed by its pool, not expired, its sign-in not revoked (GlobalSignOut, RevokeToken, a disabled user),
 * carrying aws.cognito.signin.user.admin, for a user who still exists and is enabled.
 */
export async function accessTokenUser(deps: UserPoolDeps, body: Body): Promise<TokenUser> {
  const token = str(body, "AccessToken", true);
  const claims = await verifyUserPoolToken(deps, { token, tokenUse: "access", now: deps.clock() });
  const scopes = typeof claims.scope === "string" ? claims.scope.split(" ") : [];
  if (!scopes.includes(ADMIN_SCOPE))
    throw new AwsError("NotAuthorizedException", "Access Token does not have required scopes");
  const iss = String(claims.iss);
  const pool = requirePool(deps, iss.slice(iss.lastIndexOf("/") + 1));
  const user = typeof claims.username === "string" ? deps.repo.getUser(pool.id, claims.username) : undefined;
  // A user deleted and signed up again under the same name is another user: the sub tells them apart.
  if (!user || user.sub !== claims.sub) throw new AwsError("UserNotFoundException", "User does not exist.");
  if (!user.enabled) throw new AwsError("NotAuthorizedException", "User is disabled.");
  return { pool, user };
}
