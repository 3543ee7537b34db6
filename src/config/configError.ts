import { dirname, resolve } from "node:path";
import type { FedsimConfig } from "./schema.js";

/** A config file that cannot be used; the message names the file, the field's path and what was expected. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export interface LoadedConfig {
  file: string;
  config: FedsimConfig;
}

/** Files named in the config (metadataFile) are relative to the config file. */
export function resolveFromConfig(configFile: string, target: string): string {
  return resolve(dirname(configFile), target);
}
