import { createRequire } from "node:module";
import { resolve } from "node:path";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import {
  DECISION_SQL,
  type DecisionRepository,
  type DecisionRows,
  type Retention,
  ROW_WIDTH,
} from "./decisions.js";

/** A batch of decision records on its way to SQLite, and what the log does once it is written or not. */
export interface DecisionBatch {
  rows: DecisionRows;
  retention: Retention;
  /** Called once, with the records' ids in order, or with the error that kept them from being written. */
  done(result: { ids: number[] } | { error: string }): void;
}

/** Where the decision log's batches are written: on this thread, or on a thread of their own. */
export interface DecisionWriter {
  write(batch: DecisionBatch): void;
  /** Returns once every batch handed over has been written or has failed (its `done` called). */
  settle(): void;
  /** Settles, then lets go of whatever the writer holds (its thread). */
  close(): void;
}

/** Writes each batch at once, in one transaction on the server's connection: in-memory databases, and tests. */
export class InThreadDecisionWriter implements DecisionWriter {
  constructor(private readonly repo: DecisionRepository) {}

  write(batch: DecisionBatch): void {
    let ids: number[];
    try {
      ids = this.repo.appendRows(batch.rows, batch.retention);
    } catch (error) {
      batch.done({ error: (error as Error).message });
      return;
    }
    batch.done({ ids });
  }

  settle(): void {}
  close(): void {}
}

/** Batches of fewer records than this are written on the server's thread when none is in flight on the writer's. */
const SMALL_BATCH = 64;
/** A writer thread with nothing to write for this long closes (a server stopped, or idle): the next batch starts another. */
const IDLE_MS = 2000;
/**
 * How long a read waits for the writer thread before reading without what it has not written: longer than
 * the thread's busy timeout, so a database locked by another process is waited for as on this thread.
 */
const SETTLE_MS = 10_000;
const BUSY_TIMEOUT_MS = 5000;
/**
 * The writer thread's automatic checkpoint, in pages: SQLite's default (~4 MB of WAL). A checkpoint fsyncs,
 * which is why the server's own connection puts it off to ~40 MB; on this thread it blocks no request, and a
 * short WAL keeps each checkpoint short.
 */
const WRITER_AUTOCHECKPOINT = 1000;

/**
 * The writer thread's code: CommonJS handed to `new Worker(..., { eval: true })`, so that it runs the same from
 * the sources (tsx, vitest), tsc's dist/ and the esbuild bundle, none of which has to ship a file for it. It
 * opens its own connection to the server's database file and writes each batch in one transaction, as
 * DecisionRepository.appendRows does on the server's thread.
 */
