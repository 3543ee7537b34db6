import type { Command } from "commander";
import { nonEmpty, port } from "../defaults.js";
import { START_DEFAULTS, type StartCliOptions } from "../startArguments.js";

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("start fedsim on one port for every AWS service it emulates")
    .option(
      "-c, --config <file>",
      "YAML or JSON config that seeds the store (default: the pet-store demo)",
      nonEmpty("a file name"),
    )
    .option("-p, --port <n>", "port (0 picks a free one)", port, START_DEFAULTS.port)
    .option(
      "-H, --host <host>",
      "address to listen on",
      nonEmpty("a host name or address"),
      START_DEFAULTS.host,
    )
    .option(
      "--home <dir>",
      "state folder for the database and keys (default: FEDSIM_HOME, else the installation's data/ and certs/ if writable, else ~/.local/share/fedsim)",
      nonEmpty("a folder"),
    )
    .option(
      "--db <file>",
      "SQLite file (':memory:' for none; default: fedsim.sqlite in the state folder)",
      nonEmpty("a file name or :memory:"),
    )
    .option(
      "--certs <dir>",
      "where the built-in IdP's keys live, generated if absent (default: certs/ in the state folder)",
      nonEmpty("a folder"),
    )
    .option(
      "--public-url <url>",
      "the URL clients reach fedsim at, if not http://HOST:PORT (a published container port, a proxy); FEDSIM_PUBLIC_URL",
      nonEmpty("an http(s) URL"),
    )
    .option("-v, --verbose", "log every request's outcome and every refusal's reason")
    .addHelpText(
      "after",
      `
Examples:
  fedsim start                           the pet-store demo on http://127.0.0.1:4566
  fedsim start --port 0 --db :memory:    a throwaway instance on a free port
  fedsim start -c my-config.yaml -v      your own accounts, logging why each refusal happened

Environment: FEDSIM_HOME (as --home), FEDSIM_PUBLIC_URL (as --public-url), FEDSIM_ADMIN_TOKEN (the token that opens /_fedsim/* to
clients off loopback; random and printed when unset).
Exit codes: 0 after SIGINT/SIGTERM, 1 when it cannot start (bad config, port in use, unusable --db).`,
    )
    .action(async (opts: StartCliOptions) => {
      // Imported here so that other commands stay quick and load no server code.
      const { runStart } = await import("../startServer.js");
      await runStart(opts);
    });
}
