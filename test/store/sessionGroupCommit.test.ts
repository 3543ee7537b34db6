import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { newSecretAccessKey, newSessionToken, newUniqueId } from "../../src/core/ids.js";
import type { SessionRow } from "../../src/store/sessions.js";
import { Store } from "../../src/store/store.js";

const session = (accountId = "111122223333"): SessionRow => ({
  accessKeyId: newUniqueId("ASIA"),
  secretAccessKey: newSecretAccessKey(),
  sessionToken: newSessionToken(),
  accountId,
  kind: "assumed-role",
  principalArn: `arn:aws:sts::${accountId}:assumed-role/Pets/s`,
  userId: "AROAEXAMPLEEXAMPLE12:s",
  sourceId: "AROAEXAMPLEEXAMPLE12",
  roleArn: `arn:aws:iam::${accountId}:role/Pets`,
  sessionName: "s",
  sessionPolicies: [],
  tags: [{ key: "team", value: "pets" }],
  transitiveTagKeys: [],
  sourceIdentity: null,
  chained: false,
  issuedAt: 10,
  expiresAt: Date.now() + 3_600_000,
  federationKeys: { "cognito-identity.amazonaws.com:aud": ["us-east-1:pool"] },
});

describe("sessions written in a group commit", () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const open = (file: string) => {
    const store = Store.open(file);
    stores.push(store);
    return store;
  };
  const tempFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "fedsim-group-"));
    dirs.push(dir);
    return join(dir, "fedsim.sqlite");
  };
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("resolves once every session staged in the turn is committed, readable by another process's connection", async () => {
    const file = tempFile();
    const store = open(file);
    const other = open(file);
    const rows = [session(), session(), session()];
    const written = Promise.all(rows.map((r) => store.sessions.stage(r)));
    // Not yet committed: another connection does not see them, this process does (its own request issued them).
    expect(other.db.prepare("SELECT count(*) AS n FROM sessions").get()).toEqual({ n: 0 });
    expect(store.sessions.get(rows[0]!.accessKeyId)?.tags).toEqual([{ key: "team", value: "pets" }]);
    await written;
    for (const r of rows) expect(other.sessions.get(r.accessKeyId)).toEqual(r);
  });

  it("fails only the session whose row cannot be written; the others of its batch are committed", async () => {
    const file = tempFile();
    const store = open(file);
    const good = session();
    const duplicate = session();
    store.sessions.create(duplicate);
    const results = await Promise.allSettled([
      store.sessions.stage(good),
      store.sessions.stage({ ...duplicate, secretAccessKey: newSecretAccessKey() }),
    ]);
    expect(results[0]).toEqual({ status: "fulfilled", value: undefined });
    expect(results[1]).toMatchObject({
      status: "rejected",
      reason: { message: "UNIQUE constraint failed: sessions.access_key_id" },
    });
    const other = open(file);
    expect(other.sessions.get(good.accessKeyId)).toEqual(good);
    expect(other.sessions.get(duplicate.accessKeyId)?.secretAccessKey).toBe(duplicate.secretAccessKey);
  });

  it("commits staged sessions before listing active ones, before a reset empties the store, and on close", async () => {
    const file = tempFile();
    const store = open(file);
    const listed = session();
    const staged = store.sessions.stage(listed);
    expect(store.sessions.listActive(Date.now(), 10).map((s) => s.accessKeyId)).toEqual([listed.accessKeyId]);
    await staged;

    const beforeReset = session();
    const reset = store.sessions.stage(beforeReset);
    store.empty();
    await reset;
    expect(open(file).sessions.get(beforeReset.accessKeyId)).toBeUndefined();

    const beforeClose = session();
    const closing = store.sessions.stage(beforeClose);
    store.close();
    await closing;
    expect(open(file).sessions.get(beforeClose.accessKeyId)).toEqual(beforeClose);
  });
});
