import { resolve } from "node:path";
import type { Command } from "commander";
import { defaultConfig, port } from "../defaults.js";
import { stateFolder } from "../home.js";

interface StartCliOptions {
  config?: string;
  port: number;
  host: string;
  home?: string;
  db?: string;
  certs?: string;
  publicUrl?: string;
  verbose?: boolean;
}

export function registerStart(program: Command): void {
  program
    .command("start")
    .description("start fedsim on one port for every AWS service it emulates")
    .option("-c, --config <file>", "YAML or JSON config that seeds the store (default: the pet-store demo)")
    .option("-p, --port <n>", "port (0 picks a free one)", port, 4566)
    .option("-H, --host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--home <dir>",
      "state folder for the database and keys (default: FEDSIM_HOME, else the installation's data/ and certs/ if writable, else ~/.local/share/fedsim)",
    )
    .option("--db <file>", "SQLite file (':memory:' for none; default: fedsim.sqlite in the state folder)")
    .option(
      "--certs <dir>",
      "where the built-in IdP's keys live, generated if absent (default: certs/ in the state folder)",
    )
    .option(
      "--public-url <url>",
      "the URL clients reach fedsim at, if not http://HOST:PORT (a published container port, a proxy); FEDSIM_PUBLIC_URL",
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
      const { startFedsim } = await import("../../server/start.js");
      const config = opts.config ?? defaultConfig();
      const state = stateFolder(opts);
      const server = await startFedsim({
        config,
        port: opts.port,
        host: opts.host,
        db: state.db,
        certsDir: state.certs,
        configCache: state.cache,
        publicUrl: opts.publicUrl ?? (process.env.FEDSIM_PUBLIC_URL || undefined),
        adminToken: process.env.FEDSIM_ADMIN_TOKEN || undefined,
        log: opts.verbose ? (line) => console.log(line) : undefined,
      });
      console.log(`fedsim listening on ${server.url}`);
      console.log(`  config:   ${resolve(config)}`);
      console.log(`  database: ${state.db === ":memory:" ? ":memory: (nothing kept)" : state.db}`);
      console.log(`  certs:    ${state.certs}`);
      console.log(
        `  state:    ${state.source === "installation" ? "the installation's data/ and certs/" : state.source}`,
      );
      console.log(`  sign in:  ${server.url}/idp/login`);
      // The console is open to loopback; from another machine a browser presents the token once (?token=).
      console.log(`  console:  ${server.url}/_fedsim/console`);
      console.log(
        process.env.FEDSIM_ADMIN_TOKEN
          ? "  admin:    /_fedsim/* open to loopback, or with FEDSIM_ADMIN_TOKEN"
          : `  admin:    /_fedsim/* open to loopback, or with Authorization: Bearer ${server.adminToken}`,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`fedsim: ${signal} received, shutting down`);
        void server.close().then(() => process.exit(0));
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    });
}
