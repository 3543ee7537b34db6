#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { ConfigError, loadConfigFile } from "./config/load.js";

const program = new Command();
program
  .name("fedsim")
  .description(
    "Local AWS identity-federation emulator: IAM, STS, SAML/OIDC federation, Cognito Identity, SigV4 gateway",
  );

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port number 0-65535");
  return n;
}

program
  .command("start")
  .description("start fedsim on one port for every AWS service it emulates")
  .option("-c, --config <file>", "YAML or JSON config that seeds the store", "data/petstore.yaml")
  .option("-p, --port <n>", "port (0 picks a free one)", port, 4566)
  .option("-H, --host <host>", "address to listen on", "127.0.0.1")
  .option("--db <file>", "SQLite file (':memory:' for none)", "data/fedsim.sqlite")
  .option("--certs <dir>", "where the built-in IdP's keys live (generated if absent)", "certs")
  .option("-v, --verbose", "log every request's outcome")
  .action(
    async (opts: {
      config: string;
      port: number;
      host: string;
      db: string;
      certs: string;
      verbose?: boolean;
    }) => {
      // Imported here so that `config validate` stays quick and loads no server code.
      const { startFedsim } = await import("./server.js");
      const server = await startFedsim({
        config: opts.config,
        port: opts.port,
        host: opts.host,
        db: opts.db,
        certsDir: opts.certs,
        log: opts.verbose ? (line) => console.log(line) : undefined,
      });
      console.log(`fedsim listening on ${server.url}`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`fedsim: ${signal} received, shutting down`);
        void server.close().then(() => process.exit(0));
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    },
  );

const config = program.command("config").description("work with config files");
config
  .command("validate")
  .argument("<file>", "config file to check")
  .description("check a config file without starting fedsim")
  .action((file: string) => {
    const { config } = loadConfigFile(file);
    const counts = config.accounts.map(
      (a) => `${a.id}: ${a.users.length} users, ${a.roles.length} roles, ${a.policies.length} policies`,
    );
    console.log(`${file}: valid (${counts.join("; ")})`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(
      `fedsim: cannot listen: ${(error as Error).message} (use --port to pick another, or --port 0)`,
    );
  } else {
    console.error("fedsim:", error);
  }
  process.exit(1);
});
