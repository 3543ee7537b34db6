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
    ["--port", "00080"],
    ["-c", "my.yaml", "-H", "0.0.0.0", "-v"],
    ["--config", "a.yaml", "--config", "b.yaml"],
    ["--config=a=b.yaml"],
    ["--home", "/tmp/state", "--db", ":memory:", "--certs", "keys", "--public-url", "http://localhost:9"],
    ["--host=::1", "--verbose", "--public-url=https://fedsim.example"],
    ["-p", "1", "--port", "2"],
  ];
  it.each(common.map((args) => [args]))("parses %j as commander does", (args) => {
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
  it.each(others.map((args) => [args]))(
    "leaves %j to commander, to be parsed or refused in its words",
    (args) => {
      expect(parseStartArguments(args)).toBeUndefined();
    },
  );

  // An unset variable (`--port "$PORT"`, `--host=$HOST`) must not start fedsim somewhere the user did not ask
  // for: an empty port was port 0 (a random one), an empty host every interface, an empty --home, --db or
  // --certs the working directory. A port is decimal digits: Number() also took 0x10, 1e3, 80.0 and " 80".
  const refused = [
    ["--port", ""],
    ["--port="],
    ["-p", ""],
    ["--port", " "],
    ["--port", " 80"],
    ["--port", "0x10"],
    ["--port", "0b1"],
    ["--port", "1e3"],
    ["--port", "80.0"],
    ["--port", "+80"],
    ["--host", ""],
    ["--host="],
    ["--home="],
    ["--db", ""],
    ["--certs="],
    ["--config="],
    ["--public-url="],
  ];
  it.each(refused.map((args) => [args]))("refuses %j, in commander's words", (args) => {
    expect(parseStartArguments(args)).toBeUndefined();
    expect(commanderParse(args)).toBe("commander.invalidArgument");
  });
});
