/** `fedsim start`'s options, as commander hands them to the action (src/cli/commands/start.ts). */
export interface StartCliOptions {
  config?: string;
  port: number;
  host: string;
  home?: string;
  db?: string;
  certs?: string;
  publicUrl?: string;
  verbose?: boolean;
}

export const START_DEFAULTS = { port: 4566, host: "127.0.0.1" } as const;

/** The option names start takes a value for, each under its long and short spelling. */
const VALUED = new Map<string, Exclude<keyof StartCliOptions, "verbose">>([
  ["-c", "config"],
  ["--config", "config"],
  ["-p", "port"],
  ["--port", "port"],
  ["-H", "host"],
  ["--host", "host"],
  ["--home", "home"],
  ["--db", "db"],
  ["--certs", "certs"],
  ["--public-url", "publicUrl"],
]);

/**
 * A port number 0-65535 in decimal digits as commander's --port parser takes it (src/cli/defaults.ts), or
 * undefined. Not Number() alone: it reads "" and " " as 0 (a random port, for an unset `--port "$PORT"`), and
 * takes 0x10, 1e3 and 80.0.
 */
export function portNumber(value: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 65535 ? n : undefined;
}

/**
 * The options of a `fedsim start` written in the common spellings (`--port 0`, `--port=0`, `-p 0`, `-v`),
 * parsed to what commander would hand the action, so that a start need not load commander. Anything else
 * (--help, an unknown or repeated-short option, a bundle like `-vp`, a value that looks like an option, a
 * positional argument, a bad port, an empty value) is undefined: commander parses it, and words its help or error as ever.
 */
export function parseStartArguments(args: readonly string[]): StartCliOptions | undefined {
  const options: StartCliOptions = { ...START_DEFAULTS };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-v" || arg === "--verbose") {
      options.verbose = true;
      continue;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const key = VALUED.get(name);
    if (key === undefined) return undefined;
    let value: string | undefined;
    if (eq === -1) {
      value = args[++i];
      if (value === undefined || value.startsWith("-")) return undefined;
    } else {
      value = arg.slice(eq + 1);
    }
    // An empty value (an unset variable) is refused by commander's parsers: an empty host is every
    // interface, an empty --home, --db or --certs the working directory.
    if (value === "") return undefined;
    if (key === "port") {
      const port = portNumber(value);
      if (port === undefined) return undefined;
      options.port = port;
    } else {
      options[key] = value;
    }
  }
  return options;
}
