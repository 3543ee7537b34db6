import express, { type Express, type Response } from "express";
import { compilePolicy } from "../authz/policyCache.js";
import { type ApiConfig, apiSchema, checkApis } from "../config/apis.js";
import { FEDSIM_OIDC_REFERENCE, type FedsimConfig, formatPath } from "../config/schema.js";
import type { ApiDefinition } from "../gateway/apis.js";
import type { Gateway } from "../gateway/gateway.js";
import { resourcePolicyText } from "../gateway/resourcePolicy.js";

/**
 * `/_fedsim/apis`, behind the admin guard compose.ts puts in front of /_fedsim: GET lists the gateway's APIs,
 * GET /_fedsim/apis/{id} shows one, PUT /_fedsim/apis/{id} adds or replaces one (checked with the config's
 * own schema and cross-field checks), DELETE removes one. A change applies from the next request on.
 * `module` integrations (code fedsim would import and run) and dedicated ports come from the config file only.
 */
export function mountApiAdminRoutes(
  app: Express,
  gateway: Gateway,
  options: { config: FedsimConfig; builtinIssuer: string },
): void {
  const { config } = options;
  app.get("/_fedsim/apis", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ apis: gateway.list().map(shown) });
  });
  app.get("/_fedsim/apis/:id", (req, res) => {
    const api = gateway.list().find((a) => a.id === req.params.id);
    if (!api) return notFound(res, req.params.id);
    res.set("Cache-Control", "no-store").json({ api: shown(api) });
  });
  app.put("/_fedsim/apis/:id", express.json({ limit: "1mb", strict: true }), (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return invalid(res, ["(top level): a JSON object (an API as the config's apis[] entries are written)"]);
    const raw = { ...(body as Record<string, unknown>) };
    raw.id ??= req.params.id;
    if (raw.id !== req.params.id)
      return invalid(res, [`id: ${JSON.stringify(raw.id)} is not ${req.params.id}, the id in the path`]);
    const backend = raw.backend as { type?: unknown } | undefined;
    if (backend?.type === "module")
      return invalid(res, [
        "backend.type: module integrations come only from the config file, never through the admin API (they run code in fedsim's process)",
      ]);
    if (backend?.type === "petstore")
      return invalid(res, ["backend.type: the petstore demo backend is started from the config file only"]);
    if (raw.port !== undefined)
      return invalid(res, ["port: dedicated ports are opened at start-up, from the config file only"]);
    const parsed = apiSchema.safeParse(raw);
    if (!parsed.success)
      return invalid(
        res,
        parsed.error.issues.map((i) => `${formatPath(i.path) || "(top level)"}: ${i.message}`),
      );
    const api = expandIssuer(parsed.data, options.builtinIssuer);
    const problems: string[] = [];
    checkApis({ region: config.region, accounts: config.accounts, apis: [api] }, (path, message) =>
      problems.push(`${formatPath(path.slice(2)) || "(top level)"}: ${message}`),
    );
    if (api.resourcePolicy !== undefined && problems.length === 0) {
      try {
        compilePolicy(
          resourcePolicyText(api.resourcePolicy, {
            region: config.region,
            accountId: api.account ?? config.accounts[0]!.id,
            apiId: api.id,
          }),
          "resource",
        );
      } catch (error) {
        problems.push(`resourcePolicy: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0) return invalid(res, problems);
    const replaced = gateway.list().some((a) => a.id === api.id);
    gateway.put(api as ApiDefinition);
    res
      .status(replaced ? 200 : 201)
      .set("Cache-Control", "no-store")
      .json({ api: shown(api as ApiDefinition), replaced });
  });
  app.delete("/_fedsim/apis/:id", (req, res) => {
    if (!gateway.remove(req.params.id)) return notFound(res, req.params.id);
    res.status(204).end();
  });
}

/** An API as JSON shows it: a module integration's loaded function is not part of its definition. */
function shown(api: ApiDefinition): ApiDefinition {
  if (api.backend.type !== "module") return api;
  const { invoke: _invoke, ...backend } = api.backend;
  return { ...api, backend: backend as ApiDefinition["backend"] };
}

function expandIssuer(api: ApiConfig, builtinIssuer: string): ApiConfig {
  return {
    ...api,
    authorizers: api.authorizers?.map((a) =>
      a.type === "JWT" && a.issuer === FEDSIM_OIDC_REFERENCE ? { ...a, issuer: builtinIssuer } : a,
    ),
  };
}

function invalid(res: Response, problems: string[]): void {
  res
    .status(400)
    .set("Cache-Control", "no-store")
    .json({
      __type: "ValidationError",
      message: `invalid API:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    });
}

function notFound(res: Response, id: string): void {
  res.status(404).json({ __type: "ResourceNotFoundException", message: `No API with id ${id}` });
}
