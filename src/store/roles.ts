import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";
import { parseTags, serializeTags, type Tag } from "./tags.js";

export interface RoleRow {
  id: string;
  accountId: string;
  name: string;
  path: string;
  description: string | null;
  assumeRolePolicy: string;
  maxSessionDuration: number;
  permissionsBoundaryArn: string | null;
  tags: Tag[];
  createdAt: number;
}

const COLUMNS = `id, account_id AS accountId, name, path, description, assume_role_policy AS assumeRolePolicy,
  max_session_duration AS maxSessionDuration, permissions_boundary_arn AS permissionsBoundaryArn, tags, created_at AS createdAt`;

type RawRole = Omit<RoleRow, "tags"> & { tags: string };
const toRow = (raw: RawRole | undefined): RoleRow | undefined => raw && { ...raw, tags: parseTags(raw.tags) };

export class RoleRepository {
  private readonly byId;
  private readonly byName;
  private readonly list;
  private readonly insert;
  private readonly remove;
  private readonly update;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM roles WHERE id = ?`);
    this.byName = db.prepare(`SELECT ${COLUMNS} FROM roles WHERE account_id = ? AND name = ? COLLATE NOCASE`);
    this.list = db.prepare(`SELECT ${COLUMNS} FROM roles WHERE account_id = ? ORDER BY name`);
    this.insert = db.prepare(`INSERT INTO roles (id, account_id, name, path, description, assume_role_policy,
      max_session_duration, permissions_boundary_arn, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.remove = db.prepare("DELETE FROM roles WHERE id = ?");
    this.update =
      db.prepare(`UPDATE roles SET path = ?, description = ?, assume_role_policy = ?, max_session_duration = ?,
      permissions_boundary_arn = ?, tags = ? WHERE id = ?`);
  }

  get(id: string): RoleRow | undefined {
    return this.cache.get(`roles.get:${id}`, () => toRow(this.byId.get(id) as RawRole | undefined));
  }

  findByName(accountId: string, name: string): RoleRow | undefined {
    return this.cache.get(`roles.findByName:${accountId}:${name.toLowerCase()}`, () =>
      toRow(this.byName.get(accountId, name) as RawRole | undefined),
    );
  }

  listByAccount(accountId: string): RoleRow[] {
    return (this.list.all(accountId) as RawRole[]).map((r) => toRow(r)!);
  }

  create(role: RoleRow): void {
    this.cache.clear();
    this.insert.run(
      role.id,
      role.accountId,
      role.name,
      role.path,
      role.description,
      role.assumeRolePolicy,
      role.maxSessionDuration,
      role.permissionsBoundaryArn,
      serializeTags(role.tags),
      role.createdAt,
    );
  }

  /** Writes every mutable column; callers read-modify-write inside a transaction. */
  save(role: RoleRow): void {
    this.cache.clear();
    this.update.run(
      role.path,
      role.description,
      role.assumeRolePolicy,
      role.maxSessionDuration,
      role.permissionsBoundaryArn,
      serializeTags(role.tags),
      role.id,
    );
  }

  delete(id: string): void {
    this.cache.clear();
    this.remove.run(id);
  }
}
