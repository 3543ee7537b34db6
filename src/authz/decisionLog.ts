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
/** A batch that could not be written waits for the next one, unless that many are already waiting. */
const MAX_PENDING = 10_000;
/** How many recent request ids `recorded()` remembers. */
const RECENT_REQUESTS = 4096;

/**
 * The decision log: decisions are numbered and queued as they are made, written to SQLite in batches (one
 * transaction per batch keeps the hot path cheap), and every read flushes the queue first, so a record is
 * readable as soon as it is made, before the response it describes is sent.
 */
export class DecisionLog implements DecisionSink {
  private pending: NewDecision[] = [];
  private readonly recent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastAgeTrim = Number.NEGATIVE_INFINITY;
  private readonly listeners = new Set<(record: DecisionRecord) => void>();
  private readonly watchers = new Set<(decision: NewDecision) => void>();

  constructor(
    private readonly repo: DecisionRepository,
    private readonly settings: DecisionLogSettings,
    private readonly clock: () => Date,
  ) {}

  record(decision: NewDecision): void {
    if (decision.decision !== "allow") {
      this.recent.add(decision.requestId);
      if (this.recent.size > RECENT_REQUESTS) this.recent.delete(this.recent.values().next().value!);
    }
    for (const watch of this.watchers) watch(decision);
    if (!this.settings.enabled) return;
    this.pending.push(decision);
    if (this.pending.length >= BATCH_RECORDS) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), BATCH_MS);
      this.timer.unref();
    }
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
    const oldestTime = ageDue ? now - this.settings.maxAgeSeconds * 1000 : undefined;
    let records: DecisionRecord[];
    try {
      const completed = batch.map((d) => this.complete(d));
      const ids = this.repo.append(completed, { maxRecords: this.settings.maxRecords, oldestTime });
      if (completed.length === 0 && oldestTime !== undefined) this.repo.trimOlderThan(oldestTime);
      records = completed.map((r, i) => ({ id: ids[i]!, ...r }));
    } catch (error) {
      // A busy or full database must not take the server down from a timer: keep the batch for the next
      // write while the queue is bounded, and say what went wrong.
      console.error(`fedsim: could not write ${batch.length} decision records: ${(error as Error).message}`);
      if (this.pending.length + batch.length <= MAX_PENDING) this.pending = [...batch, ...this.pending];
      return;
    }
    for (const r of records) for (const fn of this.listeners) fn(r);
  }

  /** Every read sees what was recorded up to now, and nothing older than the retention allows. */
  query(q: DecisionQuery): DecisionRecord[] {
    this.flush(true);
    return this.repo.query(q);
  }

  /** The stored record: every text a client could make long is clipped, so no record outgrows a few KiB. */
  private complete(d: NewDecision): Omit<DecisionRecord, "id"> {
    const extra = d.details?.();
    const record: Omit<DecisionRecord, "id"> = {
      time: d.time.toISOString(),
      requestId: clip(d.requestId, 128),
      door: d.door,
      service: clip(d.service, 64),
      principal: clip(d.principal, MAX_NAME),
      action: clip(d.action, 256),
      resource: clip(d.resource, MAX_NAME),
      decision: d.decision,
      reason: clip(d.reason, MAX_REASON),
      statements: d.statements.slice(0, MAX_ITEMS).map((s) => ({ ...s, policy: clip(s.policy, MAX_NAME) })),
      context: clipContext(extra?.context ?? {}),
    };
    if (extra?.trace) record.trace = clipTrace(extra.trace);
    return record;
  }
}

const MAX_NAME = 1024;
const MAX_REASON = 2048;
const MAX_VALUE = 256;
const MAX_ITEMS = 50;

/** A long text cut, saying how long it was: the log is for people, and a 15 KB User-Agent helps nobody. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

function clipValues<T extends string | readonly string[]>(value: T): T {
  if (typeof value === "string") return clip(value, MAX_VALUE) as T;
  return value.slice(0, MAX_ITEMS).map((v) => clip(v, MAX_VALUE)) as unknown as T;
}

function clipContext(context: DecisionRecord["context"]): DecisionRecord["context"] {
  const out: DecisionRecord["context"] = {};
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
