import type { Command } from "commander";
import type { ServerStatus } from "../../server/adminRoutes.js";
import { endpointOf, getJson, postJson } from "../client.js";
import { bold, dim } from "../format.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("what a running fedsim uses and serves: config, database, certs, people, sign-in URL, APIs")
    .option("--json", "print the status as JSON")
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      "\nExample:\n  fedsim status\n\nExit codes: 0 running, 1 no fedsim answers at the endpoint.",
    )
    .action(async (opts: { json?: boolean; endpoint?: string }) => {
      const status = await getJson<ServerStatus>(endpointOf(opts), "/_fedsim/status");
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : describe(status));
    });

  program
    .command("reset")
    .description(
      "empty a running fedsim's store and seed it again from its config (keys and config are kept)",
    )
    .option("--endpoint <url>", "fedsim's URL (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)")
    .addHelpText(
      "after",
      `
Example:
  fedsim reset        every session, identity, decision and API-made change gone; the config's entities back

Exit codes: 0 reset, 1 fedsim unreachable or refused (off loopback, set FEDSIM_ADMIN_TOKEN).`,
    )
    .action(async (opts: { endpoint?: string }) => {
      const endpoint = endpointOf(opts);
      const { status } = await postJson<{ status: ServerStatus }>(endpoint, "/_fedsim/reset");
      console.log(`fedsim at ${endpoint} reset to ${status.config}`);
    });
}

function describe(s: ServerStatus): string {
  const people = s.people
    .map((p) => `    ${p.username.padEnd(10)} ${dim(p.roles.join(", ") || "no roles")}`)
    .join("\n");
  const apis = (s.apis ?? []).map((a) => `    ${a.id.padEnd(10)} ${a.url}`).join("\n");
  return `${bold(`fedsim at ${s.url}`)} ${dim(`(since ${s.startedAt})`)}
  config:   ${s.config}
  database: ${s.database}
  certs:    ${s.certs}
  region:   ${s.region}; accounts ${s.accounts.join(", ")}
  sign in:  ${s.signIn}
  people:
${people || "    (none)"}
  apis:
${apis || "    (none)"}
`;
}
