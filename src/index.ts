/** fedsim's public API: start and stop the emulator in-process (for tests), and load configs. */

export type {
  DecisionOutcome,
  DecisionRecord,
  DecisionStatement,
} from "./authz/decisionRecord.js";
export { ConfigError, type LoadedConfig, loadConfigFile, parseConfigText } from "./config/load.js";
export type { FedsimConfig } from "./config/schema.js";
export { AwsError, type AwsErrorCode } from "./errors.js";
export { type FedsimServer, type StartOptions, startFedsim } from "./server/start.js";
