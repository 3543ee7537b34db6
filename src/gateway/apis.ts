import type { PolicySource } from "../authz/callerPolicies.js";
import type { PolicyKind } from "../authz/policyCache.js";
import { type CompiledCors, type CorsDefinition, compileCors } from "./cors.js";
import { executeApiArnPrefix } from "./executeApiArn.js";
import type { LambdaHandler } from "./moduleIntegration.js";
import { resourcePolicyText } from "./resourcePolicy.js";
import { type CompiledRoute, compileRoutes, type RouteDefinition } from "./routes.js";
import { type AuthorizerDefinition, compileAuthorizer } from "./tokenAuthorizers.js";

/** API Gateway's default (and, without a quota increase, maximum) integration timeout. */
export const DEFAULT_TIMEOUT_MS = 29_000;

/** An API as the config (or, later, the admin API) defines it. */
export interface ApiDefinition {
  id: string;
  /** The owning account; default: the config's first account. */
  account?: string;
  stages: readonly string[];
  backend:
    | { type: "http"; url: string; timeoutMs?: number }
    | {
        type: "module";
        /** As the config wrote it (relative to the config file). */
        file: string;
        handler: string;
        timeoutMs?: number;
        /** The loaded export (src/gateway/moduleIntegration.ts); never serialised. */
        invoke: LambdaHandler;
      };
  routes: readonly RouteDefinition[];
  authorizers?: readonly AuthorizerDefinition[];
  /** A dedicated loopback port where the API also answers (src/gateway/listenPorts.ts). */
  port?: number;
  resourcePolicy?: string | Record<string, unknown>;
  cors?: CorsDefinition;
  /** Hand the backend a web-identity session's original token (x-fedsim-web-identity-token). */
  forwardWebIdentityToken?: boolean;
}

/** An API ready for the hot path: routes compiled, ARN prefixes built, the resource policy expanded. */
export interface CompiledApi {
  id: string;
  accountId: string;
  /** Stage name to its ARN prefix (`arn:aws:execute-api:REGION:ACCOUNT:API_ID/STAGE/`). */
  stages: ReadonlyMap<string, string>;
  /** HTTP integrations; module integrations have `module` instead. */
  backend?: { url: URL; timeoutMs: number };
  module?: { file: string; invoke: LambdaHandler; timeoutMs: number };
  routes: readonly CompiledRoute[];
  resourcePolicy?: PolicySource & { kind: PolicyKind; accountId: string };
  cors?: CompiledCors;
  forwardWebIdentityToken: boolean;
}

export function compileApi(def: ApiDefinition, region: string, defaultAccountId: string): CompiledApi {
  const accountId = def.account ?? defaultAccountId;
  const stages = new Map<string, string>();
  for (const stage of def.stages) stages.set(stage, executeApiArnPrefix(region, accountId, def.id, stage));
  return {
    id: def.id,
    accountId,
    stages,
    ...(def.backend.type === "http"
      ? { backend: { url: new URL(def.backend.url), timeoutMs: def.backend.timeoutMs ?? DEFAULT_TIMEOUT_MS } }
      : {
          module: {
            file: def.backend.file,
            invoke: def.backend.invoke,
            timeoutMs: def.backend.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          },
        }),
    routes: compileRoutes(
      def.routes,
      new Map((def.authorizers ?? []).map((a) => [a.name, compileAuthorizer(a)])),
    ),
    resourcePolicy:
      def.resourcePolicy === undefined
        ? undefined
        : // Frozen: decide() then keeps its compiled form by identity, for the API's life.
          Object.freeze({
            id: `${def.id} (resource policy)`,
            type: "Resource Policy" as const,
            kind: "resource" as const,
            accountId,
            document: resourcePolicyText(def.resourcePolicy, { region, accountId, apiId: def.id }),
          }),
    cors: def.cors && compileCors(def.cors),
    forwardWebIdentityToken: def.forwardWebIdentityToken === true,
  };
}
