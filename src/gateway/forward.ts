import type { ServerResponse } from "node:http";
import type { Dispatcher, Pool } from "undici";
import { badGateway, type GatewayAnswer, gatewayTimeout } from "./answers.js";
import { IDENTITY_HEADERS, isForgedSpelling } from "./forgedHeaders.js";
import { connectionListed, HOP_BY_HOP_HEADERS, METHOD_OVERRIDE_HEADERS } from "./headerChecks.js";

/** Headers the gateway sets for the backend: a client's own are dropped so that none can be forged. */
const GATEWAY_SET = new Set([
  "host",
  "content-length",
  ...IDENTITY_HEADERS,
  // The body is buffered already: the backend has nothing to wait for a 100 Continue about.
  "expect",
]);

export interface Backend {
  url: URL;
  /** The base path without a trailing slash ("" for the root), which the API's path is appended to. */
  basePath: string;
  timeoutMs: number;
  /** The keep-alive pool, made on the first request (undici loads then, not at start-up). */
  pool?: Pool;
  /** Its API was replaced or removed: requests admitted before still come, each on a pool of its own. */
  retired?: boolean;
  /** Worked out once, not per request: the Host header the backend receives. */
  hostHeader: string;
}

/** Backend connections per API, bounded, so a slow backend cannot take every socket fedsim has. */
const MAX_CONNECTIONS = 256;

export function createBackend(url: URL, timeoutMs: number): Backend {
  return { url, basePath: url.pathname.replace(/\/+$/, ""), timeoutMs, hostHeader: url.host };
}

/** Closes a backend's pool: idle connections now, busy ones once their answer is done (not cut short). */
export function retireBackend(backend: Backend): void {
  backend.retired = true;
  backend.pool?.close().catch(() => {});
  backend.pool = undefined;
}

/** Closes a backend's pool now, in-flight requests included (fedsim is stopping). */
export function destroyBackend(backend: Backend): void {
  backend.retired = true;
  backend.pool?.destroy().catch(() => {});
  backend.pool = undefined;
}

// undici (Node's own HTTP client, a well-kept package) for the backend hop: its pool costs about a third less
// CPU per proxied request than node:http's ClientRequest and Agent (measured: bench/gateway.ts's (b) and (g)).
// Loaded on the first forwarded request, so that start-up does not parse it.
let undici: typeof import("undici") | undefined;
let loading: Promise<unknown> | undefined;
const loadUndici = () =>
  (loading ??= import("undici").then((module) => {
    // Bundled by esbuild, the CommonJS package arrives as the module's default export.
    undici = "Pool" in module ? module : (module as { default: typeof import("undici") }).default;
  }));

function poolFor(backend: Backend): Pool | undefined {
  if (backend.pool || !undici) return backend.pool;
  backend.pool = new undici.Pool(backend.url.origin, {
    connections: MAX_CONNECTIONS,
    // Backstops only: BackendExchange's own timer is the integration timeout (it also covers the wait for a
    // connection and 1xx answers, which these do not). A body already streaming is not cut short.
    headersTimeout: backend.timeoutMs,
    connectTimeout: backend.timeoutMs,
    bodyTimeout: 0,
  });
  return backend.pool;
}

export interface ForwardInput {
  method: string;
  /** The API's path and query exactly as the client sent them. */
  apiPath: string;
  query: string;
  rawHeaders: readonly string[];
  body: Buffer;
  /** Header pairs the gateway adds (request context, forwarded-for, API id). */
  add: readonly [string, string][];
  /** Header pairs every answer carries (request id, CORS). */
  answerHeaders: readonly [string, string][];
  /** Response headers the backend may not set (its own CORS headers when the API configures CORS). */
  dropResponse?: (lowerName: string) => boolean;
}

/**
 * Forwards a checked, authorised request and streams the answer back as it arrives (never buffered). A backend
 * that cannot be reached or fails before answering becomes 502; one that has not answered within the
 * timeout, 504; a failure once the answer has begun ends the client's connection, as a proxy must.
 */
export function forward(
  backend: Backend,
  input: ForwardInput,
  res: ServerResponse,
  fail: (answer: GatewayAnswer) => void,
): void {
  const pool = poolFor(backend);
  if (pool === undefined) {
    loadUndici()
      .then(() => forward(backend, input, res, fail))
      .catch((error: Error) => {
        if (res.headersSent) res.destroy();
        else fail(badGateway(`The backend client could not be loaded: ${error.message}`));
      });
    return;
  }
  const exchange = new BackendExchange(backend, input, res, fail);
  res.on("close", exchange.clientClosed);
  pool.dispatch(
    {
      method: input.method as Dispatcher.HttpMethod,
      path: backend.basePath + input.apiPath + (input.query ? `?${input.query}` : ""),
      headers: requestHeaders(input, backend.hostHeader),
      body: input.body.length > 0 ? input.body : null,
    },
    exchange as unknown as Dispatcher.DispatchHandler,
  );
  // A request admitted (its body read, its caller checked) before its API was replaced or removed still goes to
  // the backend it was admitted for, as with node:http's Agent: a closed pool would refuse it, so it gets a
  // pool of its own, closed once it is answered.
  if (backend.retired) {
    backend.pool = undefined;
    pool.close().catch(() => {});
  }
}

