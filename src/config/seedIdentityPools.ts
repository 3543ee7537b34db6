import { iamArn } from "../core/arn.js";
import type { RoleMapping } from "../core/cognito/roleMapping.js";
import type { IdentityPoolRow } from "../store/identityPools.js";
import type { Store } from "../store/store.js";
import { configuredPoolId } from "./configuredPoolId.js";
import type { IdentityPoolConfig } from "./identityPoolSchema.js";
import type { AccountConfig } from "./schema.js";

export interface PoolSeeding {
  region: string;
  now: number;
  changed: () => void;
  problem: (path: string, message: string) => void;
}

/**
 * Seeds an account's identity pools. The config is the source of truth for the pools it names (matched by
 * id, which is fixed or derived, so it never changes between starts): they are created, or updated when the
 * file says otherwise, and their identities are kept. Pools created through the API are left alone.
 */
export function seedIdentityPools(store: Store, account: AccountConfig, at: string, s: PoolSeeding): void {
  for (const [i, pool] of account.identityPools.entries()) {
    const path = `${at}.identityPools[${i}]`;
    const id = configuredPoolId(s.region, account.id, pool);
    const existing = store.identityPools.get(id);
    const next: IdentityPoolRow = {
      id,
      accountId: account.id,
      region: s.region,
      name: pool.name,
      allowUnauthenticated: pool.allowUnauthenticatedIdentities,
      allowClassicFlow: pool.allowClassicFlow,
      supportedLoginProviders: Object.fromEntries(Object.entries(pool.supportedLoginProviders)),
      developerProviderName: pool.developerProviderName ?? null,
      openIdConnectProviderArns: pool.openIdConnectProviders.map((p, j) =>
        oidcProviderArn(account, p, `${path}.openIdConnectProviders[${j}]`, s),
      ),
      cognitoIdentityProviders: pool.cognitoIdentityProviders.map((p) => ({
        ProviderName: p.providerName,
        ...(p.clientId === undefined ? {} : { ClientId: p.clientId }),
        ServerSideTokenCheck: p.serverSideTokenCheck,
      })),
      samlProviderArns: pool.samlProviders.map((p, j) =>
        samlProviderArn(account, p, `${path}.samlProviders[${j}]`, s),
      ),
      roles: roles(account, pool, path, s),
      roleMappings: roleMappings(account, pool, path, s),
      tags: Object.fromEntries(Object.entries(pool.tags)),
      fromConfig: true,
      createdAt: existing?.createdAt ?? s.now,
    };
    if (!existing) {
      store.identityPools.create(next);
      s.changed();
    } else if (JSON.stringify(existing) !== JSON.stringify(next)) {
      store.identityPools.save(next);
      s.changed();
    }
    for (const [provider, map] of Object.entries(pool.principalTags)) {
      const row = {
        poolId: id,
        providerName: provider,
        useDefaults: map.useDefaults,
        principalTags: Object.fromEntries(Object.entries(map.tags)),
      };
      if (JSON.stringify(store.identityPools.principalTagMap(id, provider)) !== JSON.stringify(row)) {
        store.identityPools.putPrincipalTagMap(row);
        s.changed();
      }
    }
  }
}

/** A role by ARN as written, or by name in this account (with its path, as its ARN has it). */
function roleArn(account: AccountConfig, ref: string, path: string, s: PoolSeeding): string {
  if (ref.startsWith("arn:")) return ref;
  const role = account.roles.find((r) => r.name === ref);
  if (!role) s.problem(path, `no role named ${ref} in this account's roles`);
  return iamArn(account.id, "role", ref, role?.path ?? "/");
}

function roles(account: AccountConfig, pool: IdentityPoolConfig, path: string, s: PoolSeeding) {
  const out: [string, string][] = [];
  for (const kind of ["authenticated", "unauthenticated"] as const) {
    const ref = pool.roles[kind];
    if (ref !== undefined) out.push([kind, roleArn(account, ref, `${path}.roles.${kind}`, s)]);
  }
  return Object.fromEntries(out);
}

function roleMappings(account: AccountConfig, pool: IdentityPoolConfig, path: string, s: PoolSeeding) {
  return Object.fromEntries(
    Object.entries(pool.roleMappings).map(([provider, m]): [string, RoleMapping] => {
      const mapping: RoleMapping = { Type: m.type, AmbiguousRoleResolution: m.ambiguousRoleResolution };
      if (m.rules)
        mapping.RulesConfiguration = {
          Rules: m.rules.map((r, j) => ({
            Claim: r.claim,
            MatchType: r.matchType,
            Value: r.value,
            RoleARN: roleArn(account, r.role, `${path}.roleMappings.${provider}.rules[${j}].role`, s),
          })),
        };
      return [provider, mapping];
    }),
  );
}

function samlProviderArn(account: AccountConfig, ref: string, path: string, s: PoolSeeding): string {
  if (ref.startsWith("arn:")) return ref;
  if (!account.samlProviders.some((p) => p.name === ref))
    s.problem(path, `no SAML provider named ${ref} in this account's samlProviders`);
  return iamArn(account.id, "saml-provider", ref, "/");
}

/**
 * An OIDC provider by ARN, or by name (its URL without https://), which this account's oidcProviders must
 * define. A name holding a `${fedsim:...}` placeholder is left for the seeding that expands it.
 */
function oidcProviderArn(account: AccountConfig, ref: string, path: string, s: PoolSeeding): string {
  if (ref.startsWith("arn:")) return ref;
  const name = ref.replace(/^https:\/\//, "").replace(/\/$/, "");
  const defined = account.oidcProviders.some(
    (p) => p.url.replace(/^https?:\/\//, "").replace(/\/$/, "") === name,
  );
  if (!defined && !name.includes("${fedsim:"))
    s.problem(path, `no OpenID Connect provider ${name} in this account's oidcProviders`);
  return iamArn(account.id, "oidc-provider", name, "/");
}
