import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { RoomDeps } from "../deps.js";
import { identityPoolId, optionalBoolean, PROVIDER_NAME, requiredString, stringMap } from "./input.js";
import { ownPool, poolProviderNames, poolResource, signedOperation } from "./operation.js";

/** The provider must be one of the pool's (the wording of the refusal is fedsim's). */
function checkProvider(pool: IdentityPoolRow, name: string): void {
  if (!poolProviderNames(pool).includes(name))
    throw new AwsError(
      "InvalidParameterException",
      `${name} is not an identity provider of identity pool ${pool.id}.`,
    );
}

/** Set/GetPrincipalTagAttributeMap: which claims of a provider's logins become session tags. */
export function principalTagOperations(deps: RoomDeps): AnyJsonOperation[] {
  return [
    signedOperation(deps, "SetPrincipalTagAttributeMap", {
      input: (body) => ({
        id: identityPoolId(body),
        provider: requiredString(body, "IdentityProviderName", PROVIDER_NAME),
        useDefaults: optionalBoolean(body, "UseDefaults"),
        tags: stringMap(body, "PrincipalTags", {
          maxEntries: 50,
          key: { min: 1, max: 128 },
          value: { min: 1, max: 256 },
        }),
      }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.id);
        checkProvider(pool, i.provider);
        const row = {
          poolId: pool.id,
          providerName: i.provider,
          useDefaults: i.useDefaults ?? false,
          principalTags: i.tags ?? {},
        };
        deps.store.identityPools.putPrincipalTagMap(row);
        return {
          IdentityPoolId: pool.id,
          IdentityProviderName: i.provider,
          UseDefaults: row.useDefaults,
          PrincipalTags: row.principalTags,
        };
      },
    }),
    signedOperation(deps, "GetPrincipalTagAttributeMap", {
      input: (body) => ({
        id: identityPoolId(body),
        provider: requiredString(body, "IdentityProviderName", PROVIDER_NAME),
      }),
      resource: (ctx, i) => poolResource(ctx, i.id),
      run: (ctx, i) => {
        const pool = ownPool(deps, ctx, i.id);
        checkProvider(pool, i.provider);
        const row = deps.store.identityPools.principalTagMap(pool.id, i.provider);
        return {
          IdentityPoolId: pool.id,
          IdentityProviderName: i.provider,
          UseDefaults: row?.useDefaults ?? false,
          PrincipalTags: row?.principalTags ?? {},
        };
      },
    }),
  ];
}
