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

/** The decision log's table: written in batches, read newest first, trimmed by count and age. */
export class DecisionRepository {
  private readonly insert;
  private readonly trimCount;
  private readonly trimAge;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO decisions (seq, time, request_id, door, service, principal, action, resource, decision, reason,
        statements, context, trace) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.trimCount = db.prepare("DELETE FROM decisions WHERE seq <= ?");
    this.trimAge = db.prepare("DELETE FROM decisions WHERE time < ?");
  }

  /**
   * Writes records in one transaction, numbering them as SQLite assigns row ids (so two processes on one
   * database never collide), then drops what is past the retention limits: by count on every write (a
   * primary-key range), by age when `oldestTime` is given (a scan, so the caller does it now and then).
   */
  append(
    records: readonly Omit<DecisionRecord, "id">[],
    retention: { maxRecords: number; oldestTime?: number },
  ): string[] {
    if (records.length === 0) return [];
    return this.db.transaction(() => {
      const ids: string[] = [];
      let last = 0;
      for (const r of records) {
        // Positional parameters: binding by name costs a property lookup each, on the write path.
        last = Number(
          this.insert.run(
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
          ).lastInsertRowid,
        );
        ids.push(String(last));
      }
      this.trimCount.run(last - retention.maxRecords);
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
