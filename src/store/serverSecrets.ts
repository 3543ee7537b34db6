import { randomBytes } from "node:crypto";
import type { Db } from "./database.js";

/** Per-database random keys, created on first use and stable across restarts. */
export class ServerSecretRepository {
  private readonly get;
  private readonly insert;

  constructor(db: Db) {
    this.get = db.prepare("SELECT value FROM server_secrets WHERE name = ?");
    this.insert = db.prepare("INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)");
  }

  secret(name: string, bytes = 32): Buffer {
    this.insert.run(name, randomBytes(bytes));
    return (this.get.get(name) as { value: Buffer }).value;
  }
}
