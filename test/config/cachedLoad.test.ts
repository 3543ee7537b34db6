import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { loadConfigFileCached } from "../../src/config/cachedLoad.js";
import { ConfigError, loadConfigFile } from "../../src/config/load.js";

let dir: string;
let cache: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fedsim-config-cache-"));
  cache = join(dir, "cache");
  file = join(dir, "fedsim.yaml");
  writeFileSync(file, readFileSync("data/petstore.yaml", "utf8"));
});

const cachedEntry = () => {
  const [name] = readdirSync(cache);
  return join(cache, name!);
};

describe("the validated-config cache (start-up)", () => {
  it("gives the same config as a full load, and the same again from the cache", async () => {
    const full = loadConfigFile(file);
    const first = await loadConfigFileCached(file, cache, "build-1");
    expect(first).toEqual(full);
    expect(readdirSync(cache)).toHaveLength(1);
    const second = await loadConfigFileCached(file, cache, "build-1");
    expect(second).toEqual(full);
  });

  it("reads the config from the cache when the text and the build are unchanged", async () => {
    await loadConfigFileCached(file, cache, "build-1");
    // Marks the cached copy, to see it is what the next load returns.
    const entry = JSON.parse(readFileSync(cachedEntry(), "utf8"));
    entry.config.region = "eu-north-1";
    writeFileSync(cachedEntry(), JSON.stringify(entry));
    expect((await loadConfigFileCached(file, cache, "build-1")).config.region).toBe("eu-north-1");
  });

  it("validates a changed file in full, with the same error message as without a cache", async () => {
    await loadConfigFileCached(file, cache, "build-1");
    writeFileSync(file, readFileSync(file, "utf8").replace(/region: .*/, "region: 42"));
    let expected: unknown;
    try {
      loadConfigFile(file);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(ConfigError);
    await expect(loadConfigFileCached(file, cache, "build-1")).rejects.toThrow(
      new ConfigError((expected as Error).message),
    );
  });

  it("validates again under another build, whose schema may differ", async () => {
    await loadConfigFileCached(file, cache, "build-1");
    const entry = JSON.parse(readFileSync(cachedEntry(), "utf8"));
    entry.config.region = "eu-north-1";
    writeFileSync(cachedEntry(), JSON.stringify(entry));
    expect((await loadConfigFileCached(file, cache, "build-2")).config.region).toBe(
      loadConfigFile(file).config.region,
    );
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it("validates every time without a build id (tsc's output, tsx) and writes nothing", async () => {
    expect(await loadConfigFileCached(file, cache, undefined)).toEqual(loadConfigFile(file));
    expect(() => readdirSync(cache)).toThrow(/ENOENT/);
  });

  it("ignores a corrupt cache file and rewrites it", async () => {
    await loadConfigFileCached(file, cache, "build-1");
    writeFileSync(cachedEntry(), "{ not json");
    expect(await loadConfigFileCached(file, cache, "build-1")).toEqual(loadConfigFile(file));
    expect(JSON.parse(readFileSync(cachedEntry(), "utf8")).config).toEqual(loadConfigFile(file).config);
  });

  it("words a missing file as the full loader does", async () => {
    const missing = join(dir, "nope.yaml");
    await expect(loadConfigFileCached(missing, cache, "build-1")).rejects.toThrow(
      `${missing}: cannot read the config file (ENOENT)`,
    );
  });
});
