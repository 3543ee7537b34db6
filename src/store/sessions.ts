import type { Db } from "./database.js";
import { parseTags, serializeTags, type Tag } from "./tags.js";

export type SessionKind = "user-session" | "assumed-role" | "federated-user";

/** One set of temporary credentials and everything policy evaluation needs about it. */
export interface SessionRow {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  kind: SessionKind;
  principalArn: string;
  userId: string;
  sourceId: string | null;
  roleArn: string | null;
  sessionName: string | null;
  /** Session policies: the inline Policy text, and managed session policies by ARN (resolved per request). */
  sessionPolicies: string[];
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity: string | null;
  chained: boolean;
  issuedAt: number;
  expiresAt: number;
  /** Condition keys from the identity provider (SAML:sub, ...), for sessions from federation. */
  federationKeys?: Record<string, string[]>;
  /** The verified web-identity token of an AssumeRoleWithWebIdentity session. */
  webIdentityToken?: string;
}

const COLUMNS = `access_key_id AS accessKeyId, secret_access_key AS secretAccessKey, session_token AS sessionToken,
  account_id AS accountId, kind, principal_arn AS principalArn, user_id AS userId, source_id AS sourceId,
  role_arn AS roleArn, session_name AS sessionName, session_policies AS sessionPolicies, tags,
  transitive_tag_keys AS transitiveTagKeys, source_identity AS sourceIdentity, chained, issued_at AS issuedAt,
  expires_at AS expiresAt, federation_keys AS federationKeys, web_identity_token AS webIdentityToken`;

type RawSession = Omit<
  SessionRow,
  "sessionPolicies" | "tags" | "transitiveTagKeys" | "chained" | "federationKeys" | "webIdentityToken"
> & {
  federationKeys: string;
  webIdentityToken: string | null;
  sessionPolicies: string;
  tags: string;
  transitiveTagKeys: string;
  chained: number;
};

const toRow = (r: RawSession | undefined): SessionRow | undefined =>
  r &&
  Object.freeze({
    ...r,
    webIdentityToken: r.webIdentityToken ?? undefined,
    sessionPolicies: JSON.parse(r.sessionPolicies) as string[],
    tags: parseTags(r.tags),
    transitiveTagKeys: JSON.parse(r.transitiveTagKeys) as string[],
    chained: r.chained === 1,
    federationKeys:
      r.federationKeys === "{}" ? undefined : (JSON.parse(r.federationKeys) as Record<string, string[]>),
  });

/** Sessions read on every signed request; they never change once issued, so reads are cached (bounded). */
const MAX_CACHED = 10_000;
/** A group commit writes at most this many sessions; more are written at once, in the call that stages them. */
const MAX_STAGED = 256;

interface Staged {
  row: SessionRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SessionRepository {
  private readonly cache = new Map<string, SessionRow>();
  private readonly byKey;
  private readonly insert;
  private readonly purge;
  private readonly active;
  private staged: Staged[] = [];
  /** Staged rows by access key id: a read in this process sees a session its own request just issued. */
  private readonly stagedByKey = new Map<string, SessionRow>();
  private flushScheduled = false;

  constructor(private readonly db: Db) {
    this.byKey = db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE access_key_id = ?`);
    this.insert =
      db.prepare(`INSERT INTO sessions (access_key_id, secret_access_key, session_token, account_id, kind,
      principal_arn, user_id, source_id, role_arn, session_name, session_policies, tags, transitive_tag_keys,
      source_identity, chained, issued_at, expires_at, federation_keys, web_identity_token)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.purge = db.prepare("DELETE FROM sessions WHERE expires_at < ?");
    this.active = db.prepare(
      `SELECT ${COLUMNS} FROM sessions WHERE expires_at > ? ORDER BY expires_at LIMIT ?`,
    );
  }

  /** Sessions not yet expired at `now` (epoch ms), soonest to expire first: what the console lists. */
  listActive(now: number, limit: number): SessionRow[] {
    this.commitStaged();
    return (this.active.all(now, limit) as RawSession[]).map((r) => toRow(r)!);
  }

  get(accessKeyId: string): SessionRow | undefined {
    const cached = this.cache.get(accessKeyId) ?? this.stagedByKey.get(accessKeyId);
    if (cached) return cached;
    const row = toRow(this.byKey.get(accessKeyId) as RawSession | undefined);
    if (row) {
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(accessKeyId, row);
    }
    return row;
  }

  /** Forgets cached reads (the store was emptied, or rows were removed). */
  forget(): void {
    this.cache.clear();
  }

  /** Writes the session now, in its own transaction. */
  create(s: SessionRow): void {
    this.write(s);
  }

  /**
   * Writes the session in a group commit: every session staged in this turn of the event loop is inserted in
   * one transaction once the turn's I/O callbacks have run (one commit, a few WAL frames, instead of one
   * each). Resolves once the row is committed, so a caller that answers after awaiting it hands out
   * credentials only when any process on the database can read them, and a crash before the commit loses
   * only sessions nobody was told about. A failed batch is retried row by row, so a row's own error reaches
   * its request alone, as `create` would throw it.
   */
  stage(row: SessionRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.staged.push({ row, resolve, reject });
      this.stagedByKey.set(row.accessKeyId, row);
      if (this.staged.length >= MAX_STAGED) this.commitStaged();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.commitStaged());
      }
    });
  }

  /** Commits what is staged now (reads and deletes that scan the table see every issued session). */
  commitStaged(): void {
    this.flushScheduled = false;
    const batch = this.staged;
    if (batch.length === 0) return;
    this.staged = [];
    try {
      this.db.transaction(() => {
        for (const s of batch) this.write(s.row);
      })();
      for (const s of batch) s.resolve();
    } catch {
      for (const s of batch) {
        try {
          this.write(s.row);
          s.resolve();
        } catch (error) {
          s.reject(error);
        }
      }
    } finally {
      for (const s of batch) this.stagedByKey.delete(s.row.accessKeyId);
    }
  }

  private write(s: SessionRow): void {
    this.insert.run(
      s.accessKeyId,
      s.secretAccessKey,
      s.sessionToken,
      s.accountId,
      s.kind,
      s.principalArn,
      s.userId,
      s.sourceId,
      s.roleArn,
      s.sessionName,
      JSON.stringify(s.sessionPolicies),
      serializeTags(s.tags),
      JSON.stringify(s.transitiveTagKeys),
      s.sourceIdentity,
      s.chained ? 1 : 0,
      s.issuedAt,
      s.expiresAt,
      JSON.stringify(s.federationKeys ?? {}),
      s.webIdentityToken ?? null,
    );
  }

  /** Drops sessions that expired before `before` (epoch ms); returns how many. */
  deleteExpired(before: number): number {
    this.commitStaged();
    this.cache.clear();
    return this.purge.run(before).changes;
  }
}
