import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { badGateway, type GatewayAnswer, gatewayTimeout } from "./answers.js";

/** A Lambda handler as a deployed function exports it: async, or taking a callback as its third argument. */
export type LambdaHandler = (
  event: Record<string, unknown>,
  context: Record<string, unknown>,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

/**
 * Imports the handler a `module` integration names, relative to the config file. A missing file or an export
 * that is not a function stops start-up with the API's path in the message, rather than failing per request.
 */
export async function loadModuleHandler(
  configFile: string,
  file: string,
  exportName: string,
  where: string,
): Promise<LambdaHandler> {
  const path = resolve(configFile, "..", file);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${where}: cannot load the module integration ${path}: ${(error as Error).message}`);
  }
  const handler = Object.hasOwn(loaded, exportName) ? loaded[exportName] : undefined;
  if (typeof handler !== "function")
    throw new Error(`${where}: ${path} exports no function named ${exportName}`);
  return handler as LambdaHandler;
}

/**
 * Calls the handler in-process with the proxy event and writes its result as API Gateway maps a Lambda proxy
 * response: statusCode, headers and multiValueHeaders (merged), body (base64-decoded when isBase64Encoded).
 * A handler that throws, rejects, calls back with an error or returns anything else is a 502 with API
 * Gateway's body; one that has not answered within the integration timeout, 504.
 */
export function invokeModule(
  integration: { file: string; invoke: LambdaHandler; timeoutMs: number },
  event: Record<string, unknown>,
  answerHeaders: readonly [string, string][],
  res: ServerResponse,
  fail: (answer: GatewayAnswer) => void,
): void {
  const started = Date.now();
  let settled = false;
  const settle = (outcome: { result: unknown } | { error: unknown }) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if ("error" in outcome) {
      fail(badGateway(`The module handler ${integration.file} failed: ${errorText(outcome.error)}`));
      return;
    }
    const mapped = mapResult(outcome.result);
    if (typeof mapped === "string") {
      fail(badGateway(`Malformed Lambda proxy response from ${integration.file}: ${mapped}`));
      return;
    }
    const headers: string[] = [];
    for (const [name, value] of mapped.headers) headers.push(name, value);
    for (const [name, value] of answerHeaders) headers.push(name, value);
    headers.push("Content-Length", String(mapped.body.length));
    res.writeHead(mapped.statusCode, headers);
    res.end(mapped.body);
  };
  const timer = setTimeout(() => {
    if (settled) return;
    settled = true;
    fail(gatewayTimeout(integration.timeoutMs));
  }, integration.timeoutMs);
  timer.unref();
  const context = {
    awsRequestId: randomUUID(),
    functionName: integration.file,
    functionVersion: "$LATEST",
    memoryLimitInMB: "128",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, integration.timeoutMs - (Date.now() - started)),
  };
  try {
    const returned = integration.invoke(event, context, (error, result) =>
      settle(error === undefined || error === null ? { result } : { error }),
    );
    if (returned !== undefined && typeof (returned as Promise<unknown>)?.then === "function")
      (returned as Promise<unknown>).then(
        (result) => settle({ result }),
        (error: unknown) => settle({ error }),
      );
    // A synchronous handler's own return value stands as its answer unless it takes a callback.
    else if (integration.invoke.length < 3) settle({ result: returned });
  } catch (error) {
    settle({ error });
  }
}

interface MappedResult {
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

const RESULT_KEYS = new Set(["statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The HTTP answer a proxy result stands for, or why it is malformed (REST APIs accept only these fields). */
function mapResult(result: unknown): MappedResult | string {
  if (typeof result !== "object" || result === null || Array.isArray(result))
    return `the handler returned ${result === null ? "null" : Array.isArray(result) ? "an array" : typeof result}, not an object`;
  const r = result as Record<string, unknown>;
  for (const key of Object.keys(r))
    if (!RESULT_KEYS.has(key)) return `unexpected field ${JSON.stringify(key)}`;
  const status = r.statusCode;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
    return "statusCode must be an integer from 100 to 599";
  const headers: [string, string][] = [];
  const single = new Set<string>();
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== "object" || Array.isArray(r.headers)) return "headers must be an object";
    for (const [name, value] of Object.entries(r.headers)) {
      const text = headerValue(value);
      if (!HEADER_NAME.test(name) || text === undefined)
        return `header ${JSON.stringify(name)} is not a valid header`;
      headers.push([name, text]);
      single.add(name.toLowerCase());
    }
  }
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== "object" || Array.isArray(r.multiValueHeaders))
      return "multiValueHeaders must be an object";
    for (const [name, values] of Object.entries(r.multiValueHeaders)) {
      if (!HEADER_NAME.test(name) || !Array.isArray(values))
        return `multiValueHeaders ${JSON.stringify(name)} must be a list`;
      // API Gateway merges both: a name in headers is not repeated from multiValueHeaders.
      if (single.has(name.toLowerCase())) continue;
      for (const value of values) {
        const text = headerValue(value);
        if (text === undefined) return `multiValueHeaders ${JSON.stringify(name)} holds an invalid value`;
        headers.push([name, text]);
      }
    }
  }
  for (const [name] of headers)
    if (/^(content-length|transfer-encoding|connection)$/i.test(name))
      return `the header ${name} is set by the gateway`;
  let body: Buffer;
  if (r.body === undefined || r.body === null) body = Buffer.alloc(0);
  else if (typeof r.body !== "string") return "body must be a string";
  else if (r.isBase64Encoded === true) body = Buffer.from(r.body, "base64");
  else body = Buffer.from(r.body, "utf8");
  if (r.isBase64Encoded !== undefined && typeof r.isBase64Encoded !== "boolean")
    return "isBase64Encoded must be a boolean";
  return { statusCode: status, headers, body };
}

function headerValue(value: unknown): string | undefined {
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number" || typeof value === "boolean"
        ? String(value)
        : undefined;
  return text !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(text) ? text : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
}
