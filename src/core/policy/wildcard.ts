/**
 * IAM wildcards: '*' any run of characters (including none), '?' exactly one; everything else is literal.
 *
 * No pattern ever becomes a RegExp: a backtracking engine spends (value length)^(stars) on `*a*a*a…` against
 * a value that almost matches, and a policy writer (or a read-only caller of SimulateCustomPolicy) chooses
 * both. Instead the pattern is split at '*' into fixed-length segments; the first is anchored at the start,
 * the last at the end, and each one between is found leftmost after the one before. Leftmost is always safe:
 * the '*' after a segment absorbs whatever a later placement would have skipped. Every start position is
 * tried by one segment at most, so the work is at most value length × longest segment, plus pattern length.
 *
 * Characters are code points, as the `u` RegExp flag read them before: '?' takes a surrogate pair whole, and
 * a lone surrogate counts as one character.
 */
// Private-use characters stand for a literal '*' or '?' that came from a substituted policy variable or
// the ${*} / ${?} escapes, so that those never act as wildcards.
const LITERAL_STAR = "\uE000";
const LITERAL_QUESTION = "\uE001";

/** A compiled pattern: `test` answers whether the whole value matches. */
export interface WildcardMatcher {
  readonly pattern: string;
  test(value: string): boolean;
}

/** In a compiled segment, the code point that matches any one character ('?'). */
const ANY = -1;
const MISMATCH = -1;
/** The segment ran past the end of the room it may use: no later start can fit it either. */
const NO_ROOM = -2;

interface Compiled {
  /** The pattern split at '*' (runs of '*' count once), as code points; ANY for '?'. */
  segments: Int32Array[];
  /** Whether the pattern holds a '*' at all; without one the single segment must be the whole value. */
  starred: boolean;
  ignoreCase: boolean;
}

/**
 * Compiled patterns, bounded in count and size: patterns with variables are compiled per request after
 * substitution, and the same few values (a user's name, a session's id) come back again and again.
 */
const cache = new Map<string, WildcardMatcher>();
const MAX_CACHED = 4096;
const MAX_CACHED_CHARS = 1 << 22;
let cachedChars = 0;

export function wildcardMatcher(pattern: string, ignoreCase: boolean): WildcardMatcher {
  const key = ignoreCase ? `i${pattern}` : `s${pattern}`;
  let matcher = cache.get(key);
  if (matcher === undefined) {
    const compiled = compileWildcard(pattern, ignoreCase);
    matcher = { pattern, test: (value) => matches(compiled, value) };
    if (cache.size >= MAX_CACHED || cachedChars + key.length > MAX_CACHED_CHARS) {
      cache.clear();
      cachedChars = 0;
    }
    cache.set(key, matcher);
    cachedChars += key.length;
  }
  return matcher;
}

/** Marks a substituted value's '*' and '?' as literal characters for wildcardMatcher. */
export function literalForPattern(value: string): string {
  return value.replace(/[*?]/g, (c) => (c === "*" ? LITERAL_STAR : LITERAL_QUESTION));
}

/**
 * The match and the number of character comparisons it took, for tests that show the work is linear (a
 * count, unlike a time, does not depend on the machine).
 */
export function wildcardComparisons(
  pattern: string,
  value: string,
  ignoreCase = false,
): { matches: boolean; comparisons: number } {
  comparisons = 0;
  const result = matches(compileWildcard(pattern, ignoreCase), value);
  return { matches: result, comparisons };
}

let comparisons = 0;

function compileWildcard(pattern: string, ignoreCase: boolean): Compiled {
  const segments: Int32Array[] = [];
  let current: number[] = [];
  let starred = false;
  for (const ch of pattern) {
    if (ch === "*") {
      starred = true;
      // A run of stars is one star: an empty segment between them constrains nothing.
      if (current.length > 0 || segments.length === 0) segments.push(Int32Array.from(current));
      current = [];
      continue;
    }
    let cp: number;
    if (ch === "?") cp = ANY;
    else if (ch === LITERAL_STAR) cp = 0x2a;
    else if (ch === LITERAL_QUESTION) cp = 0x3f;
    else cp = ch.codePointAt(0)!;
    if (ignoreCase && cp > 0x7f) {
      // Only action names are matched ignoring case, and they are ASCII (parse.ts checks): ASCII alone keeps
      // the case folding below exactly the RegExp `iu` flag's.
      throw new TypeError(`ignore-case wildcard patterns must be ASCII, got ${JSON.stringify(pattern)}`);
    }
    current.push(ignoreCase ? fold(cp) : cp);
  }
  segments.push(Int32Array.from(current));
  return { segments, starred, ignoreCase };
}

/**
 * Case folding as the `iu` flag does it for an ASCII pattern: ASCII letters, plus the two code points whose
 * simple case folding is an ASCII letter (KELVIN SIGN to k, LATIN SMALL LETTER LONG S to s).
 */
function fold(cp: number): number {
  if (cp >= 0x41 && cp <= 0x5a) return cp + 0x20;
  if (cp === 0x212a) return 0x6b;
  if (cp === 0x17f) return 0x73;
  return cp;
}

function matches(c: Compiled, value: string): boolean {
  const { segments } = c;
  const n = value.length;
  const first = segments[0]!;
  if (!c.starred) return matchAt(c, first, value, 0, n) === n;
  let pos = matchAt(c, first, value, 0, n);
  if (pos < 0) return false;
  const last = segments[segments.length - 1]!;
  const lastStart = backBy(value, n, last.length);
  if (lastStart < pos || matchAt(c, last, value, lastStart, n) !== n) return false;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    for (let start = pos; ; start += width(value, start)) {
      const end = matchAt(c, segment, value, start, lastStart);
      if (end >= 0) {
        pos = end;
        break;
      }
      if (end === NO_ROOM) return false;
    }
  }
  return true;
}

/** Matches a segment at `at` without reading past `limit`: the index after it, MISMATCH or NO_ROOM. */
function matchAt(c: Compiled, segment: Int32Array, value: string, at: number, limit: number): number {
  let i = at;
  for (let k = 0; k < segment.length; k++) {
    if (i >= limit) return NO_ROOM;
    const v = value.codePointAt(i)!;
    comparisons++;
    const p = segment[k]!;
    if (p !== ANY && p !== (c.ignoreCase ? fold(v) : v)) return MISMATCH;
    i += v > 0xffff ? 2 : 1;
  }
  return i;
}

/** The index `count` code points before `end`, or -1 when the value is shorter than that. */
function backBy(value: string, end: number, count: number): number {
  let i = end;
  for (let k = 0; k < count; k++) {
    if (i <= 0) return -1;
    const low = value.charCodeAt(i - 1);
    const high = i >= 2 ? value.charCodeAt(i - 2) : 0;
    i -= low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
  }
  return i;
}

function width(value: string, at: number): number {
  return value.codePointAt(at)! > 0xffff ? 2 : 1;
}
