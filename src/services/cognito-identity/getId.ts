import { identityPoolArn } from "../../core/cognito/poolId.js";
import { AwsError } from "../../errors.js";
import { anonymousOperation } from "./anonymous.js";
import { createIdentity, identityForLogins } from "./identityLinks.js";
import { identityPoolId, logins, optionalString } from "./input.js";
import { anyPool, poolNotFound } from "./operation.js";
import { guestsNotAllowed } from "./refusal.js";
import type { CognitoRoom } from "./room.js";

/**
 * GetId: the identity of a set of logins (the same one every time they sign in, linking new ones), or, with
 * no logins, a new unauthenticated identity when the pool allows guests. Unsigned, as in AWS.
 */
export function getId(room: CognitoRoom) {
  const { deps } = room;
  return anonymousOperation(deps, "GetId", {
    input: (body) => ({
      poolId: identityPoolId(body),
      accountId: optionalString(body, "AccountId", { min: 1, max: 15, pattern: [/^\d+$/, "\\d+"] }),
      logins: logins(body),
    }),
    run: async (ctx, i, subject) => {
      const pool = anyPool(deps, i.poolId);
      if (i.accountId !== undefined && i.accountId !== pool.accountId) throw poolNotFound(i.poolId);
      subject.resource = identityPoolArn(pool.accountId, pool.id);
      const now = ctx.now.getTime();
      if (i.logins.size === 0) {
        if (!pool.allowUnauthenticated) throw guestsNotAllowed(pool.id);
        return { IdentityId: deps.store.transaction(() => createIdentity(deps, pool, now)).id };
      }
      const verified = await room.verifyLogins(pool, i.logins, ctx.now);
      return { IdentityId: identityForLogins(deps, pool, verified, now).id };
    },
  });
}

/** The identity a request names, and its pool; an unknown identity is AWS's ResourceNotFoundException. */
export function identityAndPool(room: CognitoRoom, identityId: string) {
  const identity = room.deps.store.cognitoIdentities.get(identityId);
  if (!identity) throw new AwsError("ResourceNotFoundException", `Identity '${identityId}' not found.`);
  return { identity, pool: anyPool(room.deps, identity.poolId) };
}
