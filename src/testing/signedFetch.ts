import { type SigningCredentials, signRequest } from "../core/sigv4/signRequest.js";

export interface SignedFetchInit extends Omit<RequestInit, "body" | "headers"> {
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** SigV4 service name; default execute-api (the gateway), as API Gateway's IAM authorization expects. */
  service?: string;
  region?: string;
}

/** fetch() with a SigV4 Authorization header, signed for `now` (the test clock's, so signatures can expire). */
export function signedFetchAt(
  now: () => Date,
  defaultRegion: string,
  credentials: SigningCredentials,
  url: string | URL,
  init: SignedFetchInit = {},
): Promise<Response> {
  const target = new URL(url);
  const { service = "execute-api", region = defaultRegion, body = "", headers = {}, ...rest } = init;
  const signed = signRequest(
    {
      method: init.method ?? "GET",
      path: target.pathname,
      query: target.search.slice(1),
      headers: { ...headers, host: target.host },
      body,
    },
    credentials,
    { region, service, now: now() },
  );
  // fetch sets Host itself from the URL; the signature covers the same value.
  const { host: _host, ...sent } = signed;
  const payload = typeof body === "string" ? body : Buffer.from(body);
  return fetch(target, { ...rest, headers: sent, body: body.length === 0 ? undefined : payload });
}
