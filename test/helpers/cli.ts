import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Absolute paths, so that the CLI also runs from another working directory.
const TSX = pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href;
const CLI = resolve("src/cli/index.ts");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the fedsim CLI as a separate process, asynchronously: a client command talks HTTP to a fedsim that
 * may run in this very process, which spawnSync would freeze.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, ["--import", TSX, CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`fedsim ${args.join(" ")} did not finish:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
