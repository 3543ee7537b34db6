import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";

export interface AccessKeyRow {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** null for the account's root user. */
  userId: string | null;
  status: "Active" | "Inactive";
  createdAt: number;
}

const COLUMNS =
  "access_key_id AS accessKeyId, secret_access_key AS secretAccessKey, account_id AS accountId, user_id AS userId, status, created_at AS createdAt";

export class AccessKeyRepository {
  private readonly byId;
  private readonly byUser;
  private readonly insert;
  private readonly remove;
  private readonly setStatus;
  private readonly setSecret;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM access_keys WHERE access_key_id = ?`);
    this.byUser = db.prepare(`SELECT ${COLUMNS} FROM access_keys WHERE user_id = ? ORDER BY created_at`);
    this.insert = db.prepare(
      "INSERT INTO access_keys (access_key_id, secret_access_key, account_id, user_id, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.remove = db.prepare("DELETE FROM access_keys WHERE access_key_id = ?");
    this.setStatus = db.prepare("UPDATE access_keys SET status = ? WHERE access_key_id = ?");
    this.setSecret = db.prepare(
      "UPDATE access_keys SET secret_access_key = ?, user_id = ?, account_id = ? WHERE access_key_id = ?",
    );
  }

  get(accessKeyId: string): AccessKeyRow | undefined {
    return this.cache.get(
      `accessKeys.get:${accessKeyId}`,
      () => this.byId.get(accessKeyId) as AccessKeyRow | undefined,
    );
  }

  listByUser(userId: string): AccessKeyRow[] {
    return this.byUser.all(userId) as AccessKeyRow[];
  }

  create(key: AccessKeyRow): void {
    this.cache.clear();
    this.insert.run(
      key.accessKeyId,
      key.secretAccessKey,
      key.accountId,
      key.userId,
      key.status,
      key.createdAt,
    );
  }

  delete(accessKeyId: string): void {
    this.cache.clear();
    this.remove.run(accessKeyId);
  }

  updateStatus(accessKeyId: string, status: "Active" | "Inactive"): void {
    this.cache.clear();
    this.setStatus.run(status, accessKeyId);
  }

  /** Config-seeded keys are rebound to their configured owner and secret on each start. */
  rebind(key: Pick<AccessKeyRow, "accessKeyId" | "secretAccessKey" | "userId" | "accountId">): void {
    this.cache.clear();
    this.setSecret.run(key.secretAccessKey, key.userId, key.accountId, key.accessKeyId);
  }
}
