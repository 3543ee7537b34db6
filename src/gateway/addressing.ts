/**
 * How a request names an API on fedsim's main port: LocalStack's path style,
 * `/restapis/{apiId}/{stage}/_user_request_/{path}`, or the host style, `Host: {apiId}.execute-api.localhost[:port]`
 * with `/{stage}/{path}`. A request of neither shape is not the gateway's.
 */
export type Address =
  | {
      style: "path" | "host";
      apiId: string;
      stage: string;
      /** The API's own path as sent (percent-encoded, "/" at least), what the backend receives. */
      apiPath: string;
      /** The whole path as sent, which the client signed. */
      requestPath: string;
      /** Without '?', "" if none. */
      query: string;
    }
  | { refused: string; status: 400 | 403 | 404 };

const PATH_PREFIX = "/restapis/";
const USER_REQUEST = "_user_request_";
export const HOST_SUFFIX = ".execute-api.localhost";

/** The API a Host header names, lower-cased; undefined when it names none. */
export function apiIdFromHost(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  let name = host.toLowerCase();
  const colon = name.lastIndexOf(":");
  if (colon !== -1 && /^\d{1,5}$/.test(name.slice(colon + 1))) name = name.slice(0, colon);
  if (name.endsWith(".")) name = name.slice(0, -1);
  if (!name.endsWith(HOST_SUFFIX)) return undefined;
  const id = name.slice(0, -HOST_SUFFIX.length);
  return id === "" || id.includes(".") ? undefined : id;
}

/** Whether this request is the gateway's at all: cheap, looked at for every request fedsim receives. */
export function isGatewayRequest(url: string, host: string | undefined): boolean {
  return url.startsWith(PATH_PREFIX) || apiIdFromHost(host) !== undefined;
}

export function locate(url: string, host: string | undefined): Address {
  // Only origin-form targets: an absolute-form target would name a host of its own besides Host.
  if (!url.startsWith("/"))
    return { refused: "The request target must be a path (origin form)", status: 400 };
  const q = url.indexOf("?");
  const requestPath = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? "" : url.slice(q + 1);
  const hostApi = apiIdFromHost(host);

  if (requestPath.startsWith(PATH_PREFIX)) {
    // /restapis/{apiId}/{stage}/_user_request_[/path]
    const parts = splitPrefix(requestPath, PATH_PREFIX.length, 3);
    if (!parts || parts.names[2] !== USER_REQUEST)
      return {
        refused: "Path-style requests are /restapis/{apiId}/{stage}/_user_request_/{path}",
        status: 404,
      };
    const [apiId, stage] = parts.names as [string, string];
    // The Host header cannot send a request to another API than the one its path names.
    if (hostApi !== undefined && hostApi !== apiId)
      return {
        refused: `The Host header names API ${hostApi} but the path names API ${apiId}`,
        status: 400,
      };
    return { style: "path", apiId, stage, apiPath: parts.rest || "/", requestPath, query };
  }
  if (hostApi === undefined) return { refused: "Not a gateway request", status: 404 };
  const parts = splitPrefix(requestPath, 1, 1);
  if (!parts) return { refused: "Host-style requests are /{stage}/{path}", status: 403 };
  return {
    style: "host",
    apiId: hostApi,
    stage: parts.names[0]!,
    apiPath: parts.rest || "/",
    requestPath,
    query,
  };
}

/** `count` non-empty segments from `from`, then the rest ("" or starting with '/'). */
function splitPrefix(
  path: string,
  from: number,
  count: number,
): { names: string[]; rest: string } | undefined {
  const names: string[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    const slash = path.indexOf("/", at);
    const name = slash === -1 ? path.slice(at) : path.slice(at, slash);
    if (name === "") return undefined;
    names.push(name);
    if (slash === -1) {
      if (i !== count - 1) return undefined;
      return { names, rest: "" };
    }
    at = slash + (i === count - 1 ? 0 : 1);
  }
  return { names, rest: path.slice(at) };
}
