import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AWS_API_RULES, authenticate } from "../auth/authenticate.js";
import type { Caller } from "../auth/caller.js";
import { type RequestContext, requestContext } from "../auth/requestContext.js";
import type { DecisionSink } from "../authz/decisionRecord.js";
import { recordRefusal } from "../authz/recordDecision.js";
import { parseAuthorization } from "../core/sigv4/parseAuthorization.js";
import type { SignableRequest, SigV4Auth } from "../core/sigv4/types.js";
import { AwsError, isAwsError } from "../errors.js";
import type { Store } from "../store/store.js";
import { readBody } from "./body.js";
import { asJsonAuthError } from "./jsonAuthError.js";
import type { AnyJsonOperation, AnyQueryOperation } from "./operation.js";
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
import { signingServiceOf, unemulatedService, unidentifiedService } from "./unemulated.js";
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

/** A JSON 1.1 service whose operations load on its first request (a room imported lazily). */
export interface LazyJsonServiceDef {
  name: string;
  targetPrefix: string;
  load(): Promise<ReadonlyMap<string, AnyJsonOperation>>;
}

export interface EndpointOptions {
  store: Store;
  clock: () => Date;
  /** The config's region: the region of unsigned requests. */
  region: string;
  /** Where refused signatures are recorded. */
  decisions: DecisionSink;
  query: readonly QueryServiceDef[];
  json: readonly (JsonServiceDef | LazyJsonServiceDef)[];
  /** Runs after authentication, before the operation: limits that depend on the kind of credentials. */
  beforeRun?: (caller: Caller, service: string, action: string) => void;
  /** Called for every request with its outcome, for the log. */
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
    if (failure && isRefusal(failure) && !options.decisions.recorded?.(requestId)) {
      // Refused before (or outside) any recording step: a malformed signature, an unsigned call, a
      // credentials limit, an internal failure. Every refusal is in the log.
      recordRefusal(
        options.decisions,
        requestContext(req, { requestId, door: "aws-api", now: options.clock(), region: options.region }),
        {
          service: log.service,
          principal: log.caller ?? "anonymous",
          action: `${log.service}:${log.action}`,
          resource: "*",
        },
        `${failure.code}: ${failure.message}`,
      );
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
    const body = await readBody(req);
    // A service fedsim does not emulate (aws s3 ls, EC2, ...): say so, in its wire shape, before anything about
    // the request's shape is judged by the Query protocol's rules.
    const signedFor = signingServiceOf(headerText(req.headers.authorization), req.url ?? "/");
    if (signedFor !== undefined && !queryByName.has(signedFor))
      return unemulatedService(signedFor, requestId, {});
    const values = parseQueryString(query);
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
    const request = signable(req, path, query);
    const auth = parseAuthorization(request);
    if (auth && !queryByName.has(auth.service)) return unemulatedService(auth.service, requestId, {});
    const action = params.get("Action");
    if (!action) {
      // Unsigned, no Action, nothing in the query: not an AWS Query call (an anonymous S3 ListBuckets, say).
      if (!auth && values.size === 0 && body.length === 0) return unidentifiedService(requestId);
      throw new AwsError("MissingAction", "Missing Action");
    }
    log.action = action;

    const service = auth ? queryByName.get(auth.service) : anonymousQuery.get(action);
    if (!service) {
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
    const { path, query } = splitUrl(req.url ?? "/");
    const request = signable(req, path, query);
    const auth = parseAuthorization(request);
    if (!service) {
      // A JSON service fedsim does not have: name it from the signature's scope, else from the target.
      const named = auth?.service ?? (dot === -1 ? target : target.slice(0, dot));
      return unemulatedService(named, requestId, { target });
    }
    const operations = "load" in service ? await service.load() : service.operations;
    const op = operations.get(target.slice(dot + 1));
    if (!op) throw new AwsError("UnknownOperationException", `Unknown operation ${target}`);
    log.service = service.name;
    let result: unknown;
    try {
      result = await runOperation(op, () => op.input(parsed), {
        req,
        requestId,
        request,
        auth,
        body,
        service: service.name,
        action: target.slice(target.lastIndexOf(".") + 1),
        log,
      });
    } catch (error) {
      throw asJsonAuthError(error);
    }
    return renderJsonResult(result);
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
    const ctx: RequestContext = requestContext(r.req, {
      requestId: r.requestId,
      door: "aws-api",
      now: options.clock(),
      region: r.auth?.region ?? options.region,
    });
    if (op.anonymous) return op.run(ctx, readInput());
    let caller: Caller;
    try {
      caller = authenticate(options.store, {
        request: r.request,
        auth: r.auth,
        body: r.body,
        now: ctx.now,
        rules: AWS_API_RULES,
        expectedService: r.service,
      });
    } catch (error) {
      if (isAwsError(error))
        recordRefusal(
          options.decisions,
          ctx,
          {
            service: r.service,
            principal: "anonymous",
            action: `${r.service}:${r.action}`,
            resource: "*",
          },
          `${error.code}: ${error.message}`,
          r.auth ? { accessKeyId: r.auth.accessKeyId } : undefined,
        );
      throw error;
    }
    r.log.caller = caller.arn;
    options.beforeRun?.(caller, r.service, r.action);
    const input = readInput();
    return op.run({ ...ctx, caller }, input);
  }
}

function signable(req: IncomingMessage, path: string, query: string): SignableRequest {
  return { method: req.method ?? "GET", path, query, rawHeaders: req.rawHeaders };
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf("?");
  return q === -1 ? { path: url, query: "" } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** What the decision log counts as a refusal: authentication and authorisation failures, and server faults. */
function isRefusal(error: AwsError): boolean {
  return (
    error.status === 401 ||
    error.status === 403 ||
    error.status >= 500 ||
    error.code === "IncompleteSignature"
  );
}

function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
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
