import {
  type DecisionQuery,
  type DecisionRepository,
  type DecisionRows,
  ROW_WIDTH,
  recordAt,
} from "../store/decisions.js";
import {
  type DecisionWriter,
  InThreadDecisionWriter,
  WorkerDecisionWriter,
} from "../store/decisionWriter.js";
import type { DecisionRecord, DecisionSink, NewDecision } from "./decisionRecord.js";

export interface DecisionLogSettings {
  enabled: boolean;
  maxRecords: number;
  maxAgeSeconds: number;
}

/** Writes are batched: at most this many records, or this long, before they reach SQLite. */
const BATCH_RECORDS = 256;
const BATCH_MS = 50;
/** Trimming by age scans the table: at most once a second (by the injected clock), and on every read. */
const AGE_TRIM_MS = 1000;
/** A batch that could not be written waits for the next one, unless that many are already waiting. */
const MAX_PENDING = 10_000;
/** How many recent request ids `recorded()` remembers. */
const RECENT_REQUESTS = 4096;

/**
 * The decision log: decisions are queued as they are made and written to SQLite in batches (one transaction
 * per batch keeps the hot path cheap), on a thread of their own when the database is a file (so no insert or
 * checkpoint holds up a request); every read flushes the queue and waits for the write first, so a record is
 * readable as soon as it is made, before the response it describes is sent.
 */
export class DecisionLog implements DecisionSink {
  /** Recorded, not yet made rows (that waits for the turn of the event loop after the responses are written). */
  private pending: NewDecision[] = [];
  /** Rows made, not yet handed to the writer; first the rows of batches that could not be written. */
  private rows: DecisionRows = [];
  private immediate: NodeJS.Immediate | undefined;
  private readonly recent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastAgeTrim = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<(record: DecisionRecord) => void>();
  private readonly watchers = new Set<(decision: NewDecision) => void>();
  private readonly writer: DecisionWriter;

  constructor(
    private readonly repo: DecisionRepository,
    private readonly settings: DecisionLogSettings,
    private readonly clock: () => Date,
    /** Where batches go; by default a writer thread for a database file, this thread for an in-memory one. */
    writer?: DecisionWriter,
  ) {
    const file = repo.file;
    this.writer =
      writer ??
      (settings.enabled && file !== undefined
        ? new WorkerDecisionWriter(repo, file)
        : new InThreadDecisionWriter(repo));
  }

  record(decision: NewDecision): void {
    if (decision.decision !== "allow") {
      this.recent.add(decision.requestId);
      if (this.recent.size > RECENT_REQUESTS) this.recent.delete(this.recent.values().next().value!);
    }
    if (this.watchers.size > 0) for (const watch of this.watchers) watch(decision);
    if (!this.settings.enabled) return;
    this.pending.push(decision);
    if (this.immediate === undefined) this.immediate = setImmediate(this.onImmediate);
    if (this.timer === undefined) {
      this.timer = setTimeout(this.onTimer, BATCH_MS);
      this.timer.unref();
    }
  }

  private readonly onTimer = () => this.post(false);

  /**
   * Makes rows of what was recorded since the last turn of the event loop: a few at a time, after the
   * responses they describe are written, rather than a whole batch at once (a block of a millisecond or more
   * every BATCH_RECORDS requests, which is what a request arriving then waits for).
   */
  private readonly onImmediate = () => {
    this.immediate = undefined;
    this.makeRows();
    if (this.rows.length >= BATCH_RECORDS * ROW_WIDTH) this.post(false);
  };

  private makeRows(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    for (const d of pending) pushDecision(this.rows, d);
  }

  /**
   * Whether a denial or refusal was recorded for this (recent) request. A request that fails without one (or
   * after only allows: a trust policy allowed, then DurationSeconds was too long) gets a refusal recorded by
   * whoever answers it.
   */
  recorded(requestId: string): boolean {
    return this.recent.has(requestId);
  }

