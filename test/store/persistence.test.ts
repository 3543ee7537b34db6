import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newSecretAccessKey, newSessionToken, newUniqueId } from "../../src/core/ids.js";
import { Store } from "../../src/store/store.js";

describe("the SQLite store", () => {
  const dirs: string[] = [];
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "fedsim-store-"));
    dirs.push(dir);
    return join(dir, "fedsim.sqlite");
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("keeps accounts, users, keys and sessions across a close and reopen", () => {
    const file = tempFile();
    const store = Store.open(file);
    store.accounts.upsert("111122223333", "demo", 1);
    const userId = newUniqueId("AIDA");
    store.users.create({
      id: userId,
      accountId: "111122223333",
      name: "carol",
      path: "/",
      permissionsBoundaryArn: null,
      tags: [{ key: "team", value: "x" }],
      createdAt: 1,
    });
    const session = {
      accessKeyId: newUniqueId("ASIA"),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      accountId: "111122223333",
      kind: "user-session" as const,
      principalArn: "arn:aws:iam::111122223333:user/carol",
      userId,
      sourceId: userId,
      roleArn: null,
      sessionName: null,
      sessionPolicies: ['{"Version":"2012-10-17","Statement":[]}'],
      tags: [{ key: "project", value: "pets" }],
      transitiveTagKeys: ["project"],
      sourceIdentity: "carol",
      chained: true,
      issuedAt: 10,
      expiresAt: 20,
      federationKeys: {
        "SAML:sub": ["carol@example.com"],
        "SAML:aud": ["https://signin.aws.amazon.com/saml"],
      },
    };
    store.sessions.create(session);
    store.close();

    const reopened = Store.open(file);
    expect(reopened.users.findByName("111122223333", "CAROL")?.tags).toEqual([{ key: "team", value: "x" }]);
    expect(reopened.sessions.get(session.accessKeyId)).toEqual(session);
    reopened.close();
  });

  it("runs each migration once and records it", () => {
    const file = tempFile();
    Store.open(file).close();
    const store = Store.open(file);
    const rows = store.db.prepare("SELECT version FROM schema_migrations").all();
    expect(rows).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
      { version: 8 },
    ]);
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    store.close();
  });

  it("upgrades a database made before migration 3 and keeps its sessions", () => {
    const file = tempFile();
    const old = Store.open(file);
    old.db.exec(
      "ALTER TABLE sessions DROP COLUMN federation_keys; DELETE FROM schema_migrations WHERE version = 3",
    );
    old.db
      .prepare(
        `INSERT INTO sessions (access_key_id, secret_access_key, session_token, account_id, kind, principal_arn,
         user_id, source_id, role_arn, session_name, session_policies, tags, transitive_tag_keys, source_identity,
         chained, issued_at, expires_at) VALUES ('ASIAOLDSESSION00001', 's', 't', '111122223333', 'user-session',
         'arn:aws:iam::111122223333:user/carol', 'AIDA', 'AIDA', NULL, NULL, '[]', '[]', '[]', NULL, 0, 1, 2)`,
      )
      .run();
    old.close();
    const upgraded = Store.open(file);
    expect(upgraded.sessions.get("ASIAOLDSESSION00001")).toMatchObject({
      sessionToken: "t",
      federationKeys: undefined,
    });
    upgraded.close();
  });

  it("upgrades a database made before migration 8: its sessions kept, session_token no longer indexed", () => {
    const file = tempFile();
    const old = Store.open(file);
    // The sessions table as migrations 1-7 left it: session_token UNIQUE.
    const current = old.db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'sessions'")
      .pluck()
      .get() as string;
    old.db.exec(
      `DROP TABLE sessions; ${current.replace("session_token TEXT NOT NULL", "session_token TEXT NOT NULL UNIQUE")};
       CREATE INDEX sessions_by_expiry ON sessions(expires_at); DELETE FROM schema_migrations WHERE version = 8`,
    );
    old.db
      .prepare(
        `INSERT INTO sessions (access_key_id, secret_access_key, session_token, account_id, kind, principal_arn,
         user_id, source_id, role_arn, session_name, session_policies, tags, transitive_tag_keys, source_identity,
         chained, issued_at, expires_at, federation_keys, web_identity_token) VALUES ('ASIAOLDSESSION00008', 's',
         't', '111122223333', 'assumed-role', 'arn:aws:sts::111122223333:assumed-role/R/s', 'AROA:s', 'AROA',
         'arn:aws:iam::111122223333:role/R', 's', '[]', '[]', '[]', NULL, 0, 1, 2, '{"SAML:sub":["x"]}', 'jwt')`,
      )
      .run();
    expect(old.db.pragma("index_list(sessions)")).toHaveLength(3);
    old.close();
    const upgraded = Store.open(file);
    expect(upgraded.sessions.get("ASIAOLDSESSION00008")).toMatchObject({
      sessionToken: "t",
      roleArn: "arn:aws:iam::111122223333:role/R",
      federationKeys: { "SAML:sub": ["x"] },
      webIdentityToken: "jwt",
      expiresAt: 2,
    });
    const indexes = (upgraded.db.pragma("index_list(sessions)") as { name: string }[]).map((i) => i.name);
    expect(indexes.sort()).toEqual(["sessions_by_expiry", "sqlite_autoindex_sessions_1"]);
    upgraded.close();
  });

  it("rolls back every row of a failed multi-row write", () => {
    const store = Store.open(":memory:");
    store.accounts.upsert("111122223333", null, 1);
    expect(() =>
      store.transaction(() => {
        store.users.create({
          id: "AIDAAAAAAAAAAAAAAAAA",
          accountId: "111122223333",
          name: "dup",
          path: "/",
          permissionsBoundaryArn: null,
          tags: [],
          createdAt: 1,
        });
        store.users.create({
          id: "AIDABBBBBBBBBBBBBBBB",
          accountId: "111122223333",
          name: "DUP",
          path: "/",
          permissionsBoundaryArn: null,
          tags: [],
          createdAt: 1,
        });
      }),
    ).toThrow(/UNIQUE/);
    expect(store.users.listByAccount("111122223333")).toEqual([]);
    store.close();
  });

  it("deletes only sessions that have expired", () => {
    const store = Store.open(":memory:");
    const base = {
      secretAccessKey: "s",
      accountId: "1",
      kind: "user-session" as const,
      principalArn: "a",
      userId: "u",
      sourceId: null,
      roleArn: null,
      sessionName: null,
      sessionPolicies: [],
      tags: [],
      transitiveTagKeys: [],
      sourceIdentity: null,
      chained: false,
      issuedAt: 0,
    };
    store.sessions.create({ ...base, accessKeyId: "ASIAOLD", sessionToken: "t1", expiresAt: 100 });
    store.sessions.create({ ...base, accessKeyId: "ASIANEW", sessionToken: "t2", expiresAt: 300 });
    expect(store.sessions.deleteExpired(200)).toBe(1);
    expect(store.sessions.get("ASIANEW")).toBeDefined();
    expect(store.sessions.get("ASIAOLD")).toBeUndefined();
    store.close();
  });
});
