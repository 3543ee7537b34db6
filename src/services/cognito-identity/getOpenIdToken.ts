import { identityPoolArn } from "../../core/cognito/poolId.js";
import { anonymousOperation } from "./anonymous.js";
import { amrOf } from "./chooseRole.js";
import { identityAndPool } from "./getId.js";
import { proveIdentity } from "./identityLinks.js";
import { identityId, logins } from "./input.js";
import { issueCognitoToken, OPEN_ID_TOKEN_SECONDS } from "./openIdToken.js";
import { guestsNotAllowed, refusal } from "./refusal.js";
import type { CognitoRoom } from "./room.js";

/**
 * GetOpenIdToken, the basic (classic) flow: an RS512 token from Cognito's issuer for the identity, valid for
 * 10 minutes, which the app exchanges itself with AssumeRoleWithWebIdentity. Only for pools that allow the
 * classic flow and map no roles (a mapping could never be applied to a token the app takes to STS itself).
 */
export function getOpenIdToken(room: CognitoRoom) {
  const { deps } = room;
  return anonymousOperation(deps, "GetOpenIdToken", {
    input: (body) => ({ identityId: identityId(body), logins: logins(body) }),
    run: async (ctx, i, subject) => {
      subject.principal = i.identityId;
      const { identity, pool } = identityAndPool(room, i.identityId);
      subject.resource = identityPoolArn(pool.accountId, pool.id);
      if (!pool.allowClassicFlow)
        throw refusal(
          "InvalidParameterException",
          "Basic (classic) flow is not enabled, please use enhanced flow.",
          `identity pool ${pool.id} has AllowClassicFlow false`,
        );
      if (Object.keys(pool.roleMappings).length > 0)
        throw refusal(
          "InvalidParameterException",
          "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
          `identity pool ${pool.id} maps roles for ${Object.keys(pool.roleMappings).join(", ")}`,
        );
      const verified = await room.verifyLogins(pool, i.logins, ctx.now);
      const proof = proveIdentity(deps, identity, verified, ctx.now.getTime());
      if (!proof.authenticated && !pool.allowUnauthenticated) throw guestsNotAllowed(pool.id);
      const token = await issueCognitoToken(room.signingKey, {
        poolId: pool.id,
        identityId: identity.id,
        amr: amrOf(verified),
        now: ctx.now,
        lifetimeSeconds: OPEN_ID_TOKEN_SECONDS,
        principalTags: verified.flatMap((l) => (l.kind === "cognito" ? l.principalTags : [])),
      });
      return { IdentityId: identity.id, Token: token };
    },
  });
}
