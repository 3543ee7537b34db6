import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, EXECUTE_API_RULES } from "../auth/authenticate.js";
import type { Caller } from "../auth/caller.js";
import { type RequestContext, requestContext } from "../auth/requestContext.js";
import type { DecisionSink } from "../authz/decisionRecord.js";
import { recordRefusal } from "../authz/recordDecision.js";
import { parseAuthorization } from "../core/sigv4/parseAuthorization.js";
import type { SignableRequest, SigV4Auth } from "../core/sigv4/types.js";
import { SIGNATURE_MISMATCH } from "../core/sigv4/verifySignature.js";
import { isAwsError } from "../errors.js";
import type { Store } from "../store/store.js";
import { type Address, isGatewayRequest, locate } from "./addressing.js";
import {
  badRequest,
  forbidden,
  fromAuthError,
  type GatewayAnswer,
  missingAuthenticationToken,
  notFound,
  requestTooLong,
  sendAnswer,
} from "./answers.js";
import { type ApiDefinition, type CompiledApi, compileApi } from "./apis.js";
import { authorizeInvoke } from "./authorizeInvoke.js";
import { isPreflight, preflightHeaders, responseCorsHeaders } from "./cors.js";
import { executeApiArn } from "./executeApiArn.js";
import { type Backend, createBackend, forward } from "./forward.js";
import { refusedHeaders } from "./headerChecks.js";
import { REQUEST_CONTEXT_HEADER, requestContextJson } from "./identityContext.js";
import { MAX_BODY_BYTES, readBody } from "./readBody.js";
import { checkRequestPath } from "./requestPath.js";
import { matchRoute } from "./routes.js";
import { mismatchDetails } from "./signatureMismatch.js";

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
  /** Express-style: answers the gateway's requests (path or host style), hands every other on. */
  middleware(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** Closes the backends' idle keep-alive connections. */
  close(): void;
}

/** After a 413, at most this much more of the body is read (and discarded) so that the client sees the answer. */
const DRAIN_LIMIT = 1024 * 1024;

interface Served {
  api: CompiledApi;
  backend: Backend;
}

/**
 * The API-Gateway-style proxy: locates the API and stage, refuses ambiguous paths and headers, matches the
 * route, buffers the body, verifies SigV4 (AWS_IAM routes), decides execute-api:Invoke with the caller's
 * policies and the API's resource policy, and streams the backend's answer back, with the caller's identity
 * in x-amzn-request-context. Every answer carries x-amzn-RequestId; every decision is recorded.
 */
