import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { DecisionSink } from "../authz/decisionRecord.js";
import type { Store } from "../store/store.js";
import { isGatewayRequest } from "./addressing.js";
import { type ApiDefinition, compileApi } from "./apis.js";
import { type Backend, createBackend, destroyBackend, retireBackend } from "./forward.js";
import type { IssuerKeys } from "./jwtAuthorizer.js";
import { answerCrash, type PipelineEnv, serveRequest } from "./pipeline.js";

/** What the gateway shares with every room. */
export interface GatewayDeps {
  store: Store;
  clock: () => Date;
  settings: { region: string };
  publicUrl: string;
}

/** The gateway's own dependencies: the APIs it serves and where its decisions go. */
export interface GatewayOptions {
  apis: readonly ApiDefinition[];
  /** The owner of APIs that name no account: the config's first account. */
  defaultAccountId: string;
  decisions: DecisionSink;
  /** Signing keys of the issuers JWT and COGNITO_USER_POOLS routes name. */
  issuerKeys?: IssuerKeys;
}

export interface Gateway {
  /**
   * A request listener answering the gateway's requests itself and handing every other to `app`: in front of
   * Express, so that proxied requests do not pay for it (it costs more than a bare Node proxy's whole request).
   */
  inFrontOf(app: RequestListener): RequestListener;
  /** The listener of an API's dedicated port: the port, not the Host header, names the API. */
  dedicated(apiId: string): RequestListener;
  /** The APIs served now, as defined (module handlers left out of any JSON). */
  list(): ApiDefinition[];
  /** Adds or replaces an API; the next request sees it. Throws TypeError on a definition that does not compile. */
  put(def: ApiDefinition): void;
  /** Removes an API; false when there was none. */
  remove(id: string): boolean;
  /** Closes the backends' idle keep-alive connections. */
  close(): void;
}

/**
 * The API-Gateway-style proxy, built once from the API definitions (routes compiled, ARN prefixes and
 * resource policies prepared, a keep-alive pool per backend): every request is then served by the pipeline
 * (src/gateway/pipeline.ts), and every answer carries x-amzn-RequestId.
 */
export function createGateway(deps: GatewayDeps, options: GatewayOptions): Gateway {
  const region = deps.settings.region;
  const build = (def: ApiDefinition) => {
    const api = compileApi(def, region, options.defaultAccountId);
    return { api, backend: api.backend && createBackend(api.backend.url, api.backend.timeoutMs) };
  };
  // Mutated in place by the admin API (/_fedsim/apis): the pipeline reads this same map on every request.
  const apis = new Map<string, { api: ReturnType<typeof compileApi>; backend?: Backend }>();
  const definitions = new Map<string, ApiDefinition>();
  for (const def of options.apis) {
    apis.set(def.id, build(def));
    definitions.set(def.id, def);
  }
  const env: PipelineEnv = {
    store: deps.store,
    clock: deps.clock,
    region,
    decisions: options.decisions,
    apis,
    issuerKeys: options.issuerKeys,
  };
  const run = (req: IncomingMessage, res: ServerResponse, dedicatedApi?: string) => {
    try {
      serveRequest(env, req, res, dedicatedApi);
    } catch (error) {
      answerCrash(res, error);
    }
  };
  return {
    inFrontOf(app) {
      return (req, res) => {
        if (isGatewayRequest(req.url ?? "/", req.headers.host)) run(req, res);
        else app(req, res);
      };
    },
    dedicated(apiId) {
      return (req, res) => run(req, res, apiId);
    },
    list() {
      return [...definitions.values()];
    },
    put(def) {
      const entry = build(def);
      const old = apis.get(def.id)?.backend;
      if (old) retireBackend(old);
      apis.set(def.id, entry);
      definitions.set(def.id, def);
    },
    remove(id) {
      const entry = apis.get(id);
      if (!entry) return false;
      if (entry.backend) retireBackend(entry.backend);
      apis.delete(id);
      definitions.delete(id);
      return true;
    },
    close() {
      for (const { backend } of apis.values()) if (backend) destroyBackend(backend);
    },
  };
}
