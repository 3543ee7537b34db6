import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { ConfigError, type LoadedConfig } from "./configError.js";
import { formatPath } from "./formatPath.js";
import { configSchema, type FedsimConfig } from "./schema.js";

// Kept here for their importers; they live apart so that code which only throws or resolves paths does not
// load YAML and zod (start-up reads a validated config from its cache: src/config/cachedLoad.ts).
export { ConfigError, type LoadedConfig, resolveFromConfig } from "./configError.js";

export function loadConfigFile(file: string): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  return { file: path, config: parseConfigText(text, file) };
}

export function parseConfigText(text: string, label = "config"): FedsimConfig {
  let raw: unknown;
  try {
    // YAML is a superset of JSON, so one parser reads both; uniqueKeys rejects silently shadowed fields.
    raw = parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(`${label}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success)
    throw new ConfigError(`${label}: invalid config\n${formatIssues(result.error.issues)}`);
  return result.data;
}

/** `accounts[0].roles[1].name: expected ...` - one line per problem. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  - ${formatPath(issue.path) || "(top level)"}: ${issue.message}`).join("\n");
}