const WRITER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { existsSync } = require("node:fs");
// Below the server's thread in the scheduler's eyes (Linux: a thread's own nice value, found by its id), so
// that on a busy machine a request waits less for a core this thread holds. Best effort: elsewhere nothing.
try {
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  if (tid > 0) require("node:os").setPriority(tid, 10);
} catch {}
const port = workerData.port;
const settled = new Int32Array(workerData.settled);
const width = workerData.width;
let db, insert, trimCount, trimAge;
// Stops the thread: its unanswered batches go to the server's connection. Said where a reader waiting without
// the event loop sees it (it cannot see the thread's exit event).
function fail(e) {
  const why = existsSync(workerData.file)
    ? workerData.file + ": " + String((e && e.message) || e)
    : workerData.file + " no longer exists: what fedsim writes from now on is lost when it stops";
  port.postMessage({ failed: why });
  Atomics.store(settled, 1, 1);
  Atomics.notify(settled, 0);
  throw e;
}
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = " + workerData.busyTimeout);
  db.pragma("wal_autocheckpoint = " + workerData.autocheckpoint);
  insert = db.prepare(workerData.sql.insert);
  trimCount = db.prepare(workerData.sql.trimCount);
  trimAge = db.prepare(workerData.sql.trimAge);
} catch (e) {
  fail(e);
}
const begin = db.prepare("BEGIN IMMEDIATE");
const commit = db.prepare("COMMIT");
const rollback = db.prepare("ROLLBACK");
port.on("message", (m) => {
  if (m.close) {
    db.close();
    port.close();
    return;
  }
  let ids = [];
  let error;
  try {
    begin.run();
    try {
      const v = m.rows;
      let last = 0;
      for (let i = 0; i < v.length; i += width) {
        last = Number(insert.run(v[i], v[i + 1], v[i + 2], v[i + 3], v[i + 4], v[i + 5], v[i + 6], v[i + 7], v[i + 8], v[i + 9], v[i + 10], v[i + 11]).lastInsertRowid);
        ids.push(last);
      }
      if (ids.length > 0) trimCount.run(last - m.maxRecords);
      if (m.oldestTime !== undefined) trimAge.run(m.oldestTime);
      commit.run();
    } catch (e) {
      if (db.inTransaction) rollback.run();
      throw e;
    }
  } catch (e) {
    // A file whose mode changed since the server opened it: SQLite opened this connection read-only, and
    // every batch would fail here while the server's own connection can still write them.
    if (String(e && e.code).startsWith("SQLITE_READONLY")) fail(e);
    ids = undefined;
    error = String((e && e.message) || e);
  }
  // The answer first, then the count a waiting reader wakes on: once it sees the count, the answer is there.
  port.postMessage({ seq: m.seq, ids, error });
  Atomics.store(settled, 0, m.seq);
  Atomics.notify(settled, 0);
});
`;

interface Thread {
  worker: Worker;
  port: MessagePort;
  /** [0] the last batch number the thread has answered, for a reader to wait on without the event loop; [1] 1 once it failed to start. */
  settled: Int32Array;
  /** Batches posted and not yet answered, by number, in order. */
  inFlight: Map<number, DecisionBatch>;
  idle?: NodeJS.Timeout;
  closing: boolean;
  /** Its batches handed to this thread's writer already. */
  dead: boolean;
}

/**
 * Writes batches on a thread of its own with its own connection to the database file, so that neither the
 * inserts nor the checkpoints that follow them (the fsyncs: up to ~15 ms on the event loop) hold up a request.
 * A read settles first (waits, without the event loop, until the thread has answered every batch posted), so
 * it sees every record made before it. If the thread cannot start or stops, what it had not written is
 * written on this thread, and so is everything after (saying so once on stderr).
 */
export class WorkerDecisionWriter implements DecisionWriter {
  private thread: Thread | undefined;
  private fallback: InThreadDecisionWriter | undefined;
  private readonly inThread: InThreadDecisionWriter;
  private seq = 0;
  private readonly driver = createRequire(import.meta.url).resolve("better-sqlite3");
  private readonly file: string;

  constructor(
    private readonly repo: DecisionRepository,
    file: string,
  ) {
    this.file = resolve(file);
    this.inThread = new InThreadDecisionWriter(repo);
  }

  write(batch: DecisionBatch): void {
    if (this.fallback) {
      this.fallback.write(batch);
      return;
    }
    // A small batch with nothing ahead of it is written here: a few rows block for well under a millisecond,
    // and a server that records a few decisions now and then never starts the thread (about 10 MB of memory).
    if (batch.rows.length < SMALL_BATCH * ROW_WIDTH && !this.thread?.inFlight.size) {
      this.inThread.write(batch);
      return;
    }
    const t = this.running();
    if (t.idle !== undefined) {
      clearTimeout(t.idle);
      t.idle = undefined;
    }
    const seq = ++this.seq;
    t.inFlight.set(seq, batch);
    const { rows, retention } = batch;
    t.port.postMessage({ seq, rows, maxRecords: retention.maxRecords, oldestTime: retention.oldestTime });
  }

  settle(): void {
    const t = this.thread;
    if (t === undefined) return;
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const seen = Atomics.load(t.settled, 0);
      this.drain(t);
      if (Atomics.load(t.settled, 1) === 1) this.drain(t);
      if (t.inFlight.size === 0 || this.thread !== t) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        console.error(
          `fedsim: the decision log's writer thread has not answered for ${SETTLE_MS / 1000} s; reading without the ${t.inFlight.size} batches it holds (they are written when it answers)`,
        );
        return;
      }
      Atomics.wait(t.settled, 0, seen, Math.min(left, 100));
    }
  }

  close(): void {
    this.settle();
    const t = this.thread;
    if (t) this.retire(t);
  }

  /** For tests: the thread now writing, if one is running. */
  get worker(): Worker | undefined {
    return this.thread?.worker;
  }

  private running(): Thread {
    if (this.thread) return this.thread;
    const { port1, port2 } = new MessageChannel();
    const settled = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        driver: this.driver,
        file: this.file,
        port: port2,
        settled: settled.buffer,
        width: ROW_WIDTH,
        sql: DECISION_SQL,
        busyTimeout: BUSY_TIMEOUT_MS,
        autocheckpoint: WRITER_AUTOCHECKPOINT,
      },
      transferList: [port2],
    });
    const t: Thread = { worker, port: port1, settled, inFlight: new Map(), closing: false, dead: false };
    port1.on("message", (m: Answer) => this.answered(t, m));
    // Neither the thread nor its port keeps the process alive: a server's close() settles first.
    port1.unref();
    worker.unref();
    let failure: string | undefined;
    worker.on("error", (error) => {
      failure = error.message;
    });
    worker.on("exit", (code) => this.exited(t, failure ?? `exit code ${code}`));
    this.thread = t;
    return t;
  }

  private drain(t: Thread): void {
    for (let m = receiveMessageOnPort(t.port); m !== undefined; m = receiveMessageOnPort(t.port))
      this.answered(t, m.message as Answer);
  }

  private answered(t: Thread, m: Answer): void {
    if (m.failed !== undefined) {
      this.exited(t, m.failed);
      return;
    }
    const batch = t.inFlight.get(m.seq);
    if (batch === undefined) return;
    t.inFlight.delete(m.seq);
    batch.done(m.ids ? { ids: m.ids } : { error: m.error ?? "unknown error" });
    if (t.inFlight.size === 0 && this.thread === t && t.idle === undefined) {
      t.idle = setTimeout(() => {
        if (t.inFlight.size === 0) this.retire(t);
      }, IDLE_MS);
      t.idle.unref();
    }
  }

  /** Closes a thread with nothing in flight; the next batch starts another. */
  private retire(t: Thread): void {
    if (t.idle !== undefined) clearTimeout(t.idle);
    if (this.thread === t) this.thread = undefined;
    t.closing = true;
    t.port.postMessage({ close: true });
  }

  private exited(t: Thread, reason: string): void {
    if (t.dead) return;
    t.dead = true;
    // Answers it sent before it stopped count: only what it never answered is written again.
    this.drain(t);
    if (this.thread === t) this.thread = undefined;
    if (t.closing && t.inFlight.size === 0) return;
    console.error(
      `fedsim: the decision log's writer thread stopped (${reason}); writing decisions on the main thread from now on`,
    );
    this.fallback ??= new InThreadDecisionWriter(this.repo);
    const left = [...t.inFlight.values()];
    t.inFlight.clear();
    for (const batch of left) this.fallback.write(batch);
    // Batches posted to a newer thread (none: there is only ever one running) stay with it.
  }
}

interface Answer {
  /** The thread could not open the database (it stops). */
  failed?: string;
  seq: number;
  ids?: number[];
  error?: string;
}
