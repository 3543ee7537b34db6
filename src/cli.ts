#!/usr/bin/env node
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError, loadConfigFile } from "./config/load.js";
import { formatWarning, validateConfigFile } from "./config/validate.js";

const program = new Command();
program
  .name("fedsim")
  .version(packageVersion())
  .description(
    "Local AWS identity-federation emulator: IAM, STS and SAML federation, with SigV4 and IAM policies enforced",
  );

function packageVersion(): string {
  const file = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/**
 * The demo config: `data/petstore.yaml` in the current directory when there is one (a clone of fedsim), else
 * the copy shipped with the package, so `npx fedsim start` works from any directory.
 */
function defaultConfig(): string {
  const local = "data/petstore.yaml";
  return existsSync(local) ? local : fileURLToPath(new URL("../data/petstore.yaml", import.meta.url));
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port number 0-65535");
  return n;
}

program
  .command("start")
  .description("start fedsim on one port for every AWS service it emulates")
  .option("-c, --config <file>", "YAML or JSON config that seeds the store (default: the pet-store demo)")
  .option("-p, --port <n>", "port (0 picks a free one)", port, 4566)
  .option("-H, --host <host>", "address to listen on", "127.0.0.1")
  .option("--db <file>", "SQLite file (':memory:' for none)", "data/fedsim.sqlite")
  .option("--certs <dir>", "where the built-in IdP's keys live (generated if absent)", "certs")
  .option("-v, --verbose", "log every request's outcome")
  .action(
    async (opts: {
      config?: string;
      port: number;
      host: string;
      db: string;
      certs: string;
      verbose?: boolean;
    }) => {
      // Imported here so that `config validate` stays quick and loads no server code.
      const { startFedsim } = await import("./server.js");
      const server = await startFedsim({
        config: opts.config ?? defaultConfig(),
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
  .action(async (file: string) => {
    // The same checks start-up makes, policies and references included, against a throwaway store.
    const { config, warnings } = await validateConfigFile(file);
    // Warnings (on stderr) do not fail the command: the config is usable as written.
    for (const warning of warnings) console.warn(formatWarning(warning));
    const counts = config.accounts.map(
      (a) => `${a.id}: ${a.users.length} users, ${a.roles.length} roles, ${a.policies.length} policies`,
    );
    console.log(`${file}: valid (${counts.join("; ")})`);
  });

const saml = program.command("saml").description("the built-in SAML test IdP");
saml
  .command("assertion")
  .description(
    "print a base64 SAML Response for a person, signed by the built-in IdP (for aws sts assume-role-with-saml)",
  )
  .requiredOption("-u, --user <username>", "a person from identityProvider.people in the config")
  .option(
    "-r, --role <name-or-arn>",
    "include only this role, by name (PetStoreAdmin) or ARN (default: every role the person may assume)",
  )
  .option(
    "-e, --expires-in <seconds>",
    "validity of the assertion's conditions, in seconds; STS still requires it to be redeemed within 5 minutes of issuance, as AWS does",
    seconds,
    300,
  )
  .option("-c, --config <file>", "config file (default: the pet-store demo)")
  .option("--certs <dir>", "where the built-in IdP's keys live (generated if absent)", "certs")
  .action(
    async (opts: { user: string; role?: string; expiresIn: number; config?: string; certs: string }) => {
      const { loadOrCreateIdpKeys } = await import("./idp/keys.js");
      const { findPerson, mintAssertion } = await import("./idp/assertionForPerson.js");
      const { config } = loadConfigFile(opts.config ?? defaultConfig());
      const now = new Date();
      const keys = await loadOrCreateIdpKeys(opts.certs, now);
      const person = findPerson(config, opts.user);
      process.stdout.write(
        `${mintAssertion({ config, person, keys, now, validForSeconds: opts.expiresIn, role: opts.role })}\n`,
      );
    },
  );

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 60 || n > 86_400)
    throw new InvalidArgumentError("a whole number of seconds from 60 to 86400");
  return n;
}

program.parseAsync(process.argv).catch((error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof ConfigError || e.name === "PersonError") {
    console.error(e.message);
  } else if (e.code === "EADDRINUSE") {
    console.error(`fedsim: cannot listen: ${e.message} (use --port to pick another, or --port 0)`);
  } else {
    // A bad --db, an unknown --host and the like: the reason, not a stack trace (FEDSIM_DEBUG=1 shows it).
    console.error(`fedsim: ${e.message ?? String(error)}`);
    if (process.env.FEDSIM_DEBUG) console.error(e.stack);
  }
  process.exit(1);
});
