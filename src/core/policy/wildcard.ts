/**
 * IAM wildcards: '*' any run of characters (including none), '?' exactly one. Compiled to an anchored
 * RegExp once per pattern; everything else is literal.
 */
// Private-use characters stand for a literal '*' or '?' that came from a substituted policy variable or
// the ${*} / ${?} escapes, so that those never act as wildcards.
const LITERAL_STAR = "\uE000";
const LITERAL_QUESTION = "\uE001";

/**
 * Compiled patterns, bounded: patterns with variables are compiled per request after substitution, and the
 * same few values (a user's name, a session's id) come back again and again.
 */
const cache = new Map<string, RegExp>();
const MAX_CACHED = 4096;

export function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = ignoreCase ? `i${pattern}` : `s${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileWildcard(pattern, ignoreCase);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

function compileWildcard(pattern: string, ignoreCase: boolean): RegExp {
  let source = "^";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === LITERAL_STAR) source += "\\*";
    else if (ch === LITERAL_QUESTION) source += "\\?";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${source}$`, ignoreCase ? "iu" : "u");
}

/** Marks a substituted value's '*' and '?' as literal characters for wildcardRegExp. */
export function literalForPattern(value: string): string {
  return value.replace(/[*?]/g, (c) => (c === "*" ? LITERAL_STAR : LITERAL_QUESTION));
}
