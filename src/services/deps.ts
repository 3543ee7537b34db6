import type { DecisionSink } from "../authz/decisionRecord.js";
import type { FedsimConfig } from "../config/schema.js";
import type { Store } from "../store/store.js";

/** The settings a service reads: the config's `settings` and its region. */
export type Settings = FedsimConfig["settings"] & { region: string };

/**
 * What every service operation may use. Narrow on purpose: a service factory takes its other dependencies
 * (keys, the decision sink, the API list) as arguments, so what a room uses shows in its signature.
 */
export interface ServiceDeps {
  store: Store;
  clock: () => Date;
  settings: Settings;
  /** fedsim's public base URL (http://host:port unless --public-url says otherwise), known before any room is built. */
  publicUrl: string;
}

/** A service room's dependencies once built: the shared ones and the decision sink its authorisation records to. */
export type RoomDeps = ServiceDeps & { decisions: DecisionSink };
