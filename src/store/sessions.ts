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
}

const COLUMNS = `access_key_id AS accessKeyId, secret_access_key AS secretAccessKey, session_token AS sessionToken,
  account_id AS accountId, kind, principal_arn AS principalArn, user_id AS userId, source_id AS sourceId,
  role_arn AS roleArn, session_name AS sessionName, session_policies AS sessionPolicies, tags,
  transitive_tag_keys AS transitiveTagKeys, source_identity AS sourceIdentity, chained, issued_at AS issuedAt,
  expires_at AS expiresAt, federation_keys AS federationKeys`;

type RawSession = Omit<
  SessionRow,
  "sessionPolicies" | "tags" | "transitiveTagKeys" | "chained" | "federationKeys"
> & {
  federationKeys: string;
  sessionPolicies: string;
  tags: string;
  transitiveTagKeys: string;
  chained: number;
};

const toRow = (r: RawSession | undefined): SessionRow | undefined =>
  r && {
    ...r,
    sessionPolicies: JSON.parse(r.sessionPolicies) as string[],
    tags: parseTags(r.tags),
    transitiveTagKeys: JSON.parse(r.transitiveTagKeys) as string[],
    chained: r.chained === 1,
    federationKeys:
      r.federationKeys === "{}" ? undefined : (JSON.parse(r.federationKeys) as Record<string, string[]>),
  };

export class SessionRepository {
  private readonly byKey;
  private readonly insert;
  private readonly purge;

  constructor(db: Db) {
    this.byKey = db.prepare(`SELECT ${COLUMNS} FROM sessions WHERE access_key_id = ?`);
    this.insert =
      db.prepare(`INSERT INTO sessions (access_key_id, secret_access_key, session_token, account_id, kind,
      principal_arn, user_id, source_id, role_arn, session_name, session_policies, tags, transitive_tag_keys,
      source_identity, chained, issued_at, expires_at, federation_keys)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.purge = db.prepare("DELETE FROM sessions WHERE expires_at < ?");
  }

  get(accessKeyId: string): SessionRow | undefined {
    return toRow(this.byKey.get(accessKeyId) as RawSession | undefined);
  }

  create(s: SessionRow): void {
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
    );
  }

  /** Drops sessions that expired before `before` (epoch ms); returns how many. */
  deleteExpired(before: number): number {
    return this.purge.run(before).changes;
  }
}
