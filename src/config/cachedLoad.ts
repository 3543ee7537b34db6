import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { LoadedConfig } from "./configError.js";
import type { FedsimConfig } from "./schema.js";

/**
 * Set by the bundled build (scripts/bundle.ts) to a hash of fedsim's sources; absent when running from tsc's
 * output or tsx, which then always validate in full.
 */
declare const FEDSIM_BUILD: string | undefined;
const BUILD = typeof FEDSIM_BUILD === "string" ? FEDSIM_BUILD : undefined;

interface CacheEntry {
  key: string;
  config: FedsimConfig;
}

/**
 * loadConfigFile, remembering the validated config: a config file's text, read by the same build, validates
 * to the same result, so it is parsed and validated (YAML and zod, two thirds of start-up) only when the text
 * or fedsim changed, and otherwise read back as JSON. Nothing is relaxed: a changed byte or another build
 * misses the cache and meets the full check with its error messages. One cache file per config path, so the
 * folder stays small; a cache that cannot be written (read-only state) only costs the time.
 */
export async function loadConfigFileCached(
  file: string,
  cacheDir: string | undefined,
  build: string | undefined = BUILD,
): Promise<LoadedConfig> {
  const path = resolve(file);
  let text: string | undefined;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    // The full loader words the error.
  }
  if (text === undefined || cacheDir === undefined || build === undefined) return fullLoad(file);
  const key = createHash("sha256").update(build).update("\0").update(text).digest("hex");
  const cacheFile = join(
    cacheDir,
    `config-${createHash("sha256").update(path).digest("hex").slice(0, 32)}.json`,
  );
  const hit = readEntry(cacheFile);
  if (hit?.key === key) return { file: path, config: hit.config };
  const { parseConfigText } = await import("./load.js");
  const config = parseConfigText(text, file);
  // Only what survives JSON unchanged is cached, so a hit is the very config validation produced.
  const entry: CacheEntry = { key, config };
  const json = JSON.stringify(entry);
  if (isDeepStrictEqual(JSON.parse(json), entry)) writeEntry(cacheFile, json);
  return { file: path, config };
}

async function fullLoad(file: string): Promise<LoadedConfig> {
  const { loadConfigFile } = await import("./load.js");
  return loadConfigFile(file);
}

function readEntry(cacheFile: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(cacheFile, "utf8")) as Partial<CacheEntry>;
    return typeof entry.key === "string" && typeof entry.config === "object" && entry.config !== null
      ? (entry as CacheEntry)
      : undefined;
  } catch {
    return undefined;
  }
}

function writeEntry(cacheFile: string, json: string): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(join(cacheFile, ".."), { recursive: true });
    writeFileSync(temporary, json, { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only state folder: the next start validates again.
  }
}
