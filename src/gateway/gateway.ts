import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { DecisionSink } from "../authz/decisionRecord.js";
import type { Store } from "../store/store.js";
import { isGatewayRequest } from "./addressing.js";
import { type ApiDefinition, compileApi } from "./apis.js";
import { createBackend } from "./forward.js";
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
}

export interface Gateway {
  /**
   * A request listener answering the gateway's requests itself and handing every other to `app`: in front of
   * Express, so that proxied requests do not pay for it (it costs more than a bare Node proxy's whole request).
   */
  inFrontOf(app: RequestListener): RequestListener;
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
  const apis: PipelineEnv["apis"] = new Map(
    options.apis.map((def) => {
      const api = compileApi(def, region, options.defaultAccountId);
      return [api.id, { api, backend: createBackend(api.backend.url, api.backend.timeoutMs) }];
    }),
  );
  const env: PipelineEnv = {
    store: deps.store,
    clock: deps.clock,
    region,
    decisions: options.decisions,
    apis,
  };
  const run = (req: IncomingMessage, res: ServerResponse) => {
    try {
      serveRequest(env, req, res);
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
    close() {
      for (const { backend } of apis.values()) backend.agent.destroy();
    },
  };
}
