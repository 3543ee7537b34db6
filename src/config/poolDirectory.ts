import { derivedClientId, derivedUserPoolId } from "../core/cognito/ids.js";
import { DEFAULT_AUTH_FLOWS } from "../services/cognito-idp/defaults.js";
import { configuredPoolId } from "./configuredPoolId.js";
import type { FedsimConfig } from "./schema.js";

/** The Cognito pools a config seeds, with the ids seeding gives them: what a client needs to sign in through them. */
export interface PoolDirectory {
  identityPools: { id: string; name: string; accountId: string }[];
  userPools: {
    id: string;
    name: string;
    accountId: string;
    users: string[];
    clients: {
      id: string;
      name: string;
      /** ALLOW_USER_PASSWORD_AUTH among its flows. */
      passwordAuth: boolean;
      /** A confidential client (SECRET_HASH required). */
      hasSecret: boolean;
    }[];
  }[];
}

export function poolDirectory(config: FedsimConfig): PoolDirectory {
  const directory: PoolDirectory = { identityPools: [], userPools: [] };
  for (const account of config.accounts) {
    for (const pool of account.identityPools)
      directory.identityPools.push({
        id: configuredPoolId(config.region, account.id, pool),
        name: pool.name,
        accountId: account.id,
      });
    for (const pool of account.userPools) {
      const id = pool.id ?? derivedUserPoolId(config.region, account.id, pool.name);
      directory.userPools.push({
        id,
        name: pool.name,
        accountId: account.id,
        users: pool.users.map((u) => u.username),
        clients: pool.clients.map((c) => ({
          id: c.id ?? derivedClientId(id, c.name),
          name: c.name,
          passwordAuth: (c.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS).includes("ALLOW_USER_PASSWORD_AUTH"),
          hasSecret: c.secret !== undefined,
        })),
      });
    }
  }
  return directory;
}
