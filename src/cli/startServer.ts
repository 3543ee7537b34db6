import { resolve } from "node:path";
import { idpKeysExist } from "../idp/keys.js";
import { startFedsim } from "../server/start.js";
import { defaultConfig, stateFolder } from "./home.js";
import type { StartCliOptions } from "./startArguments.js";

/** `fedsim start`: serves until SIGINT or SIGTERM. Reached with or without commander (src/cli/index.ts). */
export async function runStart(opts: StartCliOptions): Promise<void> {
  const config = opts.config ?? defaultConfig();
  const state = stateFolder(opts);
  // Making the key pair and its certificate takes a second or so, the only slow step of a start: say so.
  if (!idpKeysExist(state.certs))
    console.error(
      `fedsim: first start: making the built-in IdP's signing key and certificate in ${state.certs}`,
    );
  const server = await startFedsim({
    config,
    port: opts.port,
    host: opts.host,
    db: state.db,
    certsDir: state.certs,
    configCache: state.cache,
    publicUrl: opts.publicUrl ?? (process.env.FEDSIM_PUBLIC_URL || undefined),
    adminToken: process.env.FEDSIM_ADMIN_TOKEN || undefined,
    log: opts.verbose ? (line) => console.log(line) : undefined,
  }).catch((error: unknown) => {
    throw namingDatabase(error, state.db);
  });
  // A reader of the output that went away (`fedsim start | head`) must not crash the server, and with it the
  // shutdown that writes the last decisions: a write to a closed pipe fails with EPIPE, said nowhere else.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  // Before the ready line: a supervisor that stops fedsim as soon as it reads it gets a clean shutdown.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`fedsim: ${signal} received, shutting down`);
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  console.log(`fedsim listening on ${server.url}`);
  console.log(`  config:   ${resolve(config)}`);
  console.log(`  database: ${state.db === ":memory:" ? ":memory: (nothing kept)" : state.db}`);
  console.log(`  certs:    ${state.certs}`);
  console.log(
    `  state:    ${state.source === "installation" ? "the installation's data/ and certs/" : state.source}`,
  );
  console.log(`  sign in:  ${server.url}/idp/login`);
  // The console is open to loopback; from another machine a browser presents the token once (?token=).
  console.log(`  console:  ${server.url}/_fedsim/console`);
  console.log(
    process.env.FEDSIM_ADMIN_TOKEN
      ? "  admin:    /_fedsim/* open to loopback, or with FEDSIM_ADMIN_TOKEN"
      : `  admin:    /_fedsim/* open to loopback, or with Authorization: Bearer ${server.adminToken}`,
  );
}

/**
 * SQLite's own words ("attempt to write a readonly database", "unable to open database file") name no file;
 * with the state folder chosen for the user (--home, FEDSIM_HOME, the installation), say which one.
 */
function namingDatabase(error: unknown, db: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) return error;
  return new Error(`cannot use the database ${db}: ${(error as Error).message}`, { cause: error });
}
