#!/usr/bin/env node
import { parseStartArguments } from "./startArguments.js";

/**
 * A plain `fedsim start` (the options in their common spellings) runs without commander, whose parse is a
 * tenth of a start (bench/startup.ts); everything else, --help and every mistake included, goes through the
 * commander program, which words help and errors as it always has.
 */
const start = process.argv[2] === "start" ? parseStartArguments(process.argv.slice(3)) : undefined;
const run = start
  ? import("./startServer.js").then(({ runStart }) => runStart(start))
  : import("./program.js").then(({ runProgram }) => runProgram(process.argv));

run.catch(async (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  // Imported only on failure, so that a start does not load the client commands' module.
  const { CliError } = await import("./client.js");
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
