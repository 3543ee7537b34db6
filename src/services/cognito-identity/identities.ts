import { identityPoolArn, regionOfCognitoId } from "../../core/cognito/poolId.js";
import type { AnyJsonOperation, SignedContext } from "../../protocol/operation.js";
import type { CognitoIdentityRow } from "../../store/cognitoIdentities.js";
import type { RoomDeps } from "../deps.js";
import {
  IDENTITY_ID,
  identityId,
  identityPoolId,
  optionalBoolean,
  optionalString,
  PAGINATION_KEY,
  requiredInteger,
  stringList,
  validation,
} from "./input.js";
import { epochSeconds, identityNotFound, ownPool, poolResource, signedOperation } from "./operation.js";
import { decodePageToken, encodePageToken } from "./paging.js";

/** The IdentityDescription shape: the providers of its logins, and its dates. */
function describe(deps: RoomDeps, identity: CognitoIdentityRow) {
  const providers = [...new Set(deps.store.cognitoIdentities.logins(identity.id).map((l) => l.provider))];
  return {
    IdentityId: identity.id,
    Logins: providers,
    CreationDate: epochSeconds(identity.createdAt),
    LastModifiedDate: epochSeconds(identity.modifiedAt),
  };
}

/**
 * The identity a signed call names, if it is one of the caller's account. The pool it belongs to is the
 * resource authorised; an identity fedsim does not have (or another account's) is authorised against every
 * pool of the caller's account in that region, so the answer to a caller without permission is the same
 * AccessDenied either way.
 */
function ownIdentity(deps: RoomDeps, ctx: SignedContext, id: string) {
  const identity = deps.store.cognitoIdentities.get(id);
  const pool = identity && deps.store.identityPools.get(identity.poolId);
  if (identity && pool && pool.accountId === ctx.caller.accountId)
    return { identity, resource: identityPoolArn(pool.accountId, pool.id) };
  return {
    identity: undefined,
    resource: `arn:aws:cognito-identity:${regionOfCognitoId(id)}:${ctx.caller.accountId}:identitypool/*`,
  };
}

export function identityOperations(deps: RoomDeps): AnyJsonOperation[] {
  const repo = deps.store.cognitoIdentities;
  return [
    signedOperation(deps, "ListIdentities", {
      input: (body) => ({
        poolId: identityPoolId(body),
        maxResults: requiredInteger(body, "MaxResults", 1, 60),
        nextToken: optionalString(body, "NextToken", PAGINATION_KEY),
        hideDisabled: optionalBoolean(body, "HideDisabled") ?? false,
      }),
      resource: (ctx, i) => poolResource(ctx, i.poolId),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.poolId);
        const after = i.nextToken === undefined ? "" : decodePageToken(i.nextToken);
        const page = repo.list(pool.id, after, i.maxResults + 1, i.hideDisabled);
        const shown = page.slice(0, i.maxResults);
        const out: Record<string, unknown> = {
          IdentityPoolId: pool.id,
          Identities: shown.map((identity) => describe(deps, identity)),
        };
        if (page.length > i.maxResults) out.NextToken = encodePageToken(shown.at(-1)!.id);
        return out;
      },
    }),
    signedOperation(deps, "DescribeIdentity", {
      input: (body) => ({ id: identityId(body) }),
      resource: (ctx, i) => ownIdentity(deps, ctx, i.id).resource,
      run: (ctx, i) => {
        const { identity } = ownIdentity(deps, ctx, i.id);
        if (!identity) throw identityNotFound(i.id);
        return describe(deps, identity);
      },
    }),
    signedOperation(deps, "DeleteIdentities", {
      input: (body) => {
        const ids = stringList(body, "IdentityIdsToDelete", { min: 1, max: 60, member: IDENTITY_ID });
        if (ids === undefined) throw validation("identityIdsToDelete", null, "Member must not be null");
        return { ids };
      },
      resource: (ctx, i) => [...new Set(i.ids.map((id) => ownIdentity(deps, ctx, id).resource))],
      // Identities that do not exist (or are not the caller's) are skipped, as AWS skips them.
      run: (ctx, i) => {
        deps.store.transaction(() => {
          for (const id of i.ids) if (ownIdentity(deps, ctx, id).identity) repo.delete(id);
        });
        return { UnprocessedIdentityIds: [] };
      },
    }),
  ];
}
