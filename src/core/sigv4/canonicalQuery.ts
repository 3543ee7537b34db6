import { safeDecode, uriEncode } from "./uriEncode.js";

/**
 * The canonical query string: each name and value decoded then strictly re-encoded, sorted by name and
 * then by value (repeated names are all kept), joined with '&'. Presigned requests leave out
 * X-Amz-Signature, which cannot sign itself.
 */
export function canonicalQuery(rawQuery: string, omitSignature = false): string {
  if (rawQuery === "") return "";
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = uriEncode(safeDecode(eq === -1 ? part : part.slice(0, eq)));
    if (omitSignature && name === "X-Amz-Signature") continue;
    pairs.push([name, uriEncode(safeDecode(eq === -1 ? "" : part.slice(eq + 1)))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  let out = "";
  for (const [name, value] of pairs) out += `${out ? "&" : ""}${name}=${value}`;
  return out;
}

/** Query parameters decoded into a map (first occurrence wins), for reading presigned X-Amz-* values. */
export function queryParameters(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = safeDecode(eq === -1 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, safeDecode(eq === -1 ? "" : part.slice(eq + 1)));
  }
  return out;
}
