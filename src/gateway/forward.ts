import { Agent, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { badGateway, type GatewayAnswer, gatewayTimeout } from "./answers.js";
import { isForgedSpelling } from "./forgedHeaders.js";
import { connectionListed, HOP_BY_HOP_HEADERS, METHOD_OVERRIDE_HEADERS } from "./headerChecks.js";
import { REQUEST_CONTEXT_HEADER, WEB_IDENTITY_TOKEN_HEADER } from "./identityContext.js";

/** Headers the gateway sets for the backend: a client's own are dropped so that none can be forged. */
const GATEWAY_SET = new Set([
  "host",
  "content-length",
  REQUEST_CONTEXT_HEADER,
  WEB_IDENTITY_TOKEN_HEADER,
  "x-amzn-apigateway-api-id",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-host",
  "forwarded",
  // The body is buffered already: the backend has nothing to wait for a 100 Continue about.
  "expect",
]);

export interface Backend {
  url: URL;
  /** The base path without a trailing slash ("" for the root), which the API's path is appended to. */
  basePath: string;
  timeoutMs: number;
  agent: Agent;
  send: typeof httpRequest;
  /** Worked out once, not per request: the host to connect to (no IPv6 brackets), its port, the Host header. */
  hostname: string;
  port: string | undefined;
  hostHeader: string;
}

/** One keep-alive pool per backend, bounded, so a slow backend cannot take every socket fedsim has. */
export function createBackend(url: URL, timeoutMs: number): Backend {
  const https = url.protocol === "https:";
  const options = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64 };
  return {
    url,
    basePath: url.pathname.replace(/\/+$/, ""),
    timeoutMs,
    agent: https ? new HttpsAgent(options) : new Agent(options),
    send: https ? (httpsRequest as typeof httpRequest) : httpRequest,
    hostname: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port || undefined,
    hostHeader: url.host,
  };
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
  const headers = requestHeaders(input, backend.hostHeader);
  const backendReq = backend.send({
    protocol: backend.url.protocol,
    hostname: backend.hostname,
    port: backend.port,
    method: input.method,
    path: backend.basePath + input.apiPath + (input.query ? `?${input.query}` : ""),
    headers,
    agent: backend.agent,
    // The gateway checked the target already; the backend receives it exactly as sent.
    setHost: false,
  });
  let settled = false;
  const timer = setTimeout(() => {
    if (settled) return;
    settled = true;
    backendReq.destroy();
    fail(gatewayTimeout(backend.timeoutMs));
  }, backend.timeoutMs);
  timer.unref();

  backendReq.on("response", (backendRes: IncomingMessage) => {
    clearTimeout(timer);
    if (settled) {
      backendRes.resume();
      return;
    }
    settled = true;
    res.writeHead(backendRes.statusCode ?? 502, responseHeaders(backendRes.rawHeaders, input));
    // What pipe() does, with the two listeners a one-way copy needs rather than its eight on both sides.
    backendRes.on("data", (chunk: Buffer) => {
      if (res.destroyed) return;
      if (!res.write(chunk)) {
        backendRes.pause();
        res.once("drain", () => backendRes.resume());
      }
    });
    backendRes.on("end", () => res.end());
    // A backend that stops mid-answer: the client's connection ends too, never a truncated body taken for whole.
    backendRes.on("error", () => res.destroy());
    backendRes.on("close", () => {
      if (!backendRes.complete) res.destroy();
    });
  });
  backendReq.on("error", (error: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    if (settled) {
      // The answer had begun: the client's connection ends, so it never takes a truncated body for whole.
      if (res.headersSent && !res.writableFinished) res.destroy();
      return;
    }
    settled = true;
    fail(badGateway(`The backend ${backend.url.origin} failed: ${error.code ?? error.message}`));
  });
  // A client that goes away stops the backend's work too.
  res.on("close", () => {
    if (!res.writableFinished) backendReq.destroy();
  });
  backendReq.end(input.body.length > 0 ? input.body : undefined);
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
