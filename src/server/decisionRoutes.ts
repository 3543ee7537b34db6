import type { Express, Request, RequestHandler, Response } from "express";
import type { DecisionLog } from "../authz/decisionLog.js";
import type { DecisionRecord } from "../authz/decisionRecord.js";
import type { DecisionQuery } from "../store/decisions.js";

const MAX_LIMIT = 1000;

/**
 * GET /_fedsim/decisions: the decision log, newest first, filtered by denied=true, principal=ARN,
 * requestId=ID, since= (ISO 8601 or epoch milliseconds) and limit=N (default 100, at most 1,000);
 * follow=true streams records as Server-Sent Events as they are made. Behind the admin guard.
 */
export function mountDecisionRoutes(app: Express, log: DecisionLog): void {
  app.get("/_fedsim/decisions", decisionsHandler(log));
}

/** The handler of GET /_fedsim/decisions, for another guarded path to answer the same (the web console's). */
export function decisionsHandler(log: DecisionLog): RequestHandler {
  return (req: Request, res: Response) => {
    const parsed = readQuery(req.query as Record<string, unknown>);
    if (typeof parsed === "string") {
      res.status(400).json({ __type: "ValidationException", message: parsed });
      return;
    }
    const { query, follow } = parsed;
    if (!follow) {
      res.set("Cache-Control", "no-store").json({ decisions: log.query(query) });
      return;
    }
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    // Headers now, so a client knows it is following before the first record arrives.
    res.flushHeaders();
    const send = (r: DecisionRecord) =>
      res.write(`id: ${r.id}\nevent: decision\ndata: ${JSON.stringify(r)}\n\n`);
    // What matches now (oldest first, so the stream reads in order), then each new record as it is written.
    for (const r of log.query(query).reverse()) send(r);
    const unsubscribe = log.subscribe((r) => {
      if (matches(r, query)) send(r);
    });
    const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
    keepAlive.unref();
    req.on("close", () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  };
}

function matches(r: DecisionRecord, q: DecisionQuery): boolean {
  if (q.deniedOnly && r.decision === "allow") return false;
  if (q.principal !== undefined && r.principal !== q.principal) return false;
  if (q.requestId !== undefined && r.requestId !== q.requestId) return false;
  if (q.since !== undefined && Date.parse(r.time) < q.since) return false;
  return true;
}

/** The filters, checked; a string is the reason they are not valid. */
function readQuery(raw: Record<string, unknown>): { query: DecisionQuery; follow: boolean } | string {
  const one = (name: string): string | undefined | null => {
    const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
    if (v === undefined) return undefined;
    return typeof v === "string" ? v : null;
  };
  for (const name of Object.keys(raw))
    if (!["denied", "principal", "requestId", "since", "limit", "follow"].includes(name))
      return `Unknown filter '${name}': use denied, principal, requestId, since, limit or follow`;
  const values = ["denied", "principal", "requestId", "since", "limit", "follow"].map(one);
  if (values.includes(null)) return "Each filter may be given once";
  const [denied, principal, requestId, since, limit, follow] = values as (string | undefined)[];
  const flag = (name: string, v: string | undefined): boolean | string =>
    v === undefined || v === "false" ? false : v === "true" ? true : `${name} must be true or false`;
  const deniedOnly = flag("denied", denied);
  const following = flag("follow", follow);
  if (typeof deniedOnly === "string") return deniedOnly;
  if (typeof following === "string") return following;
  let sinceMs: number | undefined;
  if (since !== undefined) {
    sinceMs = /^\d{1,16}$/.test(since)
      ? Number(since)
      : /^\d{4}-\d{2}-\d{2}/.test(since)
        ? Date.parse(since)
        : Number.NaN;
    if (Number.isNaN(sinceMs)) return "since must be an ISO 8601 time or epoch milliseconds";
  }
  let count = 100;
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)
      return `limit must be a whole number from 1 to ${MAX_LIMIT}`;
    count = Number(limit);
  }
  return {
    query: { deniedOnly, principal, requestId, since: sinceMs, limit: count },
    follow: following,
  };
}
