import type { Db } from "./database.js";

/** A pool's API settings, kept as JSON: what DescribeUserPool answers beyond id, name and dates. */
export interface PoolSettings {
  passwordPolicy: {
    MinimumLength: number;
    RequireUppercase: boolean;
    RequireLowercase: boolean;
    RequireNumbers: boolean;
    RequireSymbols: boolean;
    TemporaryPasswordValidityDays: number;
  };
  usernameAttributes?: string[];
  aliasAttributes?: string[];
  autoVerifiedAttributes?: string[];
}

export interface ClientSettings {
  explicitAuthFlows: string[];
  preventUserExistenceErrors: "LEGACY" | "ENABLED";
  refreshTokenValidity: number;
  accessTokenValidity: number;
  idTokenValidity: number;
  tokenValidityUnits: { AccessToken: string; IdToken: string; RefreshToken: string };
}

export interface PoolRow {
  id: string;
  accountId: string;
  region: string;
  name: string;
  settings: PoolSettings;
  createdAt: number;
  updatedAt: number;
}

export interface ClientRow {
  id: string;
  poolId: string;
  name: string;
  secret: string | null;
  settings: ClientSettings;
  createdAt: number;
  updatedAt: number;
}

export type UserStatus = "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "RESET_REQUIRED";

export interface PoolUserRow {
  poolId: string;
  username: string;
  sub: string;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  passwordHash: string | null;
  srpSalt: string | null;
  srpVerifier: string | null;
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
  createdAt: number;
  updatedAt: number;
}

export interface GroupRow {
  poolId: string;
  name: string;
  description: string | null;
  roleArn: string | null;
  precedence: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface RefreshTokenRow {
  tokenHash: string;
  poolId: string;
  clientId: string;
  username: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
  revoked: boolean;
}

export interface CodeRow {
  poolId: string;
  username: string;
  /** attribute:NAME codes are each bound to the attribute they were sent to (a code proves that one address). */
  purpose: "signup" | "forgot-password" | "attribute:email" | "attribute:phone_number" | "temporary-password";
  code: string;
  expiresAt: number;
  createdAt: number;
}

type Raw = Record<string, unknown>;

/** Cognito user pools and what lives in them (migration 6). */
export class UserPoolRepository {
  constructor(private readonly db: Db) {}

