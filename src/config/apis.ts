import { z } from "zod";
import { resourcePolicyText } from "../gateway/resourcePolicy.js";
import { ROUTE_METHODS } from "../gateway/routes.js";
import { parseRouteTemplate, templateShape } from "../gateway/routeTemplate.js";
import { apiAuthorizerSchema, checkApiAuthorizers } from "./apiAuthorizerSchema.js";

/**
 * The `apis` section: APIs the gateway serves on the main port, each with its stages, an HTTP backend, its
 * routes (method, path template, authorization), an optional resource policy and optional CORS.
 */
const route = z
  .object({
    method: z.enum(ROUTE_METHODS),
    path: z.string().min(1),
    authorization: z.enum(["NONE", "AWS_IAM", "JWT", "COGNITO_USER_POOLS"]).default("AWS_IAM"),
    /** JWT and COGNITO_USER_POOLS routes: the name of one of the API's authorizers. */
    authorizer: z.string().min(1).optional(),
    /** The token must carry at least one of these (its scope / scp claim). */
    scopes: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

const httpUrl = z
  .string()
  .url("an http(s) URL")
  .refine((v) => {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && !u.search && !u.hash && !u.username;
  }, "an http(s) URL without query, fragment or credentials");

const cors = z
  .object({
    allowOrigins: z.array(z.string().min(1)).min(1),
    allowMethods: z.array(z.string().regex(/^(\*|[A-Za-z]+)$/, "an HTTP method or *")).default(["*"]),
    allowHeaders: z
      .array(z.string().regex(/^(\*|[!#$%&'*+.^_`|~0-9A-Za-z-]+)$/, "a header name or *"))
      .default([]),
    exposeHeaders: z.array(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "a header name")).default([]),
    allowCredentials: z.boolean().default(false),
    maxAge: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();

export const apiSchema = z
  .object({
    // A DNS label, lower case: it is also the host name's first label ({id}.execute-api.localhost).
    id: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "1-63 lower-case letters, digits and -, a DNS label"),
    account: z
      .string()
      .regex(/^\d{12}$/, "a 12-digit AWS account id")
      .optional(),
    stages: z
      .array(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, "1-128 letters, digits, - and _ (a stage name)"))
      .min(1, "at least one stage"),
    backend: z.discriminatedUnion("type", [
      z
        .object({
          type: z.literal("http"),
          url: httpUrl,
          /** API Gateway's integration timeout: 29 s unless raised; at least 50 ms. */
          timeoutMs: z.number().int().min(50).max(300_000).default(29_000),
        })
        .strict(),
      // The pet-store demo's in-memory backend (src/demo/petstoreBackend.ts), which fedsim starts itself on a
      // free loopback port.
      // A local JavaScript file exporting a Lambda handler, called in-process with API Gateway's REST proxy
      // event (src/gateway/moduleIntegration.ts). Config file only: the admin API refuses it.
      z
        .object({
          type: z.literal("module"),
          /** Relative to the config file. */
          file: z.string().min(1),
          /** The exported function's name. */
          handler: z
            .string()
            .regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, "a JavaScript export name")
            .default("handler"),
          timeoutMs: z.number().int().min(50).max(300_000).default(29_000),
        })
        .strict(),
      z
        .object({
          type: z.literal("petstore"),
          timeoutMs: z.number().int().min(50).max(300_000).default(29_000),
        })
        .strict(),
    ]),
    routes: z.array(route).min(1, "at least one route"),
    authorizers: z.array(apiAuthorizerSchema).optional(),
    /** A dedicated loopback port where the API also answers, at http://127.0.0.1:PORT/{stage}/{path}. */
    port: z.number().int().min(1).max(65_535).optional(),
    resourcePolicy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    cors: cors.optional(),
    /** Hand the backend the web-identity token of a caller's AssumeRoleWithWebIdentity session (fedsim's own header). */
    forwardWebIdentityToken: z.boolean().default(false),
  })
  .strict();

type Path = (string | number)[];
export type ApiConfig = z.output<typeof apiSchema>;

/** Checks between entries, each reported at its field's path: ids, accounts, stages, routes, policies, CORS. */
export function checkApis(
  config: { region: string; accounts: readonly { id: string }[]; apis: readonly ApiConfig[] },
  issue: (path: Path, message: string) => void,
): void {
  const accounts = new Set(config.accounts.map((a) => a.id));
  const ids = new Map<string, number>();
  const ports = new Map<number, number>();
  config.apis.forEach((api, i) => {
    const at: Path = ["apis", i];
    const first = ids.get(api.id);
    if (first !== undefined)
      issue([...at, "id"], `duplicate API id ${api.id}: already defined at apis[${first}]`);
    else ids.set(api.id, i);
    const accountId = api.account ?? config.accounts[0]?.id ?? "";
    if (api.account !== undefined && !accounts.has(api.account))
      issue([...at, "account"], `no account ${api.account} in accounts`);
    const stages = new Set<string>();
    api.stages.forEach((s, j) => {
      if (stages.has(s)) issue([...at, "stages", j], `duplicate stage ${s}`);
      stages.add(s);
    });
    const shapes = new Map<string, number>();
    api.routes.forEach((r, j) => {
      const template = parseRouteTemplate(r.path);
      if (typeof template === "string") {
        issue([...at, "routes", j, "path"], template);
        return;
      }
      const key = `${r.method} ${templateShape(template)}`;
      const same = shapes.get(key);
      if (same !== undefined)
        issue([...at, "routes", j], `the same route as apis[${i}].routes[${same}] (${r.method} ${r.path})`);
      else shapes.set(key, j);
    });
    if (api.resourcePolicy !== undefined) {
      try {
        resourcePolicyText(api.resourcePolicy, { region: config.region, accountId, apiId: api.id });
      } catch (error) {
        issue([...at, "resourcePolicy"], `not a valid resource policy: ${(error as Error).message}`);
      }
    }
    checkApiAuthorizers(api, at, issue);
    if (api.port !== undefined) {
      const other = ports.get(api.port);
      if (other !== undefined) issue([...at, "port"], `port ${api.port} is already apis[${other}]'s`);
      else ports.set(api.port, i);
    }
    if (api.cors?.allowCredentials && api.cors.allowOrigins.includes("*"))
      issue([...at, "cors", "allowCredentials"], "allowCredentials cannot be true when allowOrigins has *");
  });
}
