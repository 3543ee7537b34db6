import type { Express } from "express";
import type { PoolDirectory } from "../config/poolDirectory.js";

/** What `fedsim status` shows: what is running where. */
/** Also the Cognito pools, with their ids, so that `fedsim login --via identity-pool|user-pool` can find them. */
export interface ServerStatus extends PoolDirectory {
  url: string;
  config: string;
  database: string;
  certs: string;
  region: string;
  accounts: string[];
  people: { username: string; roles: string[] }[];
  signIn: string;
  /** The config's gateway APIs, each with the base URL of its first stage (the path-style form). */
  apis: { id: string; stages: string[]; url: string }[];
  startedAt: string;
}

/**
 * GET /_fedsim/status and POST /_fedsim/reset (empty the store, keep the config and keys, seed again), behind
 * the admin guard that compose.ts puts in front of every /_fedsim route but health.
 */
export function mountAdminRoutes(
  app: Express,
  admin: { status: () => ServerStatus; reset: () => void },
): void {
  app.get("/_fedsim/status", (_req, res) => {
    res.set("Cache-Control", "no-store").json(admin.status());
  });
  app.post("/_fedsim/reset", (_req, res) => {
    admin.reset();
    res.json({ reset: true, status: admin.status() });
  });
}
