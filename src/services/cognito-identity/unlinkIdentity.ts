import { identityPoolArn } from "../../core/cognito/poolId.js";
import { anonymousOperation } from "./anonymous.js";
import { identityAndPool } from "./getId.js";
import { proveIdentity } from "./identityLinks.js";
import { identityId, logins, PROVIDER_NAME, stringList, validation } from "./input.js";
import { loginsDontMatch } from "./refusal.js";
import type { CognitoRoom } from "./room.js";

/**
 * UnlinkIdentity: with logins that prove the identity, removes the named providers' logins from it. An
 * identity whose last login is removed is disabled: no login reaches it any more, and the next sign-in with
 * an unlinked login gets a new identity. Unsigned, as in AWS.
 */
export function unlinkIdentity(room: CognitoRoom) {
  const { deps } = room;
  return anonymousOperation(deps, "UnlinkIdentity", {
    input: (body) => {
      const remove = stringList(body, "LoginsToRemove", { member: PROVIDER_NAME });
      if (remove === undefined) throw validation("loginsToRemove", null, "Member must not be null");
      if (!Object.hasOwn(body, "Logins") || body.Logins === null)
        throw validation("logins", null, "Member must not be null");
      return { identityId: identityId(body), logins: logins(body), remove };
    },
    run: async (ctx, i, subject) => {
      subject.principal = i.identityId;
      const { identity, pool } = identityAndPool(room, i.identityId);
      subject.resource = identityPoolArn(pool.accountId, pool.id);
      const verified = await room.verifyLogins(pool, i.logins, ctx.now);
      if (verified.length === 0)
        throw loginsDontMatch("UnlinkIdentity needs a login that proves the identity");
      proveIdentity(deps, identity, verified, ctx.now.getTime());
      const repo = deps.store.cognitoIdentities;
      const now = ctx.now.getTime();
      deps.store.transaction(() => {
        const drop = new Set(i.remove);
        for (const login of repo.logins(identity.id))
          if (drop.has(login.provider)) repo.unlink(login.poolId, login.provider, login.subject);
        repo.setDisabled(identity.id, repo.logins(identity.id).length === 0, now);
      });
      return {};
    },
  });
}
