/**
 * The canonical header block for the signed headers: lower-case names, values trimmed with inner runs of
 * whitespace collapsed to one space, repeated headers joined with ',' in the order received. A signed
 * header the request does not carry canonicalises as empty, so the signature simply fails to match.
 *
 * The block is a byte string (one character per byte), as Node's rawHeaders are: clients sign the bytes
 * they send (boto3 sends and signs UTF-8), so a header value must reach the hash as those bytes, not as
 * the UTF-8 encoding of their latin1 reading. Only ASCII whitespace is trimmed: 0xA0 may be the last
 * byte of a UTF-8 character ("à" is C3 A0).
 */
export function canonicalHeaders(rawHeaders: readonly string[], signedHeaders: readonly string[]): string {
  let out = "";
  for (const name of signedHeaders) {
    let value: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      // The length first: most names differ in it, and lower-casing each one for each signed header adds up.
      if (rawHeaders[i]!.length !== name.length || rawHeaders[i]!.toLowerCase() !== name) continue;
      const v = normaliseValue(rawHeaders[i + 1]!);
      value = value === undefined ? v : `${value},${v}`;
    }
    out += `${name}:${value ?? ""}\n`;
  }
  return out;
}

function normaliseValue(value: string): string {
  return toByteString(value)
    .replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "")
    .replace(/[\t\n\v\f\r ]+/g, " ");
}

/**
 * Node's rawHeaders are already byte strings; a value holding characters above U+00FF (from a caller
 * that is not Node's parser) cannot be, and is taken as text and encoded as UTF-8, as a client would send it.
 */
function toByteString(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a range test, not a pattern over text
  return /[^\u0000-\u00ff]/.test(value) ? Buffer.from(value, "utf8").toString("latin1") : value;
}

/** The first value of a header, case-insensitively; undefined when absent. */
export function headerValue(rawHeaders: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === lowerName.length && rawHeaders[i]!.toLowerCase() === lowerName)
      return rawHeaders[i + 1];
  }
  return undefined;
}
