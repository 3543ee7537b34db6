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
import { HOST_SUFFIX, locate } from "./addressing.js";
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
import type { CompiledApi } from "./apis.js";
import { authorizeInvoke } from "./authorizeInvoke.js";
import { isPreflight, preflightHeaders, responseCorsHeaders } from "./cors.js";
import { executeApiArn } from "./executeApiArn.js";
import { type Backend, forward } from "./forward.js";
import { refusedHeaders } from "./headerChecks.js";
import { REQUEST_CONTEXT_HEADER, requestContextJson, WEB_IDENTITY_TOKEN_HEADER } from "./identityContext.js";
import { type AuthorizerContext, authorizeBearer, type IssuerKeys } from "./jwtAuthorizer.js";
import { invokeModuleRoute } from "./moduleRoute.js";
import { type BodyResult, MAX_BODY_BYTES, readBody } from "./readBody.js";
import { checkRequestPath } from "./requestPath.js";
import { type CompiledRoute, matchRoute } from "./routes.js";
import { mismatchDetails } from "./signatureMismatch.js";

/** What every request of one gateway shares. */
export interface PipelineEnv {
  store: Store;
  clock: () => Date;
  region: string;
  decisions: DecisionSink;
  /** An API's backend is undefined for module integrations (api.module). */
  apis: ReadonlyMap<string, { api: CompiledApi; backend?: Backend }>;
  /** Signing keys for JWT and COGNITO_USER_POOLS routes. */
  issuerKeys?: IssuerKeys;
}

/** After a 413, at most this much more of the body is read (and discarded) so that the client sees the answer. */
const DRAIN_LIMIT = 1024 * 1024;

/** One request in flight: what each step needs, computed once. */
interface Exchange {
  env: PipelineEnv;
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  now: Date;
  method: string;
  ctx?: RequestContext;
  /** CORS headers every answer carries, when the API configures CORS and the origin is allowed. */
  cors?: [string, string][];
}

function context(x: Exchange): RequestContext {
  x.ctx ??= requestContext(x.req, {
    requestId: x.requestId,
    door: "gateway",
    now: x.now,
    region: x.env.region,
  });
  return x.ctx;
}

/** Answers and records a refusal made before any policy was read. */
function refuse(x: Exchange, answer: GatewayAnswer, resource: string, reason: string): void {
  recordRefusal(
    x.env.decisions,
    context(x),
    { service: "execute-api", principal: "anonymous", action: "execute-api:Invoke", resource },
    reason,
  );
  sendAnswer(x.res, answer, x.requestId, x.cors);
}

const FRAGMENT_REFUSED = "The request target holds a '#' (a fragment is never sent)";

/**
 * The gateway's pipeline for one request: locate the API and stage, refuse ambiguous paths and headers (400,
 * before authentication), answer CORS preflights, match the route, buffer the body (413 past 10 MB), verify
 * SigV4 on AWS_IAM routes, decide execute-api:Invoke, then forward. Synchronous up to the body; a request
 * without one goes through without waiting a turn of the event loop.
 */
