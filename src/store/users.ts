import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";
import { parseTags, serializeTags, type Tag } from "./tags.js";

export interface UserRow {
  id: string;
  accountId: string;
  name: string;
  path: string;
  permissionsBoundaryArn: string | null;
  tags: Tag[];
  createdAt: number;
}

const COLUMNS =
  "id, account_id AS accountId, name, path, permissions_boundary_arn AS permissionsBoundaryArn, tags, created_at AS createdAt";

type RawUser = Omit<UserRow, "tags"> & { tags: string };
const toRow = (raw: RawUser | undefined): UserRow | undefined => raw && { ...raw, tags: parseTags(raw.tags) };

export class UserRepository {
  private readonly byId;
  private readonly byName;
  private readonly list;
  private readonly insert;
  private readonly remove;
  private readonly setBoundary;
  private readonly setTags;
  private readonly setPath;

  constructor(
    db: Db,
    private readonly cache: ReadCache,
  ) {
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM users WHERE id = ?`);
    this.byName = db.prepare(`SELECT ${COLUMNS} FROM users WHERE account_id = ? AND name = ? COLLATE NOCASE`);
    this.list = db.prepare(`SELECT ${COLUMNS} FROM users WHERE account_id = ? ORDER BY name`);
    this.insert = db.prepare(
      "INSERT INTO users (id, account_id, name, path, permissions_boundary_arn, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.remove = db.prepare("DELETE FROM users WHERE id = ?");
    this.setBoundary = db.prepare("UPDATE users SET permissions_boundary_arn = ? WHERE id = ?");
    this.setTags = db.prepare("UPDATE users SET tags = ? WHERE id = ?");
    this.setPath = db.prepare("UPDATE users SET path = ? WHERE id = ?");
  }

  get(id: string): UserRow | undefined {
    return this.cache.get(`users.get:${id}`, () => toRow(this.byId.get(id) as RawUser | undefined));
  }

  findByName(accountId: string, name: string): UserRow | undefined {
    return this.cache.get(`users.findByName:${accountId}:${name.toLowerCase()}`, () =>
      toRow(this.byName.get(accountId, name) as RawUser | undefined),
    );
  }

  listByAccount(accountId: string): UserRow[] {
    return (this.list.all(accountId) as RawUser[]).map((r) => toRow(r)!);
  }

  create(user: UserRow): void {
    this.cache.clear();
    this.insert.run(
      user.id,
      user.accountId,
      user.name,
      user.path,
      user.permissionsBoundaryArn,
      serializeTags(user.tags),
      user.createdAt,
    );
  }

  delete(id: string): void {
    this.cache.clear();
    this.remove.run(id);
  }

  updateBoundary(id: string, arn: string | null): void {
    this.cache.clear();
    this.setBoundary.run(arn, id);
  }

  updateTags(id: string, tags: readonly Tag[]): void {
    this.cache.clear();
    this.setTags.run(serializeTags(tags), id);
  }

  updatePath(id: string, path: string): void {
    this.cache.clear();
    this.setPath.run(path, id);
  }
}
