import type { RoleMapping } from "../core/cognito/roleMapping.js";
import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";

export interface CognitoIdentityProviderEntry {
  ProviderName: string;
  ClientId?: string;
  ServerSideTokenCheck?: boolean;
}

/**
 * A Cognito identity pool. Maps keyed by client input (provider names, tag keys) are objects built with
 * Object.fromEntries, whose keys are own properties (a provider named __proto__ stays a key); read them
 * with Object.hasOwn.
 */
export interface IdentityPoolRow {
  id: string;
  accountId: string;
  region: string;
  name: string;
  allowUnauthenticated: boolean;
  allowClassicFlow: boolean;
  supportedLoginProviders: Record<string, string>;
  developerProviderName: string | null;
  openIdConnectProviderArns: string[];
  cognitoIdentityProviders: CognitoIdentityProviderEntry[];
  samlProviderArns: string[];
  /** authenticated / unauthenticated -> role ARN. */
  roles: Record<string, string>;
  roleMappings: Record<string, RoleMapping>;
  tags: Record<string, string>;
  fromConfig: boolean;
  createdAt: number;
}

/** SetPrincipalTagAttributeMap for one provider: session tag key -> claim name. */
export interface PrincipalTagMapRow {
  poolId: string;
  providerName: string;
  useDefaults: boolean;
  principalTags: Record<string, string>;
}

const COLUMNS = `id, account_id AS accountId, region, name, allow_unauthenticated AS allowUnauthenticated,
  allow_classic_flow AS allowClassicFlow, supported_login_providers AS supportedLoginProviders,
  developer_provider_name AS developerProviderName, open_id_connect_provider_arns AS openIdConnectProviderArns,
  cognito_identity_providers AS cognitoIdentityProviders, saml_provider_arns AS samlProviderArns, roles,
  role_mappings AS roleMappings, tags, from_config AS fromConfig, created_at AS createdAt`;

type Raw = Record<keyof IdentityPoolRow, string | number | null>;
const JSON_FIELDS = [
  "supportedLoginProviders",
  "openIdConnectProviderArns",
  "cognitoIdentityProviders",
  "samlProviderArns",
  "roles",
  "roleMappings",
  "tags",
] as const;

function toRow(raw: Raw | undefined): IdentityPoolRow | undefined {
  if (!raw) return undefined;
  const row = { ...raw } as Record<string, unknown>;
  for (const f of JSON_FIELDS) row[f] = JSON.parse(raw[f] as string);
  row.allowUnauthenticated = raw.allowUnauthenticated === 1;
  row.allowClassicFlow = raw.allowClassicFlow === 1;
  row.fromConfig = raw.fromConfig === 1;
  return row as unknown as IdentityPoolRow;
}

function params(p: IdentityPoolRow): unknown[] {
  return [
    p.accountId,
    p.region,
    p.name,
    p.allowUnauthenticated ? 1 : 0,
    p.allowClassicFlow ? 1 : 0,
    JSON.stringify(p.supportedLoginProviders),
    p.developerProviderName,
    JSON.stringify(p.openIdConnectProviderArns),
    JSON.stringify(p.cognitoIdentityProviders),
    JSON.stringify(p.samlProviderArns),
    JSON.stringify(p.roles),
    JSON.stringify(p.roleMappings),
    JSON.stringify(p.tags),
    p.fromConfig ? 1 : 0,
  ];
}

/** Identity pools and their principal tag maps. Reads are cached until the next write (see ReadCache). */
export class IdentityPoolRepository {
  private readonly byId;
  private readonly byAccount;
  private readonly insert;
  private readonly update;
  private readonly remove;
  private readonly tagMapGet;
  private readonly tagMapPut;
  private readonly tagMapList;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM identity_pools WHERE id = ?`);
    this.byAccount = db.prepare(
      `SELECT ${COLUMNS} FROM identity_pools WHERE account_id = ? AND region = ? AND id > ? ORDER BY id LIMIT ?`,
    );
    this.insert = db.prepare(`INSERT INTO identity_pools (account_id, region, name, allow_unauthenticated,
      allow_classic_flow, supported_login_providers, developer_provider_name, open_id_connect_provider_arns,
      cognito_identity_providers, saml_provider_arns, roles, role_mappings, tags, from_config, id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.update = db.prepare(`UPDATE identity_pools SET account_id = ?, region = ?, name = ?,
      allow_unauthenticated = ?, allow_classic_flow = ?, supported_login_providers = ?, developer_provider_name = ?,
      open_id_connect_provider_arns = ?, cognito_identity_providers = ?, saml_provider_arns = ?, roles = ?,
      role_mappings = ?, tags = ?, from_config = ? WHERE id = ?`);
    this.remove = db.prepare("DELETE FROM identity_pools WHERE id = ?");
    this.tagMapGet = db.prepare(
      `SELECT pool_id AS poolId, provider_name AS providerName, use_defaults AS useDefaults,
        principal_tags AS principalTags FROM identity_pool_principal_tags WHERE pool_id = ? AND provider_name = ?`,
    );
    this.tagMapList = db.prepare(
      "SELECT provider_name AS providerName FROM identity_pool_principal_tags WHERE pool_id = ?",
    );
    this.tagMapPut =
      db.prepare(`INSERT INTO identity_pool_principal_tags (pool_id, provider_name, use_defaults, principal_tags)
      VALUES (?, ?, ?, ?) ON CONFLICT (pool_id, provider_name) DO UPDATE SET use_defaults = excluded.use_defaults,
      principal_tags = excluded.principal_tags`);
  }

  get(id: string): IdentityPoolRow | undefined {
    return this.cache.get(`identityPools.get:${id}`, () => toRow(this.byId.get(id) as Raw | undefined));
  }

  /** A page of the account's pools in one region, by id, after `afterId`. */
  list(accountId: string, region: string, afterId: string, limit: number): IdentityPoolRow[] {
    return (this.byAccount.all(accountId, region, afterId, limit) as Raw[]).map((r) => toRow(r)!);
  }

  create(p: IdentityPoolRow): void {
    this.cache.clear();
    this.insert.run(...params(p), p.id, p.createdAt);
  }

  save(p: IdentityPoolRow): void {
    this.cache.clear();
    this.update.run(...params(p), p.id);
  }

  /** Deletes the pool with its identities, logins and tag maps (ON DELETE CASCADE). */
  delete(id: string): boolean {
    this.cache.clear();
    return this.remove.run(id).changes > 0;
  }

  principalTagMap(poolId: string, providerName: string): PrincipalTagMapRow | undefined {
    return this.cache.get(`identityPools.tagMap:${poolId}\n${providerName}`, () => {
      const raw = this.tagMapGet.get(poolId, providerName) as
        | { poolId: string; providerName: string; useDefaults: number; principalTags: string }
        | undefined;
      return (
        raw && {
          ...raw,
          useDefaults: raw.useDefaults === 1,
          principalTags: JSON.parse(raw.principalTags) as Record<string, string>,
        }
      );
    });
  }

  principalTagProviders(poolId: string): string[] {
    return (this.tagMapList.all(poolId) as { providerName: string }[]).map((r) => r.providerName);
  }

  putPrincipalTagMap(m: PrincipalTagMapRow): void {
    this.cache.clear();
    this.tagMapPut.run(m.poolId, m.providerName, m.useDefaults ? 1 : 0, JSON.stringify(m.principalTags));
  }
}