export function serveRequest(
  env: PipelineEnv,
  req: IncomingMessage,
  res: ServerResponse,
  /** On an API's dedicated port (src/gateway/listenPorts.ts), the port names the API, not Host. */
  dedicatedApi?: string,
): void {
  const x: Exchange = {
    env,
    req,
    res,
    requestId: randomUUID(),
    now: env.clock(),
    method: req.method ?? "GET",
  };
  // HTTP/1.1 requires Host (RFC 9112 3.2); Node's own check is off (see src/server/http.ts).
  if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) {
    const reason = "HTTP/1.1 requests must have a Host header";
    refuse(x, badRequest(reason), "*", reason);
    return;
  }
  const address = locate(
    req.url ?? "/",
    dedicatedApi === undefined ? req.headers.host : `${dedicatedApi}${HOST_SUFFIX}`,
  );
  if ("refused" in address) {
    const { refused, status } = address;
    const answer =
      status === 400 ? badRequest(refused) : status === 403 ? forbidden(refused) : notFound(refused);
    refuse(x, answer, "*", refused);
    return;
  }
  const entry = env.apis.get(address.apiId);
  if (entry === undefined) {
    const reason = `No API with id ${address.apiId}`;
    refuse(x, notFound(reason), "*", reason);
    return;
  }
  const { api, backend } = entry;
  const prefix = api.stages.get(address.stage);
  if (prefix === undefined) {
    const reason = `API ${api.id} has no stage ${address.stage}`;
    refuse(x, forbidden(reason), "*", reason);
    return;
  }
  const origin = header(req.headers.origin);
  if (api.cors) x.cors = responseCorsHeaders(api.cors, origin);
  const rawResource = `${prefix}${x.method}${address.apiPath}`;

  // No client sends a fragment (RFC 9110 7.1); a backend would read the path only up to it while the gateway
  // authorised all of it, so a Deny on /secret would not cover /secret# (HAProxy's CVE-2023-45539).
  if (req.url?.includes("#")) {
    refuse(x, badRequest(FRAGMENT_REFUSED), rawResource, FRAGMENT_REFUSED);
    return;
  }
  const path = checkRequestPath(address.apiPath);
  if ("refused" in path) {
    refuse(x, badRequest(path.refused), rawResource, path.refused);
    return;
  }
  const badHeaders = refusedHeaders(req.rawHeaders);
  if (badHeaders !== undefined) {
    refuse(x, badRequest(badHeaders), rawResource, badHeaders);
    return;
  }

  const requestMethod = req.headers["access-control-request-method"];
  if (api.cors && isPreflight(x.method, origin, requestMethod)) {
    // Preflights carry no signature: the gateway answers them itself, as API Gateway does with CORS set.
    const headers = preflightHeaders(
      api.cors,
      origin!,
      requestMethod as string,
      header(req.headers["access-control-request-headers"]),
    );
    res.statusCode = 204;
    res.setHeader("x-amzn-RequestId", x.requestId);
    for (const [name, value] of headers ?? []) res.setHeader(name, value);
    if (!headers)
      res.setHeader("x-fedsim-reason", "CORS: this origin, method or a requested header is not allowed");
    res.end();
    return;
  }
  const route = matchRoute(api.routes, x.method, path.segments);
  if (route === undefined) {
    const reason = `No route of API ${api.id} matches ${x.method} ${address.apiPath}`;
    refuse(x, missingAuthenticationToken(), rawResource, reason);
    return;
  }

  const target: Target = {
    api,
    backend,
    route,
    resource: executeApiArn(prefix, x.method, path.segments),
    signable: {
      method: x.method,
      path: address.requestPath,
      query: address.query,
      rawHeaders: req.rawHeaders,
    },
    apiPath: address.apiPath,
    stagePath: address.style === "path" ? `/${address.stage}${address.apiPath}` : address.requestPath,
    stage: address.stage,
  };
  const body = readBody(req);
  if (body instanceof Promise)
    body.then((b) => withBody(x, target, b)).catch((error: unknown) => answerCrash(res, error));
  else withBody(x, target, body);
}

/** A bug, not a refusal: an answer without a stack trace, and the trace in fedsim's own log. */
export function answerCrash(res: ServerResponse, error: unknown): void {
  console.error("fedsim gateway: unhandled error:", error);
  if (res.headersSent) res.destroy();
  else
    sendAnswer(
      res,
      { status: 500, errorType: "InternalServerErrorException", body: { message: "Internal server error" } },
      randomUUID(),
    );
}

/** Where a request goes once admitted: its API, route, ARN and the request as signed. */
export interface Target {
  api: CompiledApi;
  backend?: Backend;
  route: CompiledRoute;
  resource: string;
  signable: SignableRequest;
  apiPath: string;
  /** The path with the stage, as API Gateway's requestContext.path shows it. */
  stagePath: string;
  stage: string;
}

function withBody(x: Exchange, t: Target, read: BodyResult): void {
  if ("aborted" in read) return;
  if ("tooLarge" in read) {
    x.res.setHeader("Connection", "close");
    const answer = requestTooLong(MAX_BODY_BYTES);
    refuse(x, answer, t.resource, answer.reason!);
    drain(x.req);
    return;
  }
  if (t.route.authorizer !== undefined) {
    bearerRoute(x, t, read.body);
    return;
  }
  let caller: Caller | undefined;
  if (t.route.authorization === "AWS_IAM") {
    caller = signedCaller(x, t, read.body);
    if (caller === undefined) return;
  }
  const denied = authorizeInvoke(x.env.store, x.env.decisions, context(x), caller, t.api, t.resource);
  if (denied) {
    sendAnswer(x.res, denied, x.requestId, x.cors);
    return;
  }
  send(x, t, read.body, caller);
}

