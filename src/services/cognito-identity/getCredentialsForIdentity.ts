import { identityPoolArn } from "../../core/cognito/poolId.js";
import { anonymousOperation } from "./anonymous.js";
import { amrOf, chooseRole } from "./chooseRole.js";
import { assumeRoleForIdentity } from "./enhancedFlow.js";
import { identityAndPool } from "./getId.js";
import { proveIdentity } from "./identityLinks.js";
import { ARN, identityId, logins, optionalString } from "./input.js";
import { guestsNotAllowed } from "./refusal.js";
import type { CognitoRoom } from "./room.js";
import { sessionTags } from "./sessionTags.js";

/**
 * GetCredentialsForIdentity, the enhanced flow: the logins prove the identity (or it is a guest of a pool
 * that allows guests), the pool's roles and mappings choose a role, and Cognito assumes it as
 * AssumeRoleWithWebIdentity, subject to the role's trust policy. Unsigned, as in AWS.
 */
export function getCredentialsForIdentity(room: CognitoRoom) {
  const { deps } = room;
  return anonymousOperation(deps, "GetCredentialsForIdentity", {
    input: (body) => ({
      identityId: identityId(body),
      logins: logins(body),
      customRoleArn: optionalString(body, "CustomRoleArn", ARN),
    }),
    run: async (ctx, i, subject) => {
      subject.principal = i.identityId;
      const { identity, pool } = identityAndPool(room, i.identityId);
      subject.resource = identityPoolArn(pool.accountId, pool.id);
      const verified = await room.verifyLogins(pool, i.logins, ctx.now);
      const proof = proveIdentity(deps, identity, verified, ctx.now.getTime());
      if (!proof.authenticated && !pool.allowUnauthenticated) throw guestsNotAllowed(pool.id);
      const role = chooseRole(pool, verified, i.customRoleArn);
      return assumeRoleForIdentity(deps, ctx, {
        pool,
        identityId: identity.id,
        roleArn: role.roleArn,
        amr: amrOf(verified),
        tags: sessionTags(deps, pool, verified),
      });
    },
  });
}
