import type { Db } from "./database.js";

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

/** Cognito identities and the logins linked to them: what makes an identity id stable across sign-ins and restarts. */
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

  constructor(db: Db) {
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
    return toIdentity(this.byId.get(id) as RawIdentity | undefined);
  }

  /** A page of a pool's identities by id, after `afterId`. */
  list(poolId: string, afterId: string, limit: number, hideDisabled: boolean): CognitoIdentityRow[] {
    const stmt = hideDisabled ? this.pageEnabled : this.page;
    return (stmt.all(poolId, afterId, limit) as RawIdentity[]).map((r) => toIdentity(r)!);
  }

  create(id: string, poolId: string, now: number): CognitoIdentityRow {
    this.insert.run(id, poolId, now, now);
    return { id, poolId, disabled: false, createdAt: now, modifiedAt: now };
  }

  delete(id: string): boolean {
    return this.remove.run(id).changes > 0;
  }

  setDisabled(id: string, disabled: boolean, now: number): void {
    this.setState.run(disabled ? 1 : 0, now, id);
  }

  /** The identity a login is linked to in a pool. */
  linked(poolId: string, provider: string, subject: string): LinkedLogin | undefined {
    return this.loginGet.get(poolId, provider, subject) as LinkedLogin | undefined;
  }

  logins(identityId: string): LinkedLogin[] {
    return this.loginsOf.all(identityId) as LinkedLogin[];
  }

  link(login: LinkedLogin): void {
    this.loginInsert.run(login.poolId, login.provider, login.subject, login.identityId, login.linkedAt);
  }

  unlink(poolId: string, provider: string, subject: string): boolean {
    return this.loginDelete.run(poolId, provider, subject).changes > 0;
  }

  /** Moves every login of one identity to another (MergeDeveloperIdentities). */
  moveLogins(fromIdentityId: string, toIdentityId: string): void {
    this.loginMove.run(toIdentityId, fromIdentityId);
  }
}