/** JWT and COGNITO_USER_POOLS routes: the token, then the API's resource policy (for the anonymous caller), then send. */
function bearerRoute(x: Exchange, t: Target, body: Buffer): void {
  const deps = { keys: x.env.issuerKeys ?? noIssuerKeys, decisions: x.env.decisions };
  authorizeBearer(deps, context(x), t.route, x.req.headers, t.resource)
    .then((result) => {
      if (!result.ok) return sendAnswer(x.res, result.answer, x.requestId, x.cors);
      const denied =
        t.api.resourcePolicy &&
        authorizeInvoke(x.env.store, x.env.decisions, context(x), undefined, t.api, t.resource);
      if (denied) return sendAnswer(x.res, denied, x.requestId, x.cors);
      send(x, t, body, undefined, result.authorizer);
    })
    .catch((error: unknown) => answerCrash(x.res, error));
}

const noIssuerKeys: IssuerKeys = () => Promise.reject(new Error("this gateway has no issuer keys"));

/** The caller who signed, or undefined once the refusal is answered. */
function signedCaller(x: Exchange, t: Target, body: Buffer): Caller | undefined {
  let auth: SigV4Auth | undefined;
  try {
    auth = parseAuthorization(t.signable);
    if (auth === undefined) {
      refuse(
        x,
        missingAuthenticationToken(),
        t.resource,
        "The route's authorization is AWS_IAM and the request is not signed",
      );
      return undefined;
    }
    if (auth.region !== x.env.region) {
      // An API lives in one region: its endpoint takes signatures scoped to that region only.
      const message = `Credential should be scoped to a valid region, not '${auth.region}'. `;
      refuse(
        x,
        { status: 403, errorType: "InvalidSignatureException", body: { message } },
        t.resource,
        message,
      );
      return undefined;
    }
    return authenticate(x.env.store, {
      request: t.signable,
      auth,
      body,
      now: x.now,
      expectedService: "execute-api",
      rules: EXECUTE_API_RULES,
    });
  } catch (error) {
    if (!isAwsError(error)) throw error;
    const answer = fromAuthError(error);
    if (error.code === "SignatureDoesNotMatch" && error.message === SIGNATURE_MISMATCH && auth)
      answer.body.message += mismatchDetails(t.signable, auth, body);
    refuse(x, answer, t.resource, `${error.code}: ${error.message}`);
    return undefined;
  }
}

function send(
  x: Exchange,
  t: Target,
  body: Buffer,
  caller: Caller | undefined,
  authorizer?: AuthorizerContext,
): void {
  const { req, res } = x;
  const c = context(x);
  const answerHeaders: [string, string][] = x.cors
    ? [["x-amzn-RequestId", x.requestId], ...x.cors]
    : [["x-amzn-RequestId", x.requestId]];
  const requestContextHeader = requestContextJson(
    {
      apiId: t.api.id,
      accountId: t.api.accountId,
      stage: t.stage,
      method: x.method,
      resourcePath: t.route.template.text,
      path: t.stagePath,
      domainName: header(req.headers.host) ?? "",
      protocol: `HTTP/${req.httpVersion}`,
    },
    c,
    caller,
    authorizer,
  );
  if (t.api.module) {
    invokeModuleRoute(x.req, res, t, c, body, requestContextHeader, answerHeaders, x.requestId, x.cors);
    return;
  }
  forward(
    t.backend!,
    {
      method: x.method,
      apiPath: t.apiPath,
      query: t.signable.query,
      rawHeaders: req.rawHeaders,
      body,
      add: [
        [REQUEST_CONTEXT_HEADER, requestContextHeader],
        ["x-amzn-apigateway-api-id", t.api.id],
        ["X-Forwarded-For", c.sourceIp],
        ["X-Forwarded-Proto", c.secureTransport ? "https" : "http"],
        ["X-Forwarded-Port", String(req.socket.localPort ?? "")],
        ...(t.api.forwardWebIdentityToken && caller?.session?.webIdentityToken
          ? [[WEB_IDENTITY_TOKEN_HEADER, caller.session.webIdentityToken] as [string, string]]
          : []),
      ],
      answerHeaders,
      dropResponse: t.api.cors ? dropCorsHeader : undefined,
    },
    res,
    (answer) => sendAnswer(res, answer, x.requestId, x.cors),
  );
}

/** With CORS configured, the API's settings replace whatever CORS headers the backend sends. */
const dropCorsHeader = (lowerName: string) => lowerName.startsWith("access-control-");

function header(value: string | string[] | undefined): string | undefined {
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
