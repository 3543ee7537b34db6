import { readFileSync } from "node:fs";
import { Command } from "commander";

/**
 * The commander program: every command but a plain `fedsim start`, which src/cli/index.ts runs without it
 * (src/cli/startArguments.ts).
 */
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

export async function runProgram(argv: readonly string[]): Promise<void> {
  await registerCommands(argv[2]);
  await program.parseAsync([...argv]);
}
