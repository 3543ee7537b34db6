#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { CliError } from "./client.js";

const program = new Command();
program
  .name("fedsim")
  .version(packageVersion())
  .description(
    "Local AWS identity-federation emulator: IAM, STS, SAML and OpenID Connect federation, with SigV4 and IAM policies enforced, and a log of every decision",
  );

function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when that command runs: a start must not pay for the config checker's or
 * the client commands' imports (start-up time is measured: bench/startup.ts). --version loads none; help and an
 * unknown name load them all, so the listing and commander's suggestions stay whole. Order is the help listing's.
 */
const commands: ReadonlyArray<readonly [names: readonly string[], load: () => Promise<Register>]> = [
  [["start"], async () => (await import("./commands/start.js")).registerStart],
  [["config"], async () => (await import("./commands/configValidate.js")).registerConfigValidate],
  [["saml"], async () => (await import("./commands/samlAssertion.js")).registerSamlAssertion],
  [["oidc"], async () => (await import("./commands/oidcToken.js")).registerOidcToken],
  [["decisions"], async () => (await import("./commands/decisions.js")).registerDecisions],
  [["explain"], async () => (await import("./commands/explain.js")).registerExplain],
  [["login"], async () => (await import("./commands/login.js")).registerLogin],
  [["status", "reset"], async () => (await import("./commands/status.js")).registerStatus],
  [["demo"], async () => (await import("./commands/demo.js")).registerDemo],
  [["curl"], async () => (await import("./commands/curl.js")).registerCurl],
];

async function registerCommands(name: string | undefined): Promise<void> {
  if (name === "-V" || name === "--version") return;
  const named = commands.find(([names]) => name !== undefined && names.includes(name));
  for (const [, load] of named ? [named] : commands) (await load())(program);
}

registerCommands(process.argv[2])
  .then(() => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException;
    if (error instanceof CliError) {
      console.error(`fedsim: ${error.message}`);
      process.exit(error.exitCode);
    }
    // ConfigError by name: importing its class would load the config parser for every command.
    if (e.name === "ConfigError" || e.name === "PersonError") {
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
