import type { DecisionRecord } from "../../authz/decisionRecord.js";
import type { StatementTrace } from "../../core/policy/trace.js";
import { code, consolePage, e, facts, table } from "../layout.js";
import { decidingStatement, outcomeBadge } from "./decisionLog.js";

/** Every decision made for one request, oldest first, statement by statement: `fedsim explain` in a page. */
export function explainPage(requestId: string, records: readonly DecisionRecord[]): string {
  if (records.length === 0)
    return consolePage({
      title: "No decision for this request",
      body: `<p>fedsim has no decision recorded for request ${code(requestId)}: the log keeps <code>settings.decisionLog.maxRecords</code> records for <code>maxAgeSeconds</code>.</p><p><a href="/_fedsim/console">Back to the decision log</a></p>`,
    });
  const sections = records.map((r, i) => {
    const trace = (r.trace ?? []).map((p, j) =>
      table({
        caption: `${p.type}: ${p.policy}`,
        head: ["Statement", "Effect", "Outcome"],
        rows: p.statements.map((s) => [code(s.sid ?? `#${s.index}`), e(s.effect), e(outcome(s))]),
        empty: "(no statements)",
        id: `trace-${i}-${j}`,
      }),
    );
    const context = Object.entries(r.context);
    return `<section class="card" aria-labelledby="decision-${i}"><h2 id="decision-${i}">${e(r.action)}</h2>
${facts([
  ["Decision", outcomeBadge(r.decision)],
  ["Reason", e(r.reason)],
  ["Deciding statement", e(decidingStatement(r))],
  ["Caller", code(r.principal)],
  ["Resource", code(r.resource)],
  ["Door", e(r.door)],
  ["Time", `<time datetime="${e(r.time)}">${e(r.time)}</time>`],
])}
${
  trace.length > 0
    ? `<h3>Policies considered</h3>${trace.join("\n")}`
    : `<p class="muted">${
        r.decision === "refused"
          ? "Refused before any policy was evaluated."
          : r.decision === "allow"
            ? "An allow keeps its deciding statements and the keys read; denials keep every statement's outcome."
            : "No policy trace was recorded."
      }</p>`
}
${
  context.length > 0
    ? table({
        caption: "Context keys read",
        head: ["Key", "Value"],
        rows: context.map(([k, v]) => [code(k), v === null ? "<em>(absent)</em>" : code(JSON.stringify(v))]),
        empty: "",
      })
    : ""
}</section>`;
  });
  return consolePage({
    title: `Request ${requestId}`,
    body: `<p class="lead">Every decision fedsim made for this request, in the order it made them.</p>
<p><a href="/_fedsim/console">Back to the decision log</a></p>
${sections.join("\n")}`,
  });
}

function outcome(s: StatementTrace): string {
  switch (s.outcome) {
    case "matched":
      return "matched";
    case "action":
      return "no match: the action is not in its Action list";
    case "resource":
      return "no match: the resource is not in its Resource list";
    case "principal":
      return "no match: its Principal does not name the caller";
    case "condition": {
      const c = s.failedCondition!;
      const wanted = c.values.length === 1 ? JSON.stringify(c.values[0]) : JSON.stringify(c.values);
      const actual =
        c.actual === null
          ? "the request has no such key"
          : `the request has ${JSON.stringify(c.actual.length === 1 ? c.actual[0] : c.actual)}`;
      return `no match: condition ${c.operator} ${c.key} ${wanted} does not hold (${actual})`;
    }
  }
}
