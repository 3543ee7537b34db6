/**
 * IAM wildcards: '*' any run of characters (including none), '?' exactly one. Compiled to an anchored
 * RegExp once per pattern; everything else is literal.
 */
// Private-use characters stand for a literal '*' or '?' that came from a substituted policy variable or
// the ${*} / ${?} escapes, so that those never act as wildcards.
const LITERAL_STAR = "\uE000";
const LITERAL_QUESTION = "\uE001";

export function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
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
