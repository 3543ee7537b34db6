import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";

export interface CognitoIdentityRow {
  id: string;
  poolId: string;
  /** Its last login was unlinked: no login reaches it any more. */
  disabled: boolean;
  createdAt: number;
  modifiedAt: number;
}

/** One login linked to an identity: the provider (the Logins key, or the developer provider name) and who. */
export interface LinkedLogin {
  poolId: string;
  provider: string;
  subject: string;
  identityId: string;
  linkedAt: number;
}

type RawIdentity = Omit<CognitoIdentityRow, "disabled"> & { disabled: number };
const toIdentity = (r: RawIdentity | undefined): CognitoIdentityRow | undefined =>
  r && { ...r, disabled: r.disabled === 1 };

const IDENTITY = "id, pool_id AS poolId, disabled, created_at AS createdAt, modified_at AS modifiedAt";
const LOGIN = "pool_id AS poolId, provider, subject, identity_id AS identityId, linked_at AS linkedAt";

/**
 * Cognito identities and the logins linked to them: what makes an identity id stable across sign-ins and restarts.
 * Every GetCredentialsForIdentity reads its identity and its logins, which change only at sign-in, link, unlink,
 * merge and delete: those reads are cached until the next write (see ReadCache). A pool's deletion, which
 * cascades to its identities in SQLite, clears the same cache through the pool repository.
 */
export class CognitoIdentityRepository {
  private readonly byId;
  private readonly page;
  private readonly pageEnabled;
  private readonly insert;
  private readonly remove;
  private readonly setState;
  private readonly loginGet;
  private readonly loginsOf;
  private readonly loginInsert;
  private readonly loginDelete;
  private readonly loginMove;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.byId = db.prepare(`SELECT ${IDENTITY} FROM cognito_identities WHERE id = ?`);
    this.page = db.prepare(
      `SELECT ${IDENTITY} FROM cognito_identities WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?`,
    );
    this.pageEnabled = db.prepare(
      `SELECT ${IDENTITY} FROM cognito_identities WHERE pool_id = ? AND id > ? AND disabled = 0 ORDER BY id LIMIT ?`,
    );
    this.insert = db.prepare(
      "INSERT INTO cognito_identities (id, pool_id, disabled, created_at, modified_at) VALUES (?, ?, 0, ?, ?)",
    );
    this.remove = db.prepare("DELETE FROM cognito_identities WHERE id = ?");
    this.setState = db.prepare("UPDATE cognito_identities SET disabled = ?, modified_at = ? WHERE id = ?");
    this.loginGet = db.prepare(
      `SELECT ${LOGIN} FROM cognito_identity_logins WHERE pool_id = ? AND provider = ? AND subject = ?`,
    );
    this.loginsOf = db.prepare(
      `SELECT ${LOGIN} FROM cognito_identity_logins WHERE identity_id = ? ORDER BY linked_at, provider, subject`,
    );
    this.loginInsert = db.prepare(
      "INSERT INTO cognito_identity_logins (pool_id, provider, subject, identity_id, linked_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.loginDelete = db.prepare(
      "DELETE FROM cognito_identity_logins WHERE pool_id = ? AND provider = ? AND subject = ?",
    );
    this.loginMove = db.prepare("UPDATE cognito_identity_logins SET identity_id = ? WHERE identity_id = ?");
  }

  get(id: string): CognitoIdentityRow | undefined {
    return this.cache.get(`cognitoIdentities.get:${id}`, () =>
      toIdentity(this.byId.get(id) as RawIdentity | undefined),
    );
  }

  /** A page of a pool's identities by id, after `afterId`. */
  list(poolId: string, afterId: string, limit: number, hideDisabled: boolean): CognitoIdentityRow[] {
    const stmt = hideDisabled ? this.pageEnabled : this.page;
    return (stmt.all(poolId, afterId, limit) as RawIdentity[]).map((r) => toIdentity(r)!);
  }

  create(id: string, poolId: string, now: number): CognitoIdentityRow {
    this.cache.clear();
    this.insert.run(id, poolId, now, now);
    return { id, poolId, disabled: false, createdAt: now, modifiedAt: now };
  }

  delete(id: string): boolean {
    this.cache.clear();
    return this.remove.run(id).changes > 0;
  }

  setDisabled(id: string, disabled: boolean, now: number): void {
    this.cache.clear();
    this.setState.run(disabled ? 1 : 0, now, id);
  }

  /** The identity a login is linked to in a pool. */
  linked(poolId: string, provider: string, subject: string): LinkedLogin | undefined {
    return this.cache.get(
      `cognitoIdentities.linked:${poolId}\n${provider}\n${subject}`,
      () => this.loginGet.get(poolId, provider, subject) as LinkedLogin | undefined,
    );
  }

  /** A fresh array (callers add to it as they link); the rows in it are frozen. */
  logins(identityId: string): LinkedLogin[] {
    return [
      ...this.cache.get(
        `cognitoIdentities.logins:${identityId}`,
        () => this.loginsOf.all(identityId) as LinkedLogin[],
      ),
    ];
  }

  link(login: LinkedLogin): void {
    this.cache.clear();
    this.loginInsert.run(login.poolId, login.provider, login.subject, login.identityId, login.linkedAt);
  }

  unlink(poolId: string, provider: string, subject: string): boolean {
    this.cache.clear();
    return this.loginDelete.run(poolId, provider, subject).changes > 0;
  }

  /** Moves every login of one identity to another (MergeDeveloperIdentities). */
  moveLogins(fromIdentityId: string, toIdentityId: string): void {
    this.cache.clear();
    this.loginMove.run(toIdentityId, fromIdentityId);
  }
}
