/**
 * The canonical header block for the signed headers: lower-case names, values trimmed with inner runs of
 * whitespace collapsed to one space, repeated headers joined with ',' in the order received. A signed
 * header the request does not carry canonicalises as empty, so the signature simply fails to match.
 */
export function canonicalHeaders(rawHeaders: readonly string[], signedHeaders: readonly string[]): string {
  let out = "";
  for (const name of signedHeaders) {
    let value: string | undefined;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.toLowerCase() !== name) continue;
      const v = normaliseValue(rawHeaders[i + 1]!);
      value = value === undefined ? v : `${value},${v}`;
    }
    out += `${name}:${value ?? ""}\n`;
  }
  return out;
}

function normaliseValue(value: string): string {
  return value.trim().replace(/\s+/g, " ");
}

/** The first value of a header, case-insensitively; undefined when absent. */
export function headerValue(rawHeaders: readonly string[], lowerName: string): string | undefined {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.length === lowerName.length && rawHeaders[i]!.toLowerCase() === lowerName)
      return rawHeaders[i + 1];
  }
  return undefined;
}
