import type { DecisionQuery, DecisionRepository } from "../store/decisions.js";
import type { DecisionRecord, DecisionSink, NewDecision } from "./decisionRecord.js";

export interface DecisionLogSettings {
  enabled: boolean;
  maxRecords: number;
  maxAgeSeconds: number;
}

/** Writes are batched: at most this many records, or this long, before they reach SQLite. */
const BATCH_RECORDS = 256;
const BATCH_MS = 50;

/**
 * The decision log: decisions are numbered and queued as they are made, written to SQLite in batches (one
 * transaction per batch keeps the hot path cheap), and every read flushes the queue first, so a record is
 * readable as soon as it is made, before the response it describes is sent.
 */
export class DecisionLog implements DecisionSink {
  private pending: NewDecision[] = [];
  private nextId: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(record: DecisionRecord) => void>();
  private readonly watchers = new Set<(decision: NewDecision) => void>();

  constructor(
    private readonly repo: DecisionRepository,
    private readonly settings: DecisionLogSettings,
    private readonly clock: () => Date,
  ) {
    this.nextId = repo.lastId() + 1;
  }

  record(decision: NewDecision): void {
    for (const watch of this.watchers) watch(decision);
    if (!this.settings.enabled) return;
    this.pending.push(decision);
    if (this.pending.length >= BATCH_RECORDS) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), BATCH_MS);
      this.timer.unref();
    }
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

  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const records = batch.map((d) => this.complete(d));
    this.repo.append(records, {
      maxRecords: this.settings.maxRecords,
      oldestTime: this.clock().getTime() - this.settings.maxAgeSeconds * 1000,
    });
    for (const r of records) for (const fn of this.listeners) fn(r);
  }

  query(q: DecisionQuery): DecisionRecord[] {
    this.flush();
    return this.repo.query(q);
  }

  private complete(d: NewDecision): DecisionRecord {
    const { details, time, ...rest } = d;
    const extra = details?.();
    const record: DecisionRecord = {
      ...rest,
      id: String(this.nextId++),
      time: time.toISOString(),
      context: extra?.context ?? {},
    };
    if (extra?.trace) record.trace = extra.trace;
    return record;
  }
}
