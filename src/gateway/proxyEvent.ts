import type { RouteTemplate } from "./routeTemplate.js";

/** What the gateway knows of a request when it builds a module integration's event. */
export interface ProxyEventInput {
  method: string;
  /** The API's path as sent (no stage), e.g. /pets/1. */
  apiPath: string;
  /** The decoded path segments the route matched. */
  segments: readonly string[];
  template: RouteTemplate;
  /** Without '?'. */
  query: string;
  rawHeaders: readonly string[];
  body: Buffer;
  /** src/gateway/identityContext.ts's requestContextValue, to which the REST-only fields are added. */
  requestContext: Record<string, unknown>;
  now: Date;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * API Gateway's REST proxy event (payload format 1.0): the route template as `resource`, the path as sent,
 * headers and query parameters both single-valued (the last value) and multi-valued, path parameters from
 * the template (a greedy one spans the rest of the path), `null` for every part the request lacks, and the
 * body as text, or base64 with isBase64Encoded when it is not UTF-8.
 */
export function proxyEvent(input: ProxyEventInput): Record<string, unknown> {
  const headers = new Map<string, string>();
  const multiHeaders = new Map<string, string[]>();
  for (let i = 0; i < input.rawHeaders.length; i += 2) {
    const name = input.rawHeaders[i]!;
    const value = input.rawHeaders[i + 1]!;
    headers.set(name, value);
    const list = multiHeaders.get(name);
    if (list) list.push(value);
    else multiHeaders.set(name, [value]);
  }
  const query = new Map<string, string>();
  const multiQuery = new Map<string, string[]>();
  for (const pair of input.query === "" ? [] : input.query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decode(pair.slice(eq + 1));
    query.set(key, value);
    const list = multiQuery.get(key);
    if (list) list.push(value);
    else multiQuery.set(key, [value]);
  }
  const params = pathParameters(input.template, input.segments);
  let body: string | null = null;
  let isBase64Encoded = false;
  if (input.body.length > 0) {
    try {
      body = utf8.decode(input.body);
    } catch {
      body = input.body.toString("base64");
      isBase64Encoded = true;
    }
  }
  return {
    resource: input.template.text,
    path: input.apiPath,
    httpMethod: input.method,
    headers: headers.size > 0 ? ownObject(headers) : null,
    multiValueHeaders: multiHeaders.size > 0 ? ownObject(multiHeaders) : null,
    queryStringParameters: query.size > 0 ? ownObject(query) : null,
    multiValueQueryStringParameters: multiQuery.size > 0 ? ownObject(multiQuery) : null,
    pathParameters: params.size > 0 ? ownObject(params) : null,
    stageVariables: null,
    requestContext: {
      ...input.requestContext,
      resourceId: resourceId(input.template.text),
      extendedRequestId: input.requestContext.requestId,
      requestTime: clfTime(input.now),
      domainPrefix: String(input.requestContext.domainName ?? "").split(".")[0],
    },
    body,
    isBase64Encoded,
  };
}

function pathParameters(template: RouteTemplate, segments: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  template.segments.forEach((s, i) => {
    if (s.kind === "param") out.set(s.name, segments[i]!);
    else if (s.kind === "greedy") out.set(s.name, segments.slice(i).join("/"));
  });
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A plain object from client-named keys, each an own property (a header named __proto__ stays a key). */
function ownObject<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of map)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/** A stable 6-character id per resource, as API Gateway gives each resource one. */
function resourceId(template: string): string {
  let h = 0;
  for (let i = 0; i < template.length; i++) h = (h * 31 + template.charCodeAt(i)) >>> 0;
  return h.toString(36).padStart(6, "0").slice(-6);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `09/Apr/2015:12:34:56 +0000`, the requestTime API Gateway writes. */
function clfTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
