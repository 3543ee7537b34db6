/**
 * JSON objects for JOSE headers and claim sets, parsed so that no two parsers can disagree about them.
 * JSON.parse keeps the last of duplicate member names while other libraries keep the first, so
 * `{"alg":"none","alg":"RS256"}` or `{"sub":"alice","sub":"admin"}` could mean one thing to the signer and
 * another here. RFC 7515 §4 lets a verifier either reject duplicates or take the last; fedsim rejects them.
 */
export type JsonObjectResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

export function parseJsonObject(text: string): JsonObjectResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: "is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, problem: "is not a JSON object" };
  }
  const duplicate = duplicateMemberName(text);
  if (duplicate !== undefined) {
    return { ok: false, problem: `names the member "${duplicate.slice(0, 80)}" twice in one object` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * The first member name that appears twice in one object, anywhere in `text`, which must already be valid
 * JSON. One linear pass with an explicit stack (no recursion, so nesting depth cannot overflow it); names are
 * compared after unescaping, so `"alg"` and `"\u0061lg"` are the same name.
 */
function duplicateMemberName(text: string): string | undefined {
  // One entry per open container: the names seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectingName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = closingQuote(text, i);
      const names = open.at(-1);
      if (names && expectingName) {
        // Without a backslash the raw characters are the name (the text is valid JSON); only escapes need parsing.
        const raw = text.slice(i + 1, end);
        const name = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (names.has(name)) return name;
        names.add(name);
        expectingName = false;
      }
      i = end;
    } else if (c === "{") {
      open.push(new Set());
      expectingName = true;
    } else if (c === "[") {
      open.push(null);
      expectingName = false;
    } else if (c === "}" || c === "]") {
      open.pop();
      expectingName = false;
    } else if (c === ",") {
      expectingName = open.at(-1) instanceof Set;
    }
  }
  return undefined;
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}
