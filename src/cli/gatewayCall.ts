import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { DecisionRecord } from "../authz/decisionRecord.js";
import { type SigningCredentials, signRequest } from "../core/sigv4/signRequest.js";
import { CliError, getJson } from "./client.js";

/** A request to the gateway as fedsim's client commands send it. */
export interface GatewayCall {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

export interface GatewayReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  requestId?: string;
}

/**
 * Signs a request with SigV4 for execute-api (none without credentials) and sends it with node:http, so that
 * exactly the signed headers go on the wire. `tamperedBody`, when given, replaces the body after signing:
 * what someone on the path would do.
 */
export async function callGateway(
  call: GatewayCall,
  credentials: SigningCredentials | undefined,
  scope: { region: string; now?: Date },
  tamperedBody?: string,
): Promise<GatewayReply> {
  const body = call.body ?? "";
  let headers: Record<string, string> = { host: call.url.host, ...lowerKeys(call.headers ?? {}) };
  if (body && !Object.hasOwn(headers, "content-type")) headers["content-type"] = "application/json";
  if (credentials)
    headers = signRequest(
      { method: call.method, path: call.url.pathname, query: call.url.search.slice(1), headers, body },
      credentials,
      { region: scope.region, service: "execute-api", now: scope.now ?? new Date() },
    );
  const sent = tamperedBody ?? body;
  const send = call.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      call.url,
      {
        // RFC 6761: *.localhost is loopback, though not every resolver says so ({apiId}.execute-api.localhost).
        hostname: call.url.hostname.endsWith(".localhost") ? "127.0.0.1" : undefined,
        method: call.method,
        headers: { ...headers, "content-length": String(Buffer.byteLength(sent)) },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const requestId = res.headers["x-amzn-requestid"];
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            requestId: typeof requestId === "string" ? requestId : undefined,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      reject(new CliError(`cannot reach ${call.url.origin} (${error.code ?? error.message})`)),
    );
    req.end(sent);
  });
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/** The gateway's decision for one of its answers, from the decision log (undefined when none is kept). */
export async function decisionOf(endpoint: string, requestId: string | undefined) {
  if (requestId === undefined) return undefined;
  const { decisions } = await getJson<{ decisions: DecisionRecord[] }>(
    endpoint,
    `/_fedsim/decisions?requestId=${encodeURIComponent(requestId)}`,
  );
  return decisions.find((d) => d.door === "gateway") ?? decisions[0];
}

/** The statement that decided, as a person reads it: POLICY#SID, else the reason. */
export function decidingStatement(d: DecisionRecord | undefined): string {
  if (!d) return "(no decision recorded)";
  const s = d.statements[0];
  if (s === undefined) {
    // "User: ... is not authorized ... because no identity-based policy allows ...": the why is enough.
    const because = d.reason.indexOf(" because ");
    return because === -1 ? d.reason : `${d.decision}: ${d.reason.slice(because + 9)}`;
  }
  const policy = s.policy.slice(s.policy.lastIndexOf("/") + 1) || s.policy;
  return `${s.effect} ${policy}#${s.sid ?? s.index}`;
}

/** The message of an AWS- or backend-shaped JSON answer (message or Message), else the body's start. */
export function replyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown };
    const m = parsed.message ?? parsed.Message;
    if (typeof m === "string") return m;
  } catch {}
  return body.length > 80 ? `${body.slice(0, 77)}...` : body;
}

/** The gateway URL of a path of the pet-store API on fedsim's main port (LocalStack's path style). */
export function petstoreUrl(endpoint: string, path: string): URL {
  return new URL(`${endpoint}/restapis/petstore/prod/_user_request_${path}`);
}
