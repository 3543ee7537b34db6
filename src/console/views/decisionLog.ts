import type { DecisionOutcome, DecisionRecord } from "../../authz/decisionRecord.js";
import { code, consolePage, e, table } from "../layout.js";

export const OUTCOME_LABELS: ReadonlyMap<DecisionOutcome, string> = new Map([
  ["allow", "Allowed"],
  ["explicit-deny", "Denied (explicit Deny)"],
  ["implicit-deny", "Denied (no Allow)"],
  ["refused", "Refused"],
]);

const HEAD = [
  "Time (UTC)",
  "Decision",
  "Caller",
  "Action",
  "Resource",
  "Deciding statement and reason",
  "Explain",
] as const;

/** The statement that decided, in one line (the live script words it the same way). */
export function decidingStatement(r: DecisionRecord): string {
  const s = r.statements[0];
  if (s) return `${s.effect} by ${s.policy} ${s.sid !== undefined ? s.sid : `#${s.index}`}`;
  if (r.decision === "implicit-deny") return "No statement allows it";
  if (r.decision === "refused") return "Refused before any policy was read";
  return "(no statement recorded)";
}

export function outcomeBadge(d: DecisionOutcome): string {
  return `<span class="badge ${d === "allow" ? "allow" : "deny"}">${e(OUTCOME_LABELS.get(d) ?? d)}</span>`;
}

export function explainHref(requestId: string): string {
  return `/_fedsim/console/explain/${encodeURIComponent(requestId)}`;
}

/** The cells of one record, as the live script builds them for records that arrive later. */
function cells(r: DecisionRecord): string[] {
  return [
    `<time datetime="${e(r.time)}">${e(r.time.slice(11, 19))}</time>`,
    outcomeBadge(r.decision),
    code(r.principal),
    `${code(r.action)}<small>${e(r.door)}</small>`,
    code(r.resource),
    // An allow's reason only repeats its statement: denials and refusals keep theirs.
    `<span>${e(decidingStatement(r))}</span>${r.decision === "allow" && r.statements.length > 0 ? "" : `<small>${e(r.reason)}</small>`}`,
    `<a href="${e(explainHref(r.requestId))}">Explain<span class="visually-hidden"> request ${e(r.requestId)}</span></a>`,
  ];
}

/**
 * The overview: the latest decisions, rendered, and (with script) the ones made after, as they are made.
 * `since` starts the stream at this page's time, so a reconnect resends only what this page may lack.
 */
export function decisionLogPage(input: {
  records: readonly DecisionRecord[];
  deniedOnly: boolean;
  since: number;
  gatewayHint?: string;
}): string {
  const stream = new URLSearchParams({ follow: "true", since: String(input.since), limit: "200" });
  if (input.deniedOnly) stream.set("denied", "true");
  const filter = input.deniedOnly
    ? `<a href="/_fedsim/console">Show every decision</a>`
    : `<a href="/_fedsim/console?denied=true">Show denials and refusals only</a>`;
  const hint = input.gatewayHint ? `<p class="note">Make one: <code>${e(input.gatewayHint)}</code></p>` : "";
  return consolePage({
    title: input.deniedOnly ? "Decisions: denials and refusals" : "Decisions",
    section: "",
    live: true,
    body: `<p class="lead">Every allow, deny and refusal fedsim made, newest first, with the statement that decided it.</p>
<div class="status-line"><p id="live-status" role="status" data-state="off">Without JavaScript this list shows what was decided when the page loaded: reload for more.</p>${filter}</div>
<p id="live-announce" class="visually-hidden" aria-live="polite"></p>
${hint}
${table({
  id: "decision-log",
  caption: "Decision log",
  head: HEAD,
  rows: input.records.map(cells),
  rowAttributes: input.records.map((r) => ` data-id="${e(r.id)}"`),
  attributes: ` data-stream="${e(`/_fedsim/console/decisions?${stream}`)}"`,
  empty: "No decisions yet: they appear here as requests arrive.",
})}`,
  });
}
