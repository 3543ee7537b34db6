import { createHash } from "node:crypto";
import { derivedClientId, derivedUserPoolId } from "../core/cognito/ids.js";
import { DEFAULT_PASSWORD_POLICY, defaultClientSettings } from "../services/cognito-idp/defaults.js";
import { storedPasswordSync } from "../services/cognito-idp/passwords.js";
import type { Store } from "../store/store.js";
import { type PoolSettings, userPoolRepository } from "../store/userPools.js";
import { ConfigError } from "./configError.js";
import type { FedsimConfig } from "./schema.js";

/**
 * Seeds each account's user pools: pools, clients and groups created when missing and updated to the file;
 * users created CONFIRMED with their config passwords when missing (a user whose password was changed
 * through the API keeps it), and their group memberships added. Returns how many rows were written.
 */
export function seedUserPools(store: Store, config: FedsimConfig, now: number, file: string): number {
  const repo = userPoolRepository(store);
  let changes = 0;
  for (const [a, account] of config.accounts.entries()) {
    for (const [i, p] of account.userPools.entries()) {
      const at = `accounts[${a}].userPools[${i}]`;
      const id = p.id ?? derivedUserPoolId(config.region, account.id, p.name);
      if (!id.startsWith(`${config.region}_`))
        throw new ConfigError(`${file}: ${at}.id: ${id} is not in the config's region ${config.region}`);
      const policy = p.passwordPolicy
        ? {
            MinimumLength: p.passwordPolicy.minimumLength,
            RequireUppercase: p.passwordPolicy.requireUppercase,
            RequireLowercase: p.passwordPolicy.requireLowercase,
            RequireNumbers: p.passwordPolicy.requireNumbers,
            RequireSymbols: p.passwordPolicy.requireSymbols,
            TemporaryPasswordValidityDays: 7,
          }
        : DEFAULT_PASSWORD_POLICY;
      const settings: PoolSettings = {
        passwordPolicy: policy,
        ...(p.autoVerifiedAttributes ? { autoVerifiedAttributes: p.autoVerifiedAttributes } : {}),
      };
      const existing = repo.getPool(id);
      if (existing && existing.accountId !== account.id)
        throw new ConfigError(`${file}: ${at}.id: ${id} is already a pool of account ${existing.accountId}`);
      if (!existing) {
        repo.insertPool({
          id,
          accountId: account.id,
          region: config.region,
          name: p.name,
          settings,
          createdAt: now,
          updatedAt: now,
        });
        changes++;
      } else if (
        JSON.stringify(existing.settings.passwordPolicy) !== JSON.stringify(policy) ||
        JSON.stringify(existing.settings.autoVerifiedAttributes) !==
          JSON.stringify(settings.autoVerifiedAttributes)
      ) {
        const next = { ...existing.settings, passwordPolicy: policy };
        delete next.autoVerifiedAttributes;
        if (settings.autoVerifiedAttributes) next.autoVerifiedAttributes = settings.autoVerifiedAttributes;
        repo.updatePool(id, next, now);
        changes++;
      }
      for (const c of p.clients) {
        const clientId = c.id ?? derivedClientId(id, c.name);
        const settings = {
          ...defaultClientSettings(),
          ...(c.explicitAuthFlows ? { explicitAuthFlows: c.explicitAuthFlows } : {}),
          preventUserExistenceErrors: c.preventUserExistenceErrors,
        };
        const had = repo.getClient(clientId);
        if (!had) {
          repo.insertClient({
            id: clientId,
            poolId: id,
            name: c.name,
            secret: c.secret ?? null,
            settings,
            createdAt: now,
            updatedAt: now,
          });
          changes++;
        } else if (had.name !== c.name || JSON.stringify(had.settings) !== JSON.stringify(settings)) {
          repo.updateClient(clientId, c.name, settings, now);
          changes++;
        }
      }
      for (const g of p.groups) {
        const row = {
          poolId: id,
          name: g.name,
          description: g.description ?? null,
          roleArn: g.roleArn ?? null,
          precedence: g.precedence ?? null,
          createdAt: now,
          updatedAt: now,
        };
        const had = repo.getGroup(id, g.name);
        if (!had) {
          repo.insertGroup(row);
          changes++;
        } else if (
          had.roleArn !== row.roleArn ||
          had.precedence !== row.precedence ||
          had.description !== row.description
        ) {
          repo.updateGroup(row);
          changes++;
        }
      }
      for (const [j, u] of p.users.entries()) {
        if (!repo.getUser(id, u.username)) {
          repo.insertUser({
            poolId: id,
            username: u.username,
            // Derived, so a config user keeps one sub across resets (identity pools and policies may name it).
            sub: derivedSub(id, u.username),
            status: "CONFIRMED",
            enabled: u.enabled,
            attributes: u.attributes,
            ...storedPasswordSync(id, u.username, u.password),
            failures: 0,
            lastFailureAt: 0,
            lockedUntil: 0,
            createdAt: now,
            updatedAt: now,
          });
          changes++;
        }
        for (const group of u.groups) {
          if (!repo.getGroup(id, group))
            throw new ConfigError(`${file}: ${at}.users[${j}].groups: no group named ${group} in this pool`);
          repo.addMember(id, group, u.username);
        }
      }
    }
  }
  return changes;
}

function derivedSub(poolId: string, username: string): string {
  const h = createHash("sha256").update(`sub\0${poolId}\0${username}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
