/** How client commands reach a running fedsim: the endpoint, the admin token, and JSON over HTTP. */

export const DEFAULT_ENDPOINT = "http://127.0.0.1:4566";

export interface ClientOptions {
  endpoint?: string;
}

/** --endpoint, else AWS_ENDPOINT_URL (as the AWS CLI and SDKs read it), else fedsim's default port. */
export function endpointOf(opts: ClientOptions): string {
  return (opts.endpoint ?? process.env.AWS_ENDPOINT_URL ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
}

/** A failure a person can act on: printed as one line, exit code 1 (2 for usage errors). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

function adminHeaders(): Record<string, string> {
  const token = process.env.FEDSIM_ADMIN_TOKEN;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** GET a fedsim admin endpoint; the answer's JSON, or a CliError saying why not. */
export async function getJson<T>(endpoint: string, path: string): Promise<T> {
  const res = await request(endpoint, path);
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {}
    throw new CliError(`fedsim at ${endpoint} answered ${res.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}

/** POST to a fedsim admin endpoint; the answer's JSON, or a CliError saying why not. */
export async function postJson<T>(endpoint: string, path: string): Promise<T> {
  const res = await request(endpoint, path, {}, "POST");
  const text = await res.text();
  if (!res.ok) throw new CliError(`fedsim at ${endpoint} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** A streaming GET (Server-Sent Events). */
export async function openStream(endpoint: string, path: string): Promise<Response> {
  const res = await request(endpoint, path, { accept: "text/event-stream" });
  if (!res.ok || !res.body)
    throw new CliError(`fedsim at ${endpoint} answered ${res.status}: ${await res.text()}`);
  return res;
}

async function request(
  endpoint: string,
  path: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<Response> {
  try {
    return await fetch(`${endpoint}${path}`, { method, headers: { ...adminHeaders(), ...headers } });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new CliError(
      `cannot reach fedsim at ${endpoint}${cause ? ` (${cause})` : ""}: is it running (fedsim start)? Set --endpoint or AWS_ENDPOINT_URL to its URL.`,
    );
  }
}
