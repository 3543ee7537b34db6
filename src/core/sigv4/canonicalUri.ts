import { uriEncode } from "./uriEncode.js";

/** Segments of unreserved characters, none empty, none starting with '.' (so none is "." or ".."). */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+\/?$/;

/**
 * The canonical URI for every service but S3: "." and ".." segments resolved, empty segments ("//")
 * dropped, then each character encoded. The path given is what arrived on the wire, which the SDKs have
 * already encoded once, so it is encoded again here: that is the SDKs' "double encoding" for non-S3
 * services (smithy's uriEscapePath), and what the AWS test suite expects for its unencoded paths.
 */
export function canonicalUri(path: string): string {
  if (path === "" || path === "/") return "/";
  // Most paths are unreserved characters only, with no empty or dot segment: their canonical form is themselves.
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith("/") ? "/" : "";
  return `/${segments.map((s) => uriEncode(s)).join("/")}${trailing}`;
}
