import express, { type Request, type Response, type Router } from "express";
import type { DecisionLog } from "../authz/decisionLog.js";
import type { FedsimConfig } from "../config/schema.js";
import type { ApiDefinition } from "../gateway/apis.js";
import { decisionsHandler } from "../server/decisionRoutes.js";
import type { ServiceDeps } from "../services/deps.js";
import { CONSOLE_PATH, consoleGuard } from "./guard.js";
import { sendHtml } from "./layout.js";
import { apisPage } from "./views/apis.js";
import { decisionLogPage } from "./views/decisionLog.js";
import { explainPage } from "./views/explain.js";
import { identityPoolsPage } from "./views/identityPools.js";
import { rolesPage } from "./views/roles.js";
import { sessionsPage } from "./views/sessions.js";
import { userPoolsPage } from "./views/userPools.js";
import { usersPage } from "./views/users.js";

export interface ConsoleOptions {
  deps: ServiceDeps;
  decisions: DecisionLog;
  config: FedsimConfig;
  /**
   * The gateway's APIs as served now (built-in backends started, so their URLs are known), those added or
   * replaced through /_fedsim/apis included.
   */
  apis: () => readonly ApiDefinition[];
  adminToken: string;
}

/**
 * The web console at /_fedsim/console: read-only, server-rendered views of the store and the gateway, and
 * the decision log that follows new decisions live. Mounted before the admin guard of /_fedsim, because
 * its own guard also takes the browser's cookie (see guard.ts).
 */
export function consoleRouter(options: ConsoleOptions): Router {
  const { deps, decisions, config } = options;
  const accounts = config.accounts.map((a) => a.id);
  const region = deps.settings.region;
  const router = express.Router();
  router.use(CONSOLE_PATH, consoleGuard(options.adminToken, sendHtml));
  const page = (path: string, render: (req: Request) => string) =>
    router.get(`${CONSOLE_PATH}${path}`, (req: Request, res: Response) => sendHtml(res, 200, render(req)));

  page("", (req) =>
    decisionLogPage({
      records: decisions.query({ deniedOnly: req.query.denied === "true", limit: 100 }),
      deniedOnly: req.query.denied === "true",
      since: deps.clock().getTime(),
      gatewayHint: gatewayHint(config, deps.publicUrl),
    }),
  );
  // The admin route's own handler: the same filters, the same Server-Sent Events, behind the console's guard.
  router.get(`${CONSOLE_PATH}/decisions`, decisionsHandler(decisions));
  router.get(`${CONSOLE_PATH}/explain/:requestId`, (req, res) => {
    const records = decisions.query({ requestId: req.params.requestId, limit: 1000 }).reverse();
    sendHtml(res, records.length ? 200 : 404, explainPage(req.params.requestId!, records));
  });
  page("/roles", () => rolesPage(deps.store, accounts));
  page("/users", () => usersPage(deps.store, accounts));
  page("/identity-pools", () => identityPoolsPage(deps.store, accounts, region));
  page("/user-pools", () => userPoolsPage(deps.store, accounts, region));
  page("/sessions", () => sessionsPage(deps.store, deps.clock().getTime()));
  page("/apis", () =>
    apisPage({ apis: options.apis(), publicUrl: deps.publicUrl, region, defaultAccountId: accounts[0]! }),
  );
  return router;
}

/** A command that makes a decision to watch: `fedsim curl` on the first route without parameters. */
function gatewayHint(config: FedsimConfig, publicUrl: string): string | undefined {
  for (const api of config.apis) {
    const route = api.routes.find((r) => !r.path.includes("{"));
    const person = config.identityProvider.people[0];
    if (route && api.stages[0] && person)
      return `fedsim curl --as ${person.username} ${route.method === "ANY" || route.method === "GET" ? "" : `-X ${route.method} `}${publicUrl}/restapis/${api.id}/${api.stages[0]}/_user_request_${route.path}`;
  }
  return undefined;
}
