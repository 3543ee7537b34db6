import type { ContextMap } from "./types.js";
import { literalForPattern } from "./wildcard.js";

/**
 * Policy variables (Version 2012-10-17 only): `${aws:username}`, any context key, the escapes `${*}` `${?}`
 * `${$}`, and defaults `${key, 'default'}`. A key missing from the context with no default makes the
 * element it appears in match nothing (returns undefined), as AWS documents.
 */
const VARIABLE = /\$\{([^}]*)\}/g;

export function hasVariables(text: string): boolean {
  return text.includes("${");
}

/** A text split once into its literal runs and its variables, so that each request only concatenates. */
type Piece =
  | string
  /** `${*}` `${?}` (literal when substituted into a pattern) and `${$}`. */
  | { escape: "*" | "?" | "$" }
  /**
   * A variable: its key lower-cased, the default when one is written well (`${key, 'x'}`), whether a comma was
   * there at all (a default that is not a quoted string makes the variable unresolvable when the key is
   * missing), and its text as written (variableKeys reports that).
   */
  | { key: string; fallback?: string; comma: boolean; written: string };

/** Parsed texts by text: policy texts recur on every request. Bounded; texts past MAX_CACHED_TEXT are parsed each time. */
const parsed = new Map<string, readonly Piece[]>();
const MAX_PARSED = 4096;
const MAX_CACHED_TEXT = 2048;

function pieces(text: string): readonly Piece[] {
  const cached = parsed.get(text);
  if (cached !== undefined) return cached;
  const out: Piece[] = [];
  let at = 0;
  for (const match of text.matchAll(VARIABLE)) {
    if (match.index > at) out.push(text.slice(at, match.index));
    at = match.index + match[0].length;
    const body = match[1]!.trim();
    if (body === "*" || body === "?" || body === "$") {
      out.push({ escape: body });
      continue;
    }
    const comma = body.indexOf(",");
    const key = (comma === -1 ? body : body.slice(0, comma)).trim().toLowerCase();
    const fallback = comma === -1 ? undefined : /^'([^']*)'$/.exec(body.slice(comma + 1).trim())?.[1];
    out.push({ key, fallback, comma: comma !== -1, written: body });
  }
  if (at < text.length) out.push(text.slice(at));
  if (text.length <= MAX_CACHED_TEXT) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, out);
  }
  return out;
}

/**
 * Substitutes variables. With `forPattern`, substituted values and escapes are marked literal so that a
 * '*' in a user name is not a wildcard.
 */
export function substitute(text: string, context: ContextMap, forPattern: boolean): string | undefined {
  let out = "";
  for (const piece of pieces(text)) {
    if (typeof piece === "string") out += piece;
    else if ("escape" in piece)
      out += piece.escape !== "$" && forPattern ? literalForPattern(piece.escape) : piece.escape;
    else {
      const value = context.get(piece.key)?.[0] ?? piece.fallback;
      if (value === undefined) return undefined;
      out += forPattern ? literalForPattern(value) : value;
    }
  }
  return out;
}

/** The context keys a text's variables read, as written (escapes and variables with defaults excluded). */
export function variableKeys(text: string): string[] {
  const keys: string[] = [];
  for (const piece of pieces(text))
    if (typeof piece !== "string" && "key" in piece && !piece.comma) keys.push(piece.written);
  return keys;
}
