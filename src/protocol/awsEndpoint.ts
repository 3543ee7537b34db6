import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate } from "../auth/authenticate.js";
import type { Caller } from "../auth/caller.js";
import { parseAuthorization } from "../core/sigv4/parseAuthorization.js";
import type { SignableRequest, SigV4Auth } from "../core/sigv4/types.js";
import { AwsError, isAwsError } from "../errors.js";
import type {
  AnyJsonOperation,
  AnyQueryOperation,
  RequestContext,
  ServiceDeps,
} from "../services/operation.js";
import { readBody } from "./body.js";
import { parseForm, parseQueryString, QueryParams } from "./queryParams.js";
import {
  type QueryService,
  type RenderedResponse,
  renderJsonError,
  renderJsonResult,
  renderQueryError,
  renderQueryResult,
  sendRendered,
} from "./render.js";
import type { XmlObject } from "./xml.js";

export interface QueryServiceDef {
  name: QueryService;
  version: string;
  operations: ReadonlyMap<string, AnyQueryOperation>;
}

export interface JsonServiceDef {
  /** SigV4 signing name, e.g. cognito-identity. */
  name: string;
  targetPrefix: string;
  operations: ReadonlyMap<string, AnyJsonOperation>;
}

export interface EndpointOptions {
  deps: ServiceDeps;
  query: readonly QueryServiceDef[];
  json: readonly JsonServiceDef[];
  /** Called for every request with its outcome, for the log. */
  /** Runs after authentication, before the operation: limits that depend on the kind of credentials. */
  beforeRun?: (caller: Caller, service: string, action: string) => void;
  onResult?: (entry: {
    requestId: string;
    service: string;
    action: string;
    status: number;
    code?: string;
    /** The error's message, which for denials says which policy type refused and why. */
    message?: string;
    caller?: string;
  }) => void;
}

/**
 * The AWS API endpoint: one handler for every service on the port. JSON 1.1 requests are told apart by
 * X-Amz-Target; Query requests by Action, with the service taken from the SigV4 credential scope
 * (or, for unsigned calls such as AssumeRoleWithSAML, from the action itself).
 */