export function createGateway(deps: GatewayDeps, options: GatewayOptions): Gateway {
  const region = deps.settings.region;
  const served = new Map<string, Served>();
  for (const def of options.apis) {
    const api = compileApi(def, region, options.defaultAccountId);
    served.set(api.id, { api, backend: createBackend(api.backend.url, api.backend.timeoutMs) });
  }
  const decisions = options.decisions;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const now = deps.clock();
    const method = req.method ?? "GET";
    let ctx: RequestContext | undefined;
    const context = () => {
      ctx ??= requestContext(req, { requestId, door: "gateway", now, region });
      return ctx;
    };
    const refuse = (answer: GatewayAnswer, resource: string, reason: string, extra?: [string, string][]) => {
      recordRefusal(
        decisions,
        context(),
        { service: "execute-api", principal: "anonymous", action: "execute-api:Invoke", resource },
        reason,
      );
      sendAnswer(res, answer, requestId, extra);
    };

    const address: Address = locate(req.url ?? "/", req.headers.host);
    if ("refused" in address) {
      const answer =
        address.status === 400
          ? badRequest(address.refused)
          : address.status === 403
            ? forbidden(address.refused)
            : notFound(address.refused);
      refuse(answer, "*", address.refused);
      return;
    }
    const entry = served.get(address.apiId);
    if (entry === undefined) {
      const reason = `No API with id ${address.apiId}`;
      refuse(notFound(reason), "*", reason);
      return;
    }
    const { api, backend } = entry;
    const prefix = api.stages.get(address.stage);
    if (prefix === undefined) {
      const reason = `API ${api.id} has no stage ${address.stage}`;
      refuse(forbidden(reason), "*", reason);
      return;
    }
    const rawResource = `${prefix}${method}${address.apiPath}`;
    const origin = headerString(req.headers.origin);
    const cors = api.cors && responseCorsHeaders(api.cors, origin);

    const path = checkRequestPath(address.apiPath);
    if ("refused" in path) {
      refuse(badRequest(path.refused), rawResource, path.refused, cors);
      return;
    }
    const badHeaders = refusedHeaders(req.rawHeaders);
    if (badHeaders !== undefined) {
      refuse(badRequest(badHeaders), rawResource, badHeaders, cors);
      return;
    }
    if (api.cors && isPreflight(method, origin, req.headers["access-control-request-method"])) {
      // Preflights carry no signature: the gateway answers them itself, as API Gateway does with CORS set.
      const headers = preflightHeaders(
        api.cors,
        origin!,
        req.headers["access-control-request-method"] as string,
        headerString(req.headers["access-control-request-headers"]),
      );
      res.statusCode = 204;
      res.setHeader("x-amzn-RequestId", requestId);
      for (const [name, value] of headers ?? []) res.setHeader(name, value);
      if (!headers)
        res.setHeader("x-fedsim-reason", "CORS: this origin, method or a requested header is not allowed");
      res.end();
      req.resume();
      return;
    }
    const route = matchRoute(api.routes, method, path.segments);
    if (route === undefined) {
      refuse(
        missingAuthenticationToken(),
        rawResource,
        `No route of API ${api.id} matches ${method} ${address.apiPath}`,
        cors,
      );
      return;
    }
    const resource = executeApiArn(prefix, method, path.segments);

    const read = await readBody(req);
    if ("aborted" in read) return;
    if ("tooLarge" in read) {
      res.setHeader("Connection", "close");
      refuse(requestTooLong(MAX_BODY_BYTES), resource, requestTooLong(MAX_BODY_BYTES).reason!, cors);
      drain(req);
      return;
    }

    let caller: Caller | undefined;
    if (route.authorization === "AWS_IAM") {
      const signable: SignableRequest = {
        method,
        path: address.requestPath,
        query: address.query,
        rawHeaders: req.rawHeaders,
      };
      let auth: SigV4Auth | undefined;
      try {
        auth = parseAuthorization(signable);
        if (auth === undefined) {
          refuse(
            missingAuthenticationToken(),
            resource,
            "The route's authorization is AWS_IAM and the request is not signed",
            cors,
          );
          return;
        }
        if (auth.region !== region) {
          const message = `Credential should be scoped to a valid region, not '${auth.region}'. `;
          refuse(
            { status: 403, errorType: "InvalidSignatureException", body: { message } },
            resource,
            message,
            cors,
          );
          return;
        }
        caller = authenticate(deps.store, {
          request: signable,
          auth,
          body: read.body,
          now,
          expectedService: "execute-api",
          rules: EXECUTE_API_RULES,
        });
      } catch (error) {
        if (!isAwsError(error)) throw error;
        const answer = fromAuthError(error);
        if (error.code === "SignatureDoesNotMatch" && error.message === SIGNATURE_MISMATCH && auth)
          answer.body.message += mismatchDetails(signable, auth, read.body);
        refuse(answer, resource, `${error.code}: ${error.message}`, cors);
        return;
      }
    }

    const denied = authorizeInvoke(deps.store, decisions, context(), caller, api, resource);
    if (denied) {
      sendAnswer(res, denied, requestId, cors);
      return;
    }

    const c = context();
    const answerHeaders: [string, string][] = [["x-amzn-RequestId", requestId]];
    if (cors) answerHeaders.push(...cors);
    const stagePath = address.style === "path" ? `/${address.stage}${address.apiPath}` : address.requestPath;
    forward(
      backend,
      {
        method,
        apiPath: address.apiPath,
        query: address.query,
        rawHeaders: req.rawHeaders,
        body: read.body,
        add: [
          [
            REQUEST_CONTEXT_HEADER,
            requestContextJson(
              {
                apiId: api.id,
                accountId: api.accountId,
                stage: address.stage,
                method,
                resourcePath: route.template.text,
                path: stagePath,
                domainName: headerString(req.headers.host) ?? "",
                protocol: `HTTP/${req.httpVersion}`,
              },
              c,
              caller,
            ),
          ],
          ["x-amzn-apigateway-api-id", api.id],
          ["X-Forwarded-For", c.sourceIp],
          ["X-Forwarded-Proto", c.secureTransport ? "https" : "http"],
          ["X-Forwarded-Port", String(req.socket.localPort ?? "")],
        ],
        answerHeaders,
        dropResponse: api.cors ? (name) => name.startsWith("access-control-") : undefined,
      },
      res,
      (answer) => sendAnswer(res, answer, requestId, cors),
    );
  };

  return {
    middleware(req, res, next) {
      if (!isGatewayRequest(req.url ?? "/", req.headers.host)) {
        next();
        return;
      }
      handle(req, res).catch((error: unknown) => {
        console.error("fedsim gateway: unhandled error:", error);
        if (!res.headersSent)
          sendAnswer(
            res,
            {
              status: 500,
              errorType: "InternalServerErrorException",
              body: { message: "Internal server error" },
            },
            randomUUID(),
          );
        else res.destroy();
      });
    },
    close() {
      for (const { backend } of served.values()) backend.agent.destroy();
    },
  };
}

function headerString(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Reads and discards what a refused client is still sending, up to a bound, then lets the connection close. */
function drain(req: IncomingMessage): void {
  let drained = 0;
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
}
