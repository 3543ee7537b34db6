import { compilePolicy } from "../authz/policyCache.js";
import { Store } from "../store/store.js";
import { ConfigError, type LoadedConfig, loadConfigFile } from "./load.js";
import { seedStore } from "./seed.js";

/**
 * Everything start-up checks, without starting: the schema (field types, duplicates, references between
 * entries), then a seeding into a throwaway in-memory store, which checks each policy document's grammar
 * as IAM does and that every attachedPolicies ARN names a managed policy. Returns the loaded config;
 * throws ConfigError (`FILE: invalid config` then one `  - path: problem` line per problem) otherwise.
 * Schema problems are reported alone: seeding needs a config that has the schema's shape.
 */
export function validateConfigFile(file: string): LoadedConfig {
  const loaded = loadConfigFile(file);
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
  if (problems.length > 0) throw new ConfigError(`${file}: invalid config\n${problems.join("\n")}`);
  return loaded;
}
