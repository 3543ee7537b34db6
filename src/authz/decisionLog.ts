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
/** Trimming by age scans the table: at most once a second (by the injected clock), and on every read. */
const AGE_TRIM_MS = 1000;

/**
 * The decision log: decisions are numbered and queued as they are made, written to SQLite in batches (one
 * transaction per batch keeps the hot path cheap), and every read flushes the queue first, so a record is
 * readable as soon as it is made, before the response it describes is sent.
 */
export class DecisionLog implements DecisionSink {
  private pending: NewDecision[] = [];
  private nextId: number;
  private timer: NodeJS.Timeout | undefined;
  private lastAgeTrim = Number.NEGATIVE_INFINITY;
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

  flush(trimAge = false): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.clock().getTime();
    const ageDue = trimAge || now - this.lastAgeTrim >= AGE_TRIM_MS;
    if (this.pending.length === 0 && !ageDue) return;
    if (ageDue) this.lastAgeTrim = now;
    const batch = this.pending;
    this.pending = [];
    const records = batch.map((d) => this.complete(d));
    const oldestTime = ageDue ? now - this.settings.maxAgeSeconds * 1000 : undefined;
    if (records.length > 0) this.repo.append(records, { maxRecords: this.settings.maxRecords, oldestTime });
    else if (oldestTime !== undefined) this.repo.trimOlderThan(oldestTime);
    for (const r of records) for (const fn of this.listeners) fn(r);
  }

  /** Every read sees what was recorded up to now, and nothing older than the retention allows. */
  query(q: DecisionQuery): DecisionRecord[] {
    this.flush(true);
    return this.repo.query(q);
  }

  private complete(d: NewDecision): DecisionRecord {
    const extra = d.details?.();
    const record: DecisionRecord = {
      id: String(this.nextId++),
      time: d.time.toISOString(),
      requestId: d.requestId,
      door: d.door,
      service: d.service,
      principal: d.principal,
      action: d.action,
      resource: d.resource,
      decision: d.decision,
      reason: d.reason,
      statements: d.statements,
      context: extra?.context ?? {},
    };
    if (extra?.trace) record.trace = extra.trace;
    return record;
  }
}
