/**
 * Start and end (1-based line/column) of each entry of the top-level "Statement" in a policy's JSON text,
 * found by one pass over the text that tracks strings and nesting. IAM's simulator reports statements by
 * these positions.
 */
export interface Span {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export function statementSpans(text: string): Span[] {
  const ranges: [number, number][] = [];
  let depth = 0;
  let inString = false;
  let lastKey = "";
  let keyStart = -1;
  let statementDepth = -1; // depth of the Statement value's container (array) or object itself
  let itemStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1) lastKey = text.slice(keyStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      keyStart = i;
    } else if (c === "{" || c === "[") {
      depth++;
      if (depth === 2 && lastKey === "Statement" && statementDepth === -1) {
        statementDepth = c === "[" ? 2 : 1;
        if (c === "{") itemStart = i;
      } else if (statementDepth === 2 && depth === 3) itemStart = i;
    } else if (c === "}" || c === "]") {
      if (statementDepth === 2 && depth === 3 && itemStart !== -1) ranges.push([itemStart, i]);
      if (statementDepth === 1 && depth === 2 && itemStart !== -1) ranges.push([itemStart, i]);
      if (depth === 2 && statementDepth !== -1) lastKey = "";
      depth--;
    } else if (c === ":" && depth === 1) {
      // lastKey stays the key just read; reset on the next key.
    } else if (c === "," && depth === 1) {
      lastKey = "";
    }
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const at = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  return ranges.map(([s, e]) => ({ start: at(s), end: at(e + 1) }));
}