  // pools
  insertPool(p: PoolRow): void {
    this.db
      .prepare(
        "INSERT INTO cognito_user_pools (id, account_id, region, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(p.id, p.accountId, p.region, p.name, JSON.stringify(p.settings), p.createdAt, p.updatedAt);
  }
  updatePool(id: string, settings: PoolSettings, now: number): void {
    this.db
      .prepare("UPDATE cognito_user_pools SET settings = ?, updated_at = ? WHERE id = ?")
      .run(JSON.stringify(settings), now, id);
  }
  getPool(id: string): PoolRow | undefined {
    const r = this.db.prepare("SELECT * FROM cognito_user_pools WHERE id = ?").get(id) as Raw | undefined;
    return r && pool(r);
  }
  listPools(accountId: string, region: string): PoolRow[] {
    return (
      this.db
        .prepare(
          "SELECT * FROM cognito_user_pools WHERE account_id = ? AND region = ? ORDER BY created_at, id",
        )
        .all(accountId, region) as Raw[]
    ).map(pool);
  }
  deletePool(id: string): void {
    this.db.prepare("DELETE FROM cognito_refresh_tokens WHERE pool_id = ?").run(id);
    this.db.prepare("DELETE FROM cognito_user_pools WHERE id = ?").run(id);
  }

  // clients
  insertClient(c: ClientRow): void {
    this.db
      .prepare(
        "INSERT INTO cognito_user_pool_clients (id, pool_id, name, secret, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(c.id, c.poolId, c.name, c.secret, JSON.stringify(c.settings), c.createdAt, c.updatedAt);
  }
  updateClient(id: string, name: string, settings: ClientSettings, now: number): void {
    this.db
      .prepare("UPDATE cognito_user_pool_clients SET name = ?, settings = ?, updated_at = ? WHERE id = ?")
      .run(name, JSON.stringify(settings), now, id);
  }
  getClient(id: string): ClientRow | undefined {
    const r = this.db.prepare("SELECT * FROM cognito_user_pool_clients WHERE id = ?").get(id) as
      | Raw
      | undefined;
    return r && client(r);
  }
  listClients(poolId: string): ClientRow[] {
    return (
      this.db
        .prepare("SELECT * FROM cognito_user_pool_clients WHERE pool_id = ? ORDER BY created_at, id")
        .all(poolId) as Raw[]
    ).map(client);
  }
  deleteClient(id: string): void {
    this.db.prepare("DELETE FROM cognito_user_pool_clients WHERE id = ?").run(id);
  }

  // users
  insertUser(u: PoolUserRow): void {
    this.db
      .prepare(
        `INSERT INTO cognito_users (pool_id, username, sub, status, enabled, attributes, password_hash, srp_salt,
         srp_verifier, failures, last_failure_at, locked_until, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        u.poolId,
        u.username,
        u.sub,
        u.status,
        u.enabled ? 1 : 0,
        JSON.stringify(u.attributes),
        u.passwordHash,
        u.srpSalt,
        u.srpVerifier,
        u.failures,
        u.lastFailureAt,
        u.lockedUntil,
        u.createdAt,
        u.updatedAt,
      );
  }
  getUser(poolId: string, username: string): PoolUserRow | undefined {
    const r = this.db
      .prepare("SELECT * FROM cognito_users WHERE pool_id = ? AND username = ?")
      .get(poolId, username) as Raw | undefined;
    return r && user(r);
  }
  listUsers(poolId: string): PoolUserRow[] {
    return (
      this.db
        .prepare("SELECT * FROM cognito_users WHERE pool_id = ? ORDER BY created_at, username")
        .all(poolId) as Raw[]
    ).map(user);
  }
  setPassword(
    poolId: string,
    username: string,
    p: { passwordHash: string; srpSalt: string; srpVerifier: string; status: UserStatus },
    now: number,
  ): void {
    this.db
      .prepare(
        "UPDATE cognito_users SET password_hash = ?, srp_salt = ?, srp_verifier = ?, status = ?, failures = 0, locked_until = 0, updated_at = ? WHERE pool_id = ? AND username = ?",
      )
      .run(p.passwordHash, p.srpSalt, p.srpVerifier, p.status, now, poolId, username);
  }
  setStatus(poolId: string, username: string, status: UserStatus, now: number): void {
    this.db
      .prepare("UPDATE cognito_users SET status = ?, updated_at = ? WHERE pool_id = ? AND username = ?")
      .run(status, now, poolId, username);
  }
  setEnabled(poolId: string, username: string, enabled: boolean, now: number): void {
    this.db
      .prepare("UPDATE cognito_users SET enabled = ?, updated_at = ? WHERE pool_id = ? AND username = ?")
      .run(enabled ? 1 : 0, now, poolId, username);
  }
  setAttributes(poolId: string, username: string, attributes: Record<string, string>, now: number): void {
    this.db
      .prepare("UPDATE cognito_users SET attributes = ?, updated_at = ? WHERE pool_id = ? AND username = ?")
      .run(JSON.stringify(attributes), now, poolId, username);
  }
  setFailures(
    poolId: string,
    username: string,
    s: { failures: number; lastFailureAt: number; lockedUntil: number },
  ): void {
    this.db
      .prepare(
        "UPDATE cognito_users SET failures = ?, last_failure_at = ?, locked_until = ? WHERE pool_id = ? AND username = ?",
      )
      .run(s.failures, s.lastFailureAt, s.lockedUntil, poolId, username);
  }
  deleteUser(poolId: string, username: string): void {
    this.db.prepare("DELETE FROM cognito_users WHERE pool_id = ? AND username = ?").run(poolId, username);
  }

  // groups
  insertGroup(g: GroupRow): void {
    this.db
      .prepare(
        "INSERT INTO cognito_groups (pool_id, name, description, role_arn, precedence, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(g.poolId, g.name, g.description, g.roleArn, g.precedence, g.createdAt, g.updatedAt);
  }
  updateGroup(g: GroupRow): void {
    this.db
      .prepare(
        "UPDATE cognito_groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?",
      )
      .run(g.description, g.roleArn, g.precedence, g.updatedAt, g.poolId, g.name);
  }
  getGroup(poolId: string, name: string): GroupRow | undefined {
    const r = this.db
      .prepare("SELECT * FROM cognito_groups WHERE pool_id = ? AND name = ?")
      .get(poolId, name) as Raw | undefined;
    return r && group(r);
  }
  listGroups(poolId: string): GroupRow[] {
    return (
      this.db.prepare("SELECT * FROM cognito_groups WHERE pool_id = ? ORDER BY name").all(poolId) as Raw[]
    ).map(group);
  }
  deleteGroup(poolId: string, name: string): void {
    this.db.prepare("DELETE FROM cognito_groups WHERE pool_id = ? AND name = ?").run(poolId, name);
  }
  addMember(poolId: string, groupName: string, username: string): void {
    this.db
      .prepare("INSERT OR IGNORE INTO cognito_group_members (pool_id, group_name, username) VALUES (?, ?, ?)")
      .run(poolId, groupName, username);
  }
  removeMember(poolId: string, groupName: string, username: string): void {
    this.db
      .prepare("DELETE FROM cognito_group_members WHERE pool_id = ? AND group_name = ? AND username = ?")
      .run(poolId, groupName, username);
  }
  /** A user's groups in Cognito's token order: by precedence (lowest first, none last), then name. */
  groupsOf(poolId: string, username: string): GroupRow[] {
    return (
      this.db
        .prepare(
          `SELECT g.* FROM cognito_group_members m JOIN cognito_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
           WHERE m.pool_id = ? AND m.username = ? ORDER BY g.precedence IS NULL, g.precedence, g.name`,
        )
        .all(poolId, username) as Raw[]
    ).map(group);
  }

  // refresh tokens
  insertRefreshToken(t: RefreshTokenRow): void {
    this.db
      .prepare(
        "INSERT INTO cognito_refresh_tokens (token_hash, pool_id, client_id, username, origin_jti, auth_time, expires_at, revoked) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
      )
      .run(t.tokenHash, t.poolId, t.clientId, t.username, t.originJti, t.authTime, t.expiresAt);
  }
  getRefreshToken(tokenHash: string): RefreshTokenRow | undefined {
    const r = this.db.prepare("SELECT * FROM cognito_refresh_tokens WHERE token_hash = ?").get(tokenHash) as
      | Raw
      | undefined;
    return r && refresh(r);
  }
  getByOriginJti(originJti: string): RefreshTokenRow | undefined {
    const r = this.db.prepare("SELECT * FROM cognito_refresh_tokens WHERE origin_jti = ?").get(originJti) as
      | Raw
      | undefined;
    return r && refresh(r);
  }
  revokeRefreshToken(tokenHash: string): void {
    this.db.prepare("UPDATE cognito_refresh_tokens SET revoked = 1 WHERE token_hash = ?").run(tokenHash);
  }
  revokeAllOf(poolId: string, username: string): void {
    this.db
      .prepare("UPDATE cognito_refresh_tokens SET revoked = 1 WHERE pool_id = ? AND username = ?")
      .run(poolId, username);
  }

  // codes
  putCode(c: CodeRow): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO cognito_codes (pool_id, username, purpose, code, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(c.poolId, c.username, c.purpose, c.code, c.expiresAt, c.createdAt);
  }
  getCode(poolId: string, username: string, purpose: CodeRow["purpose"]): CodeRow | undefined {
    const r = this.db
      .prepare("SELECT * FROM cognito_codes WHERE pool_id = ? AND username = ? AND purpose = ?")
      .get(poolId, username, purpose) as Raw | undefined;
    return r && code(r);
  }
  codesOf(poolId: string, username: string): CodeRow[] {
    return (
      this.db
        .prepare("SELECT * FROM cognito_codes WHERE pool_id = ? AND username = ? ORDER BY created_at")
        .all(poolId, username) as Raw[]
    ).map(code);
  }
  deleteCode(poolId: string, username: string, purpose: CodeRow["purpose"]): void {
    this.db
      .prepare("DELETE FROM cognito_codes WHERE pool_id = ? AND username = ? AND purpose = ?")
      .run(poolId, username, purpose);
  }
}

const repositories = new WeakMap<Db, UserPoolRepository>();

/** The repository over a store's database, made once (kept out of Store so the shared file stays as it is). */
export function userPoolRepository(store: { db: Db }): UserPoolRepository {
  let repo = repositories.get(store.db);
  if (!repo) {
    repo = new UserPoolRepository(store.db);
    repositories.set(store.db, repo);
  }
  return repo;
}

const pool = (r: Raw): PoolRow => ({
  id: r.id as string,
  accountId: r.account_id as string,
  region: r.region as string,
  name: r.name as string,
  settings: JSON.parse(r.settings as string) as PoolSettings,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});
const client = (r: Raw): ClientRow => ({
  id: r.id as string,
  poolId: r.pool_id as string,
  name: r.name as string,
  secret: (r.secret as string | null) ?? null,
  settings: JSON.parse(r.settings as string) as ClientSettings,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});
const user = (r: Raw): PoolUserRow => ({
  poolId: r.pool_id as string,
  username: r.username as string,
  sub: r.sub as string,
  status: r.status as UserStatus,
  enabled: r.enabled === 1,
  attributes: JSON.parse(r.attributes as string) as Record<string, string>,
  passwordHash: (r.password_hash as string | null) ?? null,
  srpSalt: (r.srp_salt as string | null) ?? null,
  srpVerifier: (r.srp_verifier as string | null) ?? null,
  failures: r.failures as number,
  lastFailureAt: r.last_failure_at as number,
  lockedUntil: r.locked_until as number,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});
const group = (r: Raw): GroupRow => ({
  poolId: r.pool_id as string,
  name: r.name as string,
  description: (r.description as string | null) ?? null,
  roleArn: (r.role_arn as string | null) ?? null,
  precedence: (r.precedence as number | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});
const refresh = (r: Raw): RefreshTokenRow => ({
  tokenHash: r.token_hash as string,
  poolId: r.pool_id as string,
  clientId: r.client_id as string,
  username: r.username as string,
  originJti: r.origin_jti as string,
  authTime: r.auth_time as number,
  expiresAt: r.expires_at as number,
  revoked: r.revoked === 1,
});
const code = (r: Raw): CodeRow => ({
  poolId: r.pool_id as string,
  username: r.username as string,
  purpose: r.purpose as CodeRow["purpose"],
  code: r.code as string,
  expiresAt: r.expires_at as number,
  createdAt: r.created_at as number,
});
