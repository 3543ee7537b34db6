/**
 * Header shapes refused before authentication. A second Host, Authorization or X-Amz-* header lets the
 * signature cover one value while a backend reads the other; Transfer-Encoding beside Content-Length (or
 * any coding but a lone `chunked`) is the request-smuggling shape. Node's parser refuses most of these
 * already; this check does not depend on it. Returns the reason, or undefined when the headers are fine.
 */
export function refusedHeaders(rawHeaders: readonly string[]): string | undefined {
  let seen: Set<string> | undefined;
  let contentLength = false;
  let transferEncoding: string | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === "content-length") contentLength = true;
    else if (name === "transfer-encoding") {
      if (transferEncoding !== undefined) return "The request has more than one Transfer-Encoding header";
      transferEncoding = rawHeaders[i + 1]!.trim().toLowerCase();
    }
    if (name === "host" || name === "authorization" || name.startsWith("x-amz-")) {
      seen ??= new Set();
      if (seen.has(name)) return `The request has more than one ${rawHeaders[i]} header`;
      seen.add(name);
    }
  }
  if (transferEncoding !== undefined) {
    if (contentLength) return "The request has both Transfer-Encoding and Content-Length";
    if (transferEncoding !== "chunked") return "The only Transfer-Encoding accepted is chunked";
  }
  return undefined;
}

/** Headers that would make a backend run another method than the one authorised. */
export const METHOD_OVERRIDE_HEADERS: ReadonlySet<string> = new Set([
  "x-http-method-override",
  "x-http-method",
  "x-method-override",
]);

/** Hop-by-hop headers (RFC 9110 7.6.1), never forwarded in either direction. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The extra hop-by-hop names a Connection header lists, lower-cased. */
export function connectionListed(rawHeaders: readonly string[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 10 || name.toLowerCase() !== "connection") continue;
    for (const token of rawHeaders[i + 1]!.split(",")) {
      const t = token.trim().toLowerCase();
      if (!t) continue;
      out ??= new Set();
      out.add(t);
    }
  }
  return out;
}
