import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DecisionLog } from "../../src/authz/decisionLog.js";
import type { NewDecision } from "../../src/authz/decisionRecord.js";
import { WorkerDecisionWriter } from "../../src/store/decisionWriter.js";
import { Store } from "../../src/store/store.js";

const settings = { enabled: true, maxRecords: 1000, maxAgeSeconds: 3600 };

const decision = (requestId: string): NewDecision => ({
  time: new Date(0),
  requestId,
  door: "gateway",
  service: "execute-api",
  principal: "arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob",
  action: "execute-api:Invoke",
  resource: "arn:aws:execute-api:us-east-1:123456789012:petstore/prod/GET/pets",
  decision: "allow",
  reason: "Allowed by PetStoreCustomerAccess, statement ReadPets.",
  statements: [{ policy: "PetStoreCustomerAccess", sid: "ReadPets", index: 0, effect: "Allow" }],
  details: () => ({ context: { "aws:SourceIp": "127.0.0.1" } }),
});

/** console.error's lines while fn runs. */
async function stderrOf(fn: () => unknown): Promise<string[]> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return lines;
}

/** One turn of the event loop: the log makes rows, and posts a full batch, between requests. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("the decision log's writer thread", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "fedsim-decision-writer-"));
    store = Store.open(join(dir, "fedsim.sqlite"));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes on its own connection what a read made right after sees, numbered in order", () => {
    const log = new DecisionLog(store.decisions, settings, () => new Date(0));
    for (let i = 0; i < 300; i++) log.record(decision(`r${i}`));
    const read = log.query({ limit: 1000 });
    expect(read.map((d) => d.requestId)).toEqual(Array.from({ length: 300 }, (_, i) => `r${299 - i}`));
    expect(read.map((d) => Number(d.id))).toEqual(Array.from({ length: 300 }, (_, i) => 300 - i));
    log.close();
  });

  it("that cannot open the database leaves the records to this thread, which writes them and says why", async () => {
    const writer = new WorkerDecisionWriter(store.decisions, join(dir, "absent.sqlite"));
    const log = new DecisionLog(store.decisions, settings, () => new Date(0), writer);
    let read: string[] = [];
    // More than a small batch (those are written on this thread while the writer's holds nothing).
    const many = Array.from({ length: 100 }, (_, i) => `kept${i}`);
    const said = await stderrOf(() => {
      for (const id of many) log.record(decision(id));
      read = log.query({ limit: 1000 }).map((d) => d.requestId);
    });
    expect(read).toEqual([...many].reverse());
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^fedsim: the decision log's writer thread stopped \(.*absent\.sqlite.*\); writing decisions on the main thread from now on$/,
    );
    log.record(decision("after"));
    expect(log.query({ limit: 2 }).map((d) => d.requestId)).toEqual(["after", "kept99"]);
  });

  it("that stops with a batch in hand: this thread writes what it had not, each record once", async () => {
    const writer = new WorkerDecisionWriter(store.decisions, store.decisions.file!);
    const log = new DecisionLog(store.decisions, settings, () => new Date(0), writer);
    log.record(decision("first"));
    log.flush();
    const said = await stderrOf(async () => {
      for (let i = 0; i < 300; i++) log.record(decision(`r${i}`));
      await turn();
      await writer.worker!.terminate();
    });
    expect(said).toEqual([
      expect.stringMatching(
        /^fedsim: the decision log's writer thread stopped \(exit code \d+\); writing decisions/,
      ),
    ]);
    log.record(decision("last"));
    const ids = log.query({ limit: 1000 }).map((d) => d.requestId);
    expect(ids).toEqual(["last", ...Array.from({ length: 300 }, (_, i) => `r${299 - i}`), "first"]);
  });

  it("writes a small batch on this thread, without starting the writer's (a server recording now and then)", () => {
    const writer = new WorkerDecisionWriter(store.decisions, store.decisions.file!);
    const log = new DecisionLog(store.decisions, settings, () => new Date(0), writer);
    for (let i = 0; i < 10; i++) log.record(decision(`few${i}`));
    expect(log.query({ limit: 10 }).map((d) => d.requestId)).toHaveLength(10);
    expect(writer.worker).toBeUndefined();
    for (let i = 0; i < 300; i++) log.record(decision(`many${i}`));
    log.flush();
    expect(writer.worker).toBeDefined();
    expect(log.query({ limit: 1 }).map((d) => d.requestId)).toEqual(["many299"]);
    log.close();
  });

  it("keeps a batch the database refused and writes it with the next, without throwing", async () => {
    const log = new DecisionLog(store.decisions, settings, () => new Date(0));
    log.record(decision("before"));
    log.flush();
    store.db.exec("ALTER TABLE decisions RENAME TO decisions_away");
    const said = await stderrOf(() => {
      log.record(decision("kept"));
      log.flush();
    });
    expect(said).toEqual([expect.stringMatching(/^fedsim: could not write 1 decision records: .*decisions/)]);
    store.db.exec("ALTER TABLE decisions_away RENAME TO decisions");
    expect(log.query({ limit: 10 }).map((d) => d.requestId)).toEqual(["kept", "before"]);
    log.close();
  });

  it("that finds the database read-only leaves the records to this thread's connection, which writes them", async () => {
    // The file's header asks for a newer writer, so SQLite opens it read-only: as a file whose mode changed
    // while fedsim ran is opened by a new connection (the server's, opened before, still writes).
    const readOnly = join(dir, "read-only.sqlite");
    store.db.exec(`VACUUM INTO '${readOnly}'`);
    const fd = openSync(readOnly, "r+");
    writeSync(fd, Buffer.from([3]), 0, 1, 18);
    closeSync(fd);
    const writer = new WorkerDecisionWriter(store.decisions, readOnly);
    const log = new DecisionLog(store.decisions, settings, () => new Date(0), writer);
    const many = Array.from({ length: 100 }, (_, i) => `kept${i}`);
    let read: string[] = [];
    const said = await stderrOf(async () => {
      for (const id of many) log.record(decision(id));
      await turn();
      read = log.query({ limit: 1000 }).map((d) => d.requestId);
    });
    expect(read).toEqual([...many].reverse());
    expect(said).toEqual([
      expect.stringMatching(
        /^fedsim: the decision log's writer thread stopped \(.*read-only\.sqlite: attempt to write a readonly database\); writing decisions on the main thread from now on$/,
      ),
    ]);
    log.close();
  });

  it("says so when the database file was deleted while fedsim ran, and keeps recording", async () => {
    const file = store.decisions.file!;
    const log = new DecisionLog(store.decisions, settings, () => new Date(0));
    log.record(decision("before"));
    log.flush();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
    const many = Array.from({ length: 100 }, (_, i) => `after${i}`);
    let read: string[] = [];
    const said = await stderrOf(() => {
      for (const id of many) log.record(decision(id));
      read = log.query({ limit: 1000 }).map((d) => d.requestId);
    });
    expect(read).toEqual([...[...many].reverse(), "before"]);
    expect(said).toEqual([
      `fedsim: the decision log's writer thread stopped (${file} no longer exists: what fedsim writes from now on is lost when it stops); writing decisions on the main thread from now on`,
    ]);
    log.close();
  });
});
