import type { Db } from "./database.js";

export interface AccountRow {
  id: string;
  alias: string | null;
  createdAt: number;
}

export class AccountRepository {
  private readonly byId;
  private readonly insert;
  private readonly updateAlias;

  constructor(db: Db) {
    this.byId = db.prepare("SELECT id, alias, created_at AS createdAt FROM accounts WHERE id = ?");
    this.insert = db.prepare("INSERT INTO accounts (id, alias, created_at) VALUES (?, ?, ?)");
    this.updateAlias = db.prepare("UPDATE accounts SET alias = ? WHERE id = ?");
  }

  get(id: string): AccountRow | undefined {
    return this.byId.get(id) as AccountRow | undefined;
  }

  /** Creates the account or updates its alias; returns true when anything changed. */
  upsert(id: string, alias: string | null, now: number): boolean {
    const existing = this.get(id);
    if (!existing) {
      this.insert.run(id, alias, now);
      return true;
    }
    if (existing.alias !== alias) {
      this.updateAlias.run(alias, id);
      return true;
    }
    return false;
  }
}
