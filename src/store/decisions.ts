import type { DecisionRecord } from "../authz/decisionRecord.js";
import type { Db } from "./database.js";

export interface DecisionQuery {
  deniedOnly?: boolean;
  principal?: string;
  requestId?: string;
  /** Epoch milliseconds: records at or after. */
  since?: number;
  /** Records with a larger id than this (for following). */
  afterId?: number;
  limit: number;
}

interface Row {
  seq: number;
  time: number;
  request_id: string;
  door: string;
  service: string;
  principal: string;
  action: string;
  resource: string;
  decision: string;
  reason: string;
  statements: string;
  context: string;
  trace: string | null;
}

/** What a write runs, shared by this repository and the log's writer thread (which opens its own connection). */
export const DECISION_SQL = {
  insert: `INSERT INTO decisions (seq, time, request_id, door, service, principal, action, resource, decision, reason,
    statements, context, trace) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  trimCount: "DELETE FROM decisions WHERE seq <= ?",
  trimAge: "DELETE FROM decisions WHERE time < ?",
} as const;

/** Values per record in a batch of rows: the insert's parameters, in order. */
export const ROW_WIDTH = 12;

/** A batch of records as the insert binds them, flat (ROW_WIDTH values each): cheap to hand to another thread. */
export type DecisionRows = (string | number | null)[];

/** Appends a record's insert parameters to `rows` (its JSON made here, once, wherever it is written). */
export function pushRow(rows: DecisionRows, r: Omit<DecisionRecord, "id">): void {
  rows.push(
    Date.parse(r.time),
    r.requestId,
    r.door,
    r.service,
    r.principal,
    r.action,
    r.resource,
    r.decision,
    r.reason,
    JSON.stringify(r.statements),
    JSON.stringify(r.context),
    r.trace === undefined ? null : JSON.stringify(r.trace),
  );
}

export interface Retention {
  maxRecords: number;
  /** Epoch milliseconds: records older are dropped (a scan, so only now and then). */
  oldestTime?: number;
}

/** The decision log's table: written in batches, read newest first, trimmed by count and age. */
export class DecisionRepository {
  private readonly insert;
  private readonly trimCount;
  private readonly trimAge;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(DECISION_SQL.insert);
    this.trimCount = db.prepare(DECISION_SQL.trimCount);
    this.trimAge = db.prepare(DECISION_SQL.trimAge);
  }

  /** The database's file, or undefined for an in-memory one (which no other connection can open). */
  get file(): string | undefined {
    return this.db.memory ? undefined : this.db.name;
  }

  /**
   * Writes records in one transaction, numbering them as SQLite assigns row ids (so two processes on one
   * database never collide), then drops what is past the retention limits: by count on every write (a
   * primary-key range), by age when `oldestTime` is given (a scan, so the caller does it now and then).
   */
  append(records: readonly Omit<DecisionRecord, "id">[], retention: Retention): string[] {
    const rows: DecisionRows = [];
    for (const r of records) pushRow(rows, r);
    return this.appendRows(rows, retention).map(String);
  }

  /** As append, for records already made rows (pushRow); returns their ids. */
  appendRows(rows: DecisionRows, retention: Retention): number[] {
    return this.db.transaction(() => {
      const ids: number[] = [];
      let last = 0;
      for (let i = 0; i < rows.length; i += ROW_WIDTH) {
        // Positional parameters: binding by name costs a property lookup each, on the write path.
        last = Number(
          this.insert.run(
            rows[i],
            rows[i + 1],
            rows[i + 2],
            rows[i + 3],
            rows[i + 4],
            rows[i + 5],
            rows[i + 6],
            rows[i + 7],
            rows[i + 8],
            rows[i + 9],
            rows[i + 10],
            rows[i + 11],
          ).lastInsertRowid,
        );
        ids.push(last);
      }
      if (ids.length > 0) this.trimCount.run(last - retention.maxRecords);
      if (retention.oldestTime !== undefined) this.trimAge.run(retention.oldestTime);
      return ids;
    })();
  }

  trimOlderThan(time: number): void {
    this.trimAge.run(time);
  }

  query(q: DecisionQuery): DecisionRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.deniedOnly) where.push("decision <> 'allow'");
    if (q.principal !== undefined) {
      where.push("principal = ?");
      args.push(q.principal);
    }
    if (q.requestId !== undefined) {
      where.push("request_id = ?");
      args.push(q.requestId);
    }
    if (q.since !== undefined) {
      where.push("time >= ?");
      args.push(q.since);
    }
    if (q.afterId !== undefined) {
      where.push("seq > ?");
      args.push(q.afterId);
    }
    const sql = `SELECT * FROM decisions ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as Row[]).map(fromRow);
  }
}

/** The record a batch's `index`-th row stores, as a read would return it (for those following the log). */
export function recordAt(rows: DecisionRows, index: number, id: number): DecisionRecord {
  const i = index * ROW_WIDTH;
  return fromRow({
    seq: id,
    time: rows[i] as number,
    request_id: rows[i + 1] as string,
    door: rows[i + 2] as string,
    service: rows[i + 3] as string,
    principal: rows[i + 4] as string,
    action: rows[i + 5] as string,
    resource: rows[i + 6] as string,
    decision: rows[i + 7] as string,
    reason: rows[i + 8] as string,
    statements: rows[i + 9] as string,
    context: rows[i + 10] as string,
    trace: rows[i + 11] as string | null,
  });
}

function fromRow(row: Row): DecisionRecord {
  const record: DecisionRecord = {
    id: String(row.seq),
    time: new Date(row.time).toISOString(),
    requestId: row.request_id,
    door: row.door as DecisionRecord["door"],
    service: row.service,
    principal: row.principal,
    action: row.action,
    resource: row.resource,
    decision: row.decision as DecisionRecord["decision"],
    reason: row.reason,
    statements: JSON.parse(row.statements),
    context: JSON.parse(row.context),
  };
  if (row.trace !== null) record.trace = JSON.parse(row.trace);
  return record;
}
