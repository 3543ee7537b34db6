#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { ConfigError } from "../config/load.js";
import { CliError } from "./client.js";
import { registerConfigValidate } from "./commands/configValidate.js";
import { registerCurl } from "./commands/curl.js";
import { registerDecisions } from "./commands/decisions.js";
import { registerDemo } from "./commands/demo.js";
import { registerExplain } from "./commands/explain.js";
import { registerLogin } from "./commands/login.js";
import { registerOidcToken } from "./commands/oidcToken.js";
import { registerSamlAssertion } from "./commands/samlAssertion.js";
import { registerStart } from "./commands/start.js";
import { registerStatus } from "./commands/status.js";

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

registerStart(program);
registerConfigValidate(program);
registerSamlAssertion(program);
registerOidcToken(program);
registerDecisions(program);
registerExplain(program);
registerLogin(program);
registerStatus(program);
registerDemo(program);
registerCurl(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  if (error instanceof CliError) {
    console.error(`fedsim: ${error.message}`);
    process.exit(error.exitCode);
  }
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
