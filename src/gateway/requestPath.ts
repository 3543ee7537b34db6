/**
 * A request path checked for the shapes that let what is authorised differ from what a backend serves: a
 * dot segment (raw or encoded, or with a ';' parameter as in '..;'), an empty segment, an encoded '/' or '\', a raw '\', NUL or another control
 * character, a malformed percent escape, or bytes that are not UTF-8. Any of these is refused (400) before
 * authentication; otherwise the route and the execute-api ARN use the decoded segments, and the backend
 * receives the path exactly as sent.
 */
export type PathCheck = { segments: string[] } | { refused: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

/** `path` is the part of the request target before '?', as sent; "/" has no segments. */
export function checkRequestPath(path: string): PathCheck {
  if (!path.startsWith("/")) return { refused: "The request path must start with /" };
  if (path === "/") return { segments: [] };
  const segments: string[] = [];
  let from = 1;
  for (;;) {
    const slash = path.indexOf("/", from);
    const raw = slash === -1 ? path.slice(from) : path.slice(from, slash);
    const decoded = decodeSegment(raw);
    if (typeof decoded !== "string") return decoded;
    segments.push(decoded);
    if (slash === -1) return { segments };
    from = slash + 1;
  }
}

function decodeSegment(raw: string): string | { refused: string } {
  if (raw === "") return { refused: "The request path has an empty segment (// or a trailing /)" };
  // The common case, a segment of plain characters, needs no decoding.
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 /* % */) plain = false;
    else if (c === 0x5c) return { refused: "The request path holds a backslash" };
    else if (c < 0x21 || c > 0x7e)
      return { refused: "The request path holds a control or non-ASCII character" };
  }
  const text = plain ? raw : percentDecode(raw);
  if (typeof text !== "string") return text;
  if (text === "." || text === "..") return { refused: `The request path has a '${text}' segment` };
  // Servlet containers (Tomcat, Jetty) strip ';' path parameters before resolving dot segments: '..;' is '..'.
  if (text.startsWith(".;") || text.startsWith("..;"))
    return { refused: `The request path has a '${text.startsWith(".;") ? ".;" : "..;"}' segment` };
  return text;
}

function percentDecode(raw: string): string | { refused: string } {
  const bytes = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 0x25) {
      bytes[n++] = c;
      continue;
    }
    const hi = hexValue(raw.charCodeAt(i + 1));
    const lo = hexValue(raw.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return { refused: "The request path holds a malformed percent escape" };
    const b = hi * 16 + lo;
    if (b === 0x2f) return { refused: "The request path holds an encoded slash (%2F)" };
    if (b === 0x5c) return { refused: "The request path holds an encoded backslash (%5C)" };
    if (b === 0) return { refused: "The request path holds an encoded NUL (%00)" };
    if (b < 0x20 || b === 0x7f) return { refused: "The request path holds an encoded control character" };
    bytes[n++] = b;
    i += 2;
  }
  try {
    return decoder.decode(bytes.subarray(0, n));
  } catch {
    return { refused: "The request path is not valid UTF-8 once percent-decoded" };
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
