import type { IdentityPoolRow } from "../../../store/identityPools.js";
import type { UserPoolsRoom } from "../../cognito-idp/room.js";
import { invalidLogin } from "../refusal.js";
import type { LoginVerifier } from "./types.js";

/**
 * A Logins entry `cognito-idp.REGION.amazonaws.com/POOL_ID` = a user pool's ID token: verified by the user
 * pool itself (signature, issuer, expiry, token_use id, not signed out), for the app clients the identity pool
 * lists for that pool. The amr AWS writes: the pool, and the pool with the user's sub.
 */
export function userPoolLogin(room: UserPoolsRoom, key: string, pool: IdentityPoolRow): LoginVerifier {
  const poolId = key.slice(key.lastIndexOf("/") + 1);
  const clientIds = pool.cognitoIdentityProviders
    .filter((p) => p.ProviderName === key && p.ClientId !== undefined)
    .map((p) => p.ClientId!);
  return {
    async verify(token, _pool, now) {
      let claims: Record<string, unknown>;
      try {
        claims = await room.verify({
          token,
          tokenUse: "id",
          now,
          poolId,
          clientIds: clientIds.length > 0 ? clientIds : undefined,
        });
      } catch (error) {
        throw invalidLogin("Couldn't verify signed token.", `${key}: ${(error as Error).message}`);
      }
      const sub = typeof claims.sub === "string" ? claims.sub : "";
      return {
        kind: "provider",
        provider: key,
        subject: sub,
        claims: new Map(Object.entries(claims)),
        amr: [key, `${key}:CognitoSignIn:${sub}`],
      };
    },
  };
}
