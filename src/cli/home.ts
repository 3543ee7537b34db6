import { accessSync, constants, existsSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where fedsim keeps its database and keys, and why there. */
export interface StateFolder {
  db: string;
  certs: string;
  /** Where start-up remembers validated configs (src/config/cachedLoad.ts). */
  cache: string;
  /** "--home", "FEDSIM_HOME", "installation" or "user data". */
  source: string;
}

/**
 * The demo config: `data/petstore.yaml` in the current directory when there is one (a clone of fedsim), else
 * the copy shipped with the package, so `fedsim start` works from any directory.
 */
export function defaultConfig(): string {
  const local = "data/petstore.yaml";
  return existsSync(local) ? local : fileURLToPath(new URL("../../data/petstore.yaml", import.meta.url));
}

/** The fedsim installation: the folder holding its package.json (a clone, or node_modules/fedsim). */
export function installationDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/**
 * One state folder, whatever the working directory: --home, else FEDSIM_HOME, else the installation's data/
 * and certs/ when it can write there (a clone, as `npm start` uses them), else $XDG_DATA_HOME/fedsim
 * (~/.local/share/fedsim). --db and --certs still override each part. A start from another directory thus
 * finds the same keys and database instead of silently making new ones there.
 */
export function stateFolder(
  options: { home?: string; db?: string; certs?: string },
  env: NodeJS.ProcessEnv = process.env,
  install = installationDir(),
): StateFolder {
  let base: { db: string; certs: string; cache: string; source: string };
  const home = options.home ?? (env.FEDSIM_HOME || undefined);
  if (home !== undefined) {
    const dir = resolve(expandHome(home));
    base = {
      db: join(dir, "fedsim.sqlite"),
      certs: join(dir, "certs"),
      cache: join(dir, "cache"),
      source: options.home ? "--home" : "FEDSIM_HOME",
    };
  } else {
    if (writable(join(install, "data")) && writable(install)) {
      base = {
        db: join(install, "data", "fedsim.sqlite"),
        certs: join(install, "certs"),
        cache: join(install, "data", "cache"),
        source: "installation",
      };
    } else {
      const dataHome = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
      const dir = join(dataHome, "fedsim");
      base = {
        db: join(dir, "fedsim.sqlite"),
        certs: join(dir, "certs"),
        cache: join(dir, "cache"),
        source: "user data",
      };
    }
  }
  return {
    db: options.db === undefined ? base.db : options.db === ":memory:" ? ":memory:" : resolve(options.db),
    certs: options.certs === undefined ? base.certs : resolve(options.certs),
    cache: base.cache,
    source: base.source,
  };
}

/**
 * A leading `~` or `~/` as the user's home folder. A shell expands it only when unquoted; from a quoted
 * argument, an env file, systemd or Compose it arrives as written and would make a folder named `~`.
 */
export function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

function writable(dir: string): boolean {
  if (!existsSync(dir)) return false;
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