  /** Called synchronously for every decision, enabled or not (the --verbose log reads reasons from here). */
  watch(fn: (decision: NewDecision) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** Called with each record once written (Server-Sent Events follow the log through this). */
  subscribe(fn: (record: DecisionRecord) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Writes everything recorded so far and returns once it is written (or has failed, and waits for the next). */
  flush(trimAge = false): void {
    this.post(trimAge);
    this.writer.settle();
  }

  /** Flushes, and stops the writer thread (one starts again if more is recorded). */
  close(): void {
    this.post(false);
    this.writer.close();
  }

  /** Every read sees what was recorded up to now, and nothing older than the retention allows. */
  query(q: DecisionQuery): DecisionRecord[] {
    this.flush(true);
    return this.repo.query(q);
  }

  /** Hands what is queued to the writer (which may write it later: flush() waits for it). */
  private post(trimAge: boolean): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate !== undefined) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    this.makeRows();
    const now = this.clock().getTime();
    const ageDue = trimAge || now - this.lastAgeTrim >= AGE_TRIM_MS;
    if (this.rows.length === 0 && !ageDue) return;
    if (ageDue) this.lastAgeTrim = now;
    const rows = this.rows;
    this.rows = [];
    const oldestTime = ageDue ? now - this.settings.maxAgeSeconds * 1000 : undefined;
    this.writer.write({
      rows,
      retention: { maxRecords: this.settings.maxRecords, oldestTime },
      done: (result) => {
        if ("error" in result) {
          // A busy or full database must not take the server down from a timer: keep the batch for the next
          // write while the queue is bounded, and say what went wrong.
          const count = rows.length / ROW_WIDTH;
          console.error(`fedsim: could not write ${count} decision records: ${result.error}`);
          if ((this.rows.length + rows.length) / ROW_WIDTH + this.pending.length <= MAX_PENDING)
            this.rows = this.rows.length === 0 ? rows : [...rows, ...this.rows];
          return;
        }
        if (this.listeners.size === 0) return;
        for (let i = 0; i < result.ids.length; i++) {
          const r = recordAt(rows, i, result.ids[i]!);
          for (const fn of this.listeners) fn(r);
        }
      },
    });
  }
}

/**
 * Appends the stored record's row: every text a client could make long is clipped, so no record outgrows a
 * few KiB. Made straight from the decision (no record object in between): this runs for every request.
 */
function pushDecision(rows: DecisionRows, d: NewDecision): void {
  const extra = d.details?.();
  rows.push(
    d.time.getTime(),
    clip(d.requestId, 128),
    d.door,
    clip(d.service, 64),
    clip(d.principal, MAX_NAME),
    clip(d.action, 256),
    clip(d.resource, MAX_NAME),
    d.decision,
    clip(d.reason, MAX_REASON),
    JSON.stringify(clipStatements(d.statements)),
    JSON.stringify(clipContext(extra?.context ?? {})),
    extra?.trace ? JSON.stringify(clipTrace(extra.trace)) : null,
  );
}

const MAX_NAME = 1024;
const MAX_REASON = 2048;
const MAX_VALUE = 256;
const MAX_ITEMS = 50;

/** A long text cut, saying how long it was: the log is for people, and a 15 KB User-Agent helps nobody. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function clipStatements(statements: NewDecision["statements"]): NewDecision["statements"] {
  // The common case (a handful of statements from policies named by the config) copies nothing.
  let short = statements.length <= MAX_ITEMS;
  for (const s of statements) if (s.policy.length > MAX_NAME) short = false;
  if (short) return statements;
  return statements.slice(0, MAX_ITEMS).map((s) => ({ ...s, policy: clip(s.policy, MAX_NAME) }));
}

function clipValues<T extends string | readonly string[]>(value: T): T {
  if (typeof value === "string") return clip(value, MAX_VALUE) as T;
  return value.slice(0, MAX_ITEMS).map((v) => clip(v, MAX_VALUE)) as unknown as T;
}

function clipContext(context: DecisionRecord["context"]): DecisionRecord["context"] {
  // Keys a policy names (a caller's session policy among them): "__proto__" stays a key, not a prototype.
  const out: DecisionRecord["context"] = Object.create(null);
  for (const [key, value] of Object.entries(context).slice(0, MAX_ITEMS))
    out[clip(key, MAX_VALUE)] = typeof value === "string" || Array.isArray(value) ? clipValues(value) : value;
  return out;
}

function clipTrace(trace: NonNullable<DecisionRecord["trace"]>): NonNullable<DecisionRecord["trace"]> {
  return trace.slice(0, MAX_ITEMS).map((p) => ({
    ...p,
    policy: clip(p.policy, MAX_NAME),
    statements: p.statements.slice(0, MAX_ITEMS).map((s) =>
      s.failedCondition
        ? {
            ...s,
            sid: s.sid === undefined ? undefined : clip(s.sid, MAX_VALUE),
            failedCondition: {
              operator: clip(s.failedCondition.operator, MAX_VALUE),
              key: clip(s.failedCondition.key, MAX_VALUE),
              values: clipValues(s.failedCondition.values),
              actual: s.failedCondition.actual === null ? null : clipValues(s.failedCondition.actual),
            },
          }
        : s,
    ),
  }));
}
