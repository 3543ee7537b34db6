import { derivedPoolId } from "../core/cognito/poolId.js";
import type { IdentityPoolConfig } from "./identityPoolSchema.js";

/** The id a configured pool has: its own, or the one derived from region, account and name. */
export function configuredPoolId(region: string, accountId: string, pool: IdentityPoolConfig): string {
  return pool.id ?? derivedPoolId(region, accountId, pool.name);
}
