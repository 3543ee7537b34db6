/**
 * RFC 3986 percent-encoding as SigV4 wants it: every byte except the unreserved A-Z a-z 0-9 - . _ ~ is
 * %XX with upper-case hex; '/' kept only when encoding a path. encodeURIComponent leaves !'()* alone,
 * so those are escaped afterwards.
 */
export function uriEncode(value: string, keepSlash = false): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    // Lone surrogates cannot be UTF-8 encoded; encode them as the replacement character, as WHATWG URL does.
    encoded = encodeURIComponent(
      value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"),
    );
  }
  encoded = encoded.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

/** Percent-decoding that never throws: a malformed escape is left as written (it then fails to match). */
export function safeDecode(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