export function createAwsEndpoint(options: EndpointOptions) {
  const queryByName = new Map(options.query.map((s) => [s.name as string, s]));
  const jsonByPrefix = new Map(options.json.map((s) => [s.targetPrefix, s]));
  const anonymousQuery = new Map<string, QueryServiceDef>();
  for (const s of options.query)
    for (const op of s.operations.values()) if (op.anonymous) anonymousQuery.set(op.action, s);

  return async function handleAwsRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const target = req.headers["x-amz-target"];
    let rendered: RenderedResponse;
    const log = { requestId, service: "unknown", action: "unknown", caller: undefined as string | undefined };
    let failure: AwsError | undefined;
    const fail = (error: unknown) => {
      failure = toAwsError(error, requestId);
      return failure;
    };
    if (typeof target === "string") {
      rendered = await handleJson(req, target, requestId, log).catch((error: unknown) =>
        renderJsonError(fail(error)),
      );
    } else {
      let errorService: QueryService = "sts";
      rendered = await handleQuery(req, requestId, log, (s) => {
        errorService = s;
      }).catch((error: unknown) => renderQueryError(errorService, fail(error), requestId));
    }
    options.onResult?.({ ...log, status: rendered.status, code: failure?.code, message: failure?.message });
    sendRendered(res, rendered, requestId);
  };

  async function handleQuery(
    req: IncomingMessage,
    requestId: string,
    log: { service: string; action: string; caller?: string },
    setErrorService: (s: QueryService) => void,
  ): Promise<RenderedResponse> {
    const { path, query } = splitUrl(req.url ?? "/");
    const values = parseQueryString(query);
    const body = await readBody(req);
    if (req.method === "POST" && body.length > 0) {
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/x-www-form-urlencoded") {
        throw new AwsError(
          "MalformedQueryString",
          "AWS Query requests must have Content-Type application/x-www-form-urlencoded",
        );
      }
      parseForm(body.toString("utf8"), values);
    } else if (req.method !== "POST" && req.method !== "GET") {
      throw new AwsError("InvalidAction", `Method ${req.method} is not supported by the AWS Query protocol`, {
        status: 405,
      });
    }
    const params = new QueryParams(values);
    const action = params.get("Action");
    if (!action) throw new AwsError("MissingAction", "Missing Action");
    log.action = action;

    const request = signable(req, path, query);
    const auth = parseAuthorization(request);
    const service = auth ? queryByName.get(auth.service) : anonymousQuery.get(action);
    if (!service) {
      if (auth)
        throw new AwsError("InvalidAction", `fedsim serves no AWS Query service named '${auth.service}'`);
      // Unsigned and not one of the anonymous STS actions.
      throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", {
        status: 403,
      });
    }
    setErrorService(service.name);
    log.service = service.name;
    const version = params.get("Version");
    const op = service.operations.get(action);
    if (!op || (version !== undefined && version !== service.version)) {
      throw new AwsError(
        "InvalidAction",
        `Could not find operation ${action} for version ${version ?? service.version}`,
      );
    }
    const result = await runOperation(op, () => op.input(params), {
      req,
      requestId,
      request,
      auth,
      body,
      service: service.name,
      action,
      log,
    });
    return renderQueryResult(service.name, action, result as XmlObject | undefined, requestId);
  }

  async function handleJson(
    req: IncomingMessage,
    target: string,
    requestId: string,
    log: { service: string; action: string; caller?: string },
  ): Promise<RenderedResponse> {
    log.action = target;
    const body = await readBody(req);
    if (req.method !== "POST") {
      throw new AwsError("UnknownOperationException", "AWS JSON 1.1 operations are POST requests");
    }
    // The body is checked before the target so that a malformed request is reported as such.
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch {
      throw new AwsError("SerializationException", "Request body is not valid JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new AwsError("SerializationException", "Request body must be a JSON object");
    }
    const dot = target.lastIndexOf(".");
    const service = dot === -1 ? undefined : jsonByPrefix.get(target.slice(0, dot));
    const op = service?.operations.get(target.slice(dot + 1));
    if (!service || !op) throw new AwsError("UnknownOperationException", `Unknown operation ${target}`);
    log.service = service.name;
    const { path, query } = splitUrl(req.url ?? "/");
    const request = signable(req, path, query);
    const auth = parseAuthorization(request);
    return renderJsonResult(
      await runOperation(op, () => op.input(parsed), {
        req,
        requestId,
        request,
        auth,
        body,
        service: service.name,
        action: target.slice(target.lastIndexOf(".") + 1),
        log,
      }),
    );
  }

  /**
   * Runs an operation for either protocol. For signed operations, who is asking is settled before the
   * request's content is read, so nothing about an operation's validation leaks to an unauthenticated
   * caller (AWS answers the signature error first too).
   */
  async function runOperation(
    op: AnyQueryOperation | AnyJsonOperation,
    readInput: () => unknown,
    r: {
      req: IncomingMessage;
      requestId: string;
      request: SignableRequest;
      auth: SigV4Auth | undefined;
      body: Buffer;
      service: string;
      action: string;
      log: { caller?: string };
    },
  ): Promise<unknown> {
    const ctx = requestContext(r.req, r.requestId, r.auth);
    if (op.anonymous) return op.run(ctx, readInput());
    const caller = authenticate(options.deps.store, {
      request: r.request,
      auth: r.auth,
      body: r.body,
      now: ctx.now,
      expectedService: r.service,
    });
    r.log.caller = caller.arn;
    options.beforeRun?.(caller, r.service, r.action);
    const input = readInput();
    return op.run({ ...ctx, caller }, input);
  }

  function requestContext(
    req: IncomingMessage,
    requestId: string,
    auth: SigV4Auth | undefined,
  ): RequestContext {
    return {
      requestId,
      now: options.deps.clock(),
      region: auth?.region ?? options.deps.config.region,
      sourceIp: normaliseIp(req.socket.remoteAddress ?? "127.0.0.1"),
      secureTransport:
        "encrypted" in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
      userAgent: req.headers["user-agent"],
    };
  }
}

function signable(req: IncomingMessage, path: string, query: string): SignableRequest {
  return { method: req.method ?? "GET", path, query, rawHeaders: req.rawHeaders };
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q === -1 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** IPv4 clients on a dual-stack socket show up as ::ffff:a.b.c.d; conditions expect a.b.c.d. */
function normaliseIp(ip: string): string {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

function toAwsError(error: unknown, requestId: string): AwsError {
  if (isAwsError(error)) return error;
  // A bug, not a bad request: log it with the request id, tell the client only that much.
  console.error(`fedsim: internal error in request ${requestId}:`, error);
  return new AwsError(
    "InternalFailure",
    `The request processing has failed because of an unknown error (request ${requestId})`,
    {
      status: 500,
    },
  );
}
