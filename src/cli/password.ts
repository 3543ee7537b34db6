import { createInterface } from "node:readline";
import { CliError } from "./client.js";

/**
 * A person's password: --password, else FEDSIM_PASSWORD, else a prompt when stdin is a terminal (typed
 * without echo). Without any of them the command cannot go on: exit 2, saying how to give one.
 */
export async function passwordFor(person: string, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  if (process.env.FEDSIM_PASSWORD) return process.env.FEDSIM_PASSWORD;
  if (!process.stdin.isTTY)
    throw new CliError(
      `no password for ${person}: pass --password, set FEDSIM_PASSWORD, or run in a terminal to be asked`,
      2,
    );
  return prompt(`Password for ${person}: `);
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    process.stderr.write(question);
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s === "\r\n" || s === "\n") write.call(rl, s);
    };
    rl.question("", (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    });
  });
}
