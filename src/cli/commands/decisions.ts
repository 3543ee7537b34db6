import type { Command } from "commander";
import type { DecisionRecord } from "../../authz/decisionRecord.js";
import { printable } from "../../core/printable.js";
import { CliError, endpointOf, getJson, openStream } from "../client.js";
import { bold, decisionColour, dim } from "../format.js";

interface DecisionsOptions {
  endpoint?: string;
  denied?: boolean;
  follow?: boolean;
  json?: boolean;
  principal?: string;
  since?: string;
  limit?: string;
}

export function registerDecisions(program: Command): void {
  program
    .command("decisions")
    .description(
      "print the decision log of a running fedsim: every authorisation decision and refusal, newest first",
    )
    .option("--denied", "only denials and refusals")
    .option("--principal <arn>", "only this principal's decisions")
    .option("--since <time>", "only decisions at or after this time (ISO 8601 or epoch milliseconds)")
    .option("--limit <n>", "at most this many (1-1000, default 100)")
    .option("-f, --follow", "keep printing decisions as they are made")
    .option("--json", "print JSON: { decisions: [...] }, or one record per line with --follow")
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      `
Examples:
  fedsim decisions --denied              what was refused, and why
  fedsim decisions --follow              watch decisions as requests arrive
  fedsim decisions --json --limit 5 | jq '.decisions[0].statements'

Exit codes: 0 done, 1 fedsim unreachable or refused the query.
Off loopback, set FEDSIM_ADMIN_TOKEN to the admin token fedsim printed at start-up.`,
    )
    .action(async (opts: DecisionsOptions) => {
      const endpoint = endpointOf(opts);
      const query = new URLSearchParams();
      if (opts.denied) query.set("denied", "true");
      if (opts.principal) query.set("principal", opts.principal);
      if (opts.since) query.set("since", opts.since);
      if (opts.limit) query.set("limit", opts.limit);
      if (opts.follow) {
        query.set("follow", "true");
        await follow(endpoint, `/_fedsim/decisions?${query}`, opts.json === true);
        return;
      }
      const { decisions } = await getJson<{ decisions: DecisionRecord[] }>(
        endpoint,
        `/_fedsim/decisions?${query}`,
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ decisions }, null, 2)}\n`);
        return;
      }
      if (decisions.length === 0) console.log(dim("no decisions recorded yet"));
      for (const d of decisions) console.log(decisionLine(d));
    });
}

export function decisionLine(record: DecisionRecord): string {
  const d = printableRecord(record);
  const colour = decisionColour(d.decision);
  const statement = d.statements[0];
  const by = statement ? ` ${dim(`[${statement.policy} ${statement.sid ?? `#${statement.index}`}]`)}` : "";
  return (
    `${dim(d.time)} ${colour(d.decision.padEnd(13))} ${bold(d.action)} ${d.resource === "*" ? "" : `on ${d.resource} `}` +
    `by ${d.principal}${by}\n    ${d.reason} ${dim(`(request ${d.requestId})`)}`
  );
}

async function follow(endpoint: string, path: string, json: boolean): Promise<void> {
  const res = await openStream(endpoint, path);
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split("\n")
        .filter((l) => l.startsWith("data: "))
        .map((l) => l.slice(6))
        .join("\n");
      if (data) {
        const record = JSON.parse(data) as DecisionRecord;
        console.log(json ? JSON.stringify(record) : decisionLine(record));
      }
      end = buffer.indexOf("\n\n");
    }
  }
  throw new CliError("fedsim closed the decision stream");
}

/** Every text of a record as a terminal may show it: a client chose some of them. */
export function printableRecord(d: DecisionRecord): DecisionRecord {
  return JSON.parse(JSON.stringify(d), (_key, value) =>
    typeof value === "string" ? printable(value) : value,
  );
}
