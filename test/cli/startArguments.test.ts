import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { registerStart } from "../../src/cli/commands/start.js";
import { parseStartArguments, type StartCliOptions } from "../../src/cli/startArguments.js";

/** What commander hands `start`'s action for these arguments, or the error it stops with. */
function commanderParse(args: string[]): StartCliOptions | string {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerStart(program);
  const start = program.commands.find((c) => c.name() === "start")!;
  let received: StartCliOptions | undefined;
  start.exitOverride().action((opts: StartCliOptions) => {
    received = { ...opts };
  });
  try {
    program.parse(["start", ...args], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) return error.code;
    throw error;
  }
  return received!;
}

describe("fedsim start's arguments without commander", () => {
  const common = [
    [],
    ["--port", "0"],
    ["--port=0"],
    ["-p", "4567"],
    ["--port", "0x10"],
    ["--port="],
    ["-c", "my.yaml", "-H", "0.0.0.0", "-v"],
    ["--config", "a.yaml", "--config", "b.yaml"],
    ["--config="],
    ["--home", "/tmp/state", "--db", ":memory:", "--certs", "keys", "--public-url", "http://localhost:9"],
    ["--host=::1", "--verbose", "--public-url=https://fedsim.example"],
    ["-p", "1", "--port", "2"],
  ];
  it.each(common)("parses %j as commander does", (...args) => {
    const parsed = parseStartArguments(args);
    expect(parsed).toBeDefined();
    expect(parsed).toEqual(commanderParse(args));
  });

  const others = [
    ["--help"],
    ["-h"],
    ["--port", "65536"],
    ["--port", "-1"],
    ["--port", "eighty"],
    ["--port"],
    ["-p4566"],
    ["-vp", "0"],
    ["--verbose=yes"],
    ["--no-such-option"],
    ["extra"],
    ["--", "--port", "0"],
    ["--config", "--port"],
    ["-V"],
  ];
  it.each(others)("leaves %j to commander, to be parsed or refused in its words", (...args) => {
    expect(parseStartArguments(args)).toBeUndefined();
  });
});
