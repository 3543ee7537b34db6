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

/**
 * Substitutes variables. With `forPattern`, substituted values and escapes are marked literal so that a
 * '*' in a user name is not a wildcard.
 */
export function substitute(text: string, context: ContextMap, forPattern: boolean): string | undefined {
  let missing = false;
  const out = text.replace(VARIABLE, (_whole, inner: string) => {
    const body = inner.trim();
    if (body === "*" || body === "?") return forPattern ? literalForPattern(body) : body;
    if (body === "$") return "$";
    const comma = body.indexOf(",");
    const key = (comma === -1 ? body : body.slice(0, comma)).trim().toLowerCase();
    const value = context.get(key)?.[0];
    if (value !== undefined) return forPattern ? literalForPattern(value) : value;
    if (comma !== -1) {
      const fallback = /^'([^']*)'$/.exec(body.slice(comma + 1).trim());
      if (fallback) return forPattern ? literalForPattern(fallback[1]!) : fallback[1]!;
    }
    missing = true;
    return "";
  });
  return missing ? undefined : out;
}

/** The context keys a text's variables read, as written (escapes and variables with defaults excluded). */
export function variableKeys(text: string): string[] {
  const keys: string[] = [];
  for (const [, inner] of text.matchAll(VARIABLE)) {
    const body = inner!.trim();
    if (body === "*" || body === "?" || body === "$" || body.includes(",")) continue;
    keys.push(body);
  }
  return keys;
}