/** Errors of the backend's own slowness: a 504, not a 502. */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/**
 * One request to the backend, as undici's dispatch handler (its callback interface, which undici runs
 * natively): a class rather than closures, so a request allocates one object.
 */
class BackendExchange {
  private abort: ((reason?: Error) => void) | undefined;
  private resume: (() => void) | undefined;
  private answered = false;
  private done = false;
  private timedOut = false;
  /**
   * The integration timeout from dispatch to the answer's head, whatever holds it up: a queue behind busy
   * connections, connecting, or a backend sending 1xx answers (each restarts undici's headersTimeout).
   */
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly backend: Backend,
    private readonly input: ForwardInput,
    private readonly res: ServerResponse,
    private readonly fail: (answer: GatewayAnswer) => void,
  ) {
    this.timer = setTimeout(this.expire, backend.timeoutMs);
    this.timer.unref();
  }

  /** A client that goes away stops the backend's work too. */
  readonly clientClosed = () => {
    if (!this.done && !this.res.writableFinished) this.abort?.();
  };

  private readonly drained = () => this.resume?.();

  private readonly expire = () => {
    if (this.answered || this.done) return;
    this.timedOut = true;
    // Not connected yet: onConnect aborts it.
    this.abort?.();
    if (!this.res.destroyed && !this.res.headersSent) this.fail(gatewayTimeout(this.backend.timeoutMs));
  };

  onConnect(abort: (reason?: Error) => void): void {
    this.abort = abort;
    if (this.res.destroyed || this.timedOut) abort();
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    // 1xx answers are the backend's business with fedsim, not the client's.
    if (status < 200) return true;
    clearTimeout(this.timer);
    this.answered = true;
    this.resume = resume;
    const names: string[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) names[i] = raw[i]!.toString("latin1");
    this.res.writeHead(status, responseHeaders(names, this.input));
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.destroyed) return true;
    if (this.res.write(chunk)) return true;
    this.res.once("drain", this.drained);
    return false;
  }

  onComplete(): void {
    this.done = true;
    this.res.end();
  }

  onError(error: Error & { code?: string }): void {
    this.done = true;
    clearTimeout(this.timer);
    if (this.timedOut) return;
    if (this.answered || this.res.headersSent) {
      // The answer had begun: the client's connection ends, so it never takes a truncated body for whole.
      if (!this.res.writableFinished) this.res.destroy();
      return;
    }
    if (this.res.destroyed) return;
    if (error.code !== undefined && TIMEOUT_CODES.has(error.code))
      this.fail(gatewayTimeout(this.backend.timeoutMs));
    else this.fail(badGateway(`The backend ${this.backend.url.origin} failed: ${failure(error)}`));
  }
}

/**
 * The socket's own code (ECONNREFUSED) where undici wraps it; undici's own codes are broad (UND_ERR_SOCKET is
 * a closed connection or an answer it refuses), so its message comes with them.
 */
function failure(error: Error & { code?: string }): string {
  const cause = error.cause as { code?: unknown } | undefined;
  if (typeof cause?.code === "string") return cause.code;
  if (error.code === undefined) return error.message;
  return error.code.startsWith("UND_ERR_") && error.message ? `${error.code} (${error.message})` : error.code;
}

/** Every request header the backend must not receive from the client, in one set: one lookup per header. */
const DROP_REQUEST: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP_HEADERS,
  ...GATEWAY_SET,
  ...METHOD_OVERRIDE_HEADERS,
]);

function requestHeaders(input: ForwardInput, host: string): string[] {
  const raw = input.rawHeaders;
  const listed = connectionListed(raw);
  const out: string[] = [];
  let framed = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (DROP_REQUEST.has(lower)) {
      if (lower === "content-length" || lower === "transfer-encoding") framed = true;
      continue;
    }
    // A name the client's Connection header lists, or another spelling of a dropped one (src/gateway/forgedHeaders.ts).
    if (listed?.has(lower) || isForgedSpelling(lower, DROP_REQUEST)) continue;
    out.push(name, raw[i + 1]!);
  }
  out.push("Host", host);
  if (input.body.length > 0 || framed) out.push("Content-Length", String(input.body.length));
  for (const [name, value] of input.add) out.push(name, value);
  return out;
}

function responseHeaders(raw: readonly string[], input: ForwardInput): string[] {
  const listed = connectionListed(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower) || listed?.has(lower) || lower === "x-amzn-requestid") continue;
    if (input.dropResponse?.(lower)) continue;
    out.push(name, raw[i + 1]!);
  }
  for (const [name, value] of input.answerHeaders) out.push(name, value);
  return out;
}
