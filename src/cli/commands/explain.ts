import type { Command } from "commander";
import type { DecisionRecord } from "../../authz/decisionRecord.js";
import type { StatementTrace } from "../../core/policy/trace.js";
import { CliError, endpointOf, getJson } from "../client.js";
import { bold, decisionColour, dim, green, red } from "../format.js";
import { printableRecord } from "./decisions.js";

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .argument(
      "<request-id>",
      "the x-amzn-RequestId of the request (also in `fedsim decisions` and the --verbose log)",
    )
    .description(
      "explain every decision fedsim made for one request: each policy considered, statement by statement",
    )
    .option("--json", "print the decision records as JSON")
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      `
Example:
  aws sts assume-role --role-arn arn:aws:iam::123456789012:role/PetStoreAdmin --role-session-name s --debug 2>&1 | grep -i x-amzn-requestid
  fedsim explain 0f6c3b1e-...      which statements matched, and the condition key and value that failed

Exit codes: 0 explained, 1 no decision recorded for that request or fedsim unreachable.`,
    )
    .action(async (requestId: string, opts: { json?: boolean; endpoint?: string }) => {
      const endpoint = endpointOf(opts);
      const query = new URLSearchParams({ requestId, limit: "1000" });
      const { decisions } = await getJson<{ decisions: DecisionRecord[] }>(
        endpoint,
        `/_fedsim/decisions?${query}`,
      );
      if (decisions.length === 0)
        throw new CliError(
          `no decision recorded for request ${requestId} (the log keeps settings.decisionLog.maxRecords records for maxAgeSeconds)`,
        );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ decisions }, null, 2)}\n`);
        return;
      }
      // Oldest first: the order in which they were made (a trust policy before the role's permissions, say).
      for (const d of decisions.reverse()) console.log(explainRecord(d));
    });
}

export function explainRecord(record: DecisionRecord): string {
  const d = printableRecord(record);
  const out: string[] = [];
  out.push(`${bold(d.action)} ${d.resource === "*" ? "" : `on ${d.resource} `}by ${d.principal}`);
  out.push(
    `  decision: ${decisionColour(d.decision)(d.decision)}  (${d.door}, ${d.time}, request ${d.requestId})`,
  );
  out.push(`  reason:   ${d.reason}`);
  if (d.statements.length > 0) {
    out.push("  deciding statements:");
    for (const s of d.statements) out.push(`    ${s.effect} ${s.policy} ${s.sid ?? `#${s.index}`}`);
  }
  if (d.trace && d.trace.length > 0) {
    out.push("  policies considered:");
    for (const p of d.trace) {
      out.push(`    ${p.type}: ${p.policy}`);
      if (p.statements.length === 0) out.push(dim("      (no statements)"));
      for (const s of p.statements) out.push(`      ${statementLine(s)}`);
    }
  } else if (d.decision === "refused") {
    out.push(dim("  refused before any policy was evaluated"));
  } else if (d.decision === "allow") {
    out.push(
      dim(
        "  (an allow keeps its deciding statements and the keys read; denials keep every statement's outcome)",
      ),
    );
  }
  const keys = Object.entries(d.context);
  if (keys.length > 0) {
    out.push("  context keys read:");
    for (const [key, value] of keys)
      out.push(`    ${key} = ${value === null ? dim("(absent)") : JSON.stringify(value)}`);
  }
  return out.join("\n");
}

function statementLine(s: StatementTrace): string {
  const name = `${s.effect} ${s.sid ?? `#${s.index}`}`;
  switch (s.outcome) {
    case "matched":
      return `${s.effect === "Allow" ? green("matched") : red("matched")}    ${name}`;
    case "action":
      return `${dim("no match")}   ${name}: the action is not in its Action list`;
    case "resource":
      return `${dim("no match")}   ${name}: the resource is not in its Resource list`;
    case "principal":
      return `${dim("no match")}   ${name}: its Principal does not name the caller`;
    case "condition": {
      const c = s.failedCondition!;
      const wanted = c.values.length === 1 ? JSON.stringify(c.values[0]) : JSON.stringify(c.values);
      const actual =
        c.actual === null
          ? "the request has no such key"
          : `the request has ${JSON.stringify(c.actual.length === 1 ? c.actual[0] : c.actual)}`;
      return `${dim("no match")}   ${name}: condition ${c.operator} ${c.key} ${wanted} does not hold (${actual})`;
    }
  }
}
