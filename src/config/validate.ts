import { statSync } from "node:fs";
import { resolve } from "node:path";
import { compilePolicy } from "../authz/policyCache.js";
import { Store } from "../store/store.js";
import { expandFedsimReferences } from "./fedsimReferences.js";
import { ConfigError, type LoadedConfig, loadConfigFile } from "./load.js";
import { seedStore } from "./seed.js";
import { type ConfigWarning, configWarnings } from "./warnings.js";

/** Where `fedsim start` listens by default. */
const DEFAULT_PUBLIC_URL = "http://127.0.0.1:4566";

export interface ValidatedConfig extends LoadedConfig {
  /** Allowed but almost certainly not meant (an action no AWS service defines, an undefined provider). */
  warnings: ConfigWarning[];
}

/**
 * Everything start-up checks, without starting: the schema (field types, duplicates, references between
 * entries), then a seeding into a throwaway in-memory store, which checks each policy document's grammar
 * as IAM does and that every attachedPolicies ARN names a managed policy; and then what start-up does not
 * check (configWarnings). Returns the loaded config and its warnings; throws ConfigError (`FILE: invalid
 * config` then one `  - path: problem` line per problem, then one `warning: path: message` line per warning)
 * otherwise. Schema problems are reported alone: seeding and warnings need a config that has the schema's shape.
 */
export async function validateConfigFile(file: string): Promise<ValidatedConfig> {
  const read = loadConfigFile(file);
  // ${fedsim:oidc} names the issuer of whichever fedsim serves the file; the default address stands in.
  const loaded = { ...read, config: expandFedsimReferences(read.config, `${DEFAULT_PUBLIC_URL}/oidc`, file) };
  const problems: string[] = [];
  const store = Store.open(":memory:");
  try {
    seedStore(store, loaded, {
      now: Date.now(),
      // Its content (the IdP's certificate, the server's URL) is only known once fedsim starts.
      builtinSamlMetadata: () => "",
      validatePolicy: (document, kind) => void compilePolicy(document, kind),
      onProblem: (path, message) => problems.push(`  - ${path}: ${message}`),
    });
  } finally {
    store.close();
  }
  // A module integration's file, as start-up would look for it (importing it, which runs it, is start-up's).
  for (const [i, api] of loaded.config.apis.entries()) {
    if (api.backend.type !== "module") continue;
    const path = resolve(file, "..", api.backend.file);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile())
      problems.push(
        `  - apis[${i}].backend.file: no file at ${path} (a module integration's path is relative to the config file)`,
      );
  }
  const warnings = await configWarnings(loaded.config);
  if (problems.length > 0) {
    const lines = [...problems, ...warnings.map(formatWarning)];
    throw new ConfigError(`${file}: invalid config\n${lines.join("\n")}`);
  }
  return { ...loaded, warnings };
}

/** `warning: accounts[0].policies[0].document.Statement[0].Action: no AWS service defines ...` */
export function formatWarning(warning: ConfigWarning): string {
  return `warning: ${warning.path}: ${warning.message}`;
}
