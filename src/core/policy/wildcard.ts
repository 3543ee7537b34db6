/**
 * IAM wildcards: '*' any run of characters (including none), '?' exactly one; everything else is literal.
 *
 * No pattern ever becomes a RegExp: a backtracking engine spends (value length)^(stars) on `*a*a*a…` against
 * a value that almost matches, and a policy writer (or a read-only caller of SimulateCustomPolicy) chooses
 * both. Instead the pattern is split at '*' into pieces of fixed length in characters; the first is anchored
 * at the start, the last at the end, and each one between is found leftmost after the one before. Leftmost
 * is always safe: the '*' after a piece absorbs whatever a later placement would have skipped. Each search
 * starts where the one before ended and wildcardSearch.ts finds a piece without '?' inside in linear time,
 * so a pattern whose pieces have no '?' between literal characters costs O(value + pattern); one with such
 * a piece costs up to value × piece / 32, counted so that a caller can bound it (withMatchBudget).
 *
 * Characters are code points, as the `u` RegExp flag read them before: '?' takes a surrogate pair whole, and
 * a lone surrogate counts as one character.
 */
import { ANY, backBy, fold, matchAt, type PieceFinder, pieceFinder } from "./wildcardSearch.js";
import { charge, stepsTaken } from "./wildcardSteps.js";

export { MatchBudgetExceeded, withMatchBudget } from "./wildcardSteps.js";

// Private-use characters stand for a literal '*' or '?' that came from a substituted policy variable or
// the ${*} / ${?} escapes, so that those never act as wildcards.
const LITERAL_STAR = "\uE000";
const LITERAL_QUESTION = "\uE001";

/** A compiled pattern: `test` answers whether the whole value matches. */
export interface WildcardMatcher {
  readonly pattern: string;
  test(value: string): boolean;
}

interface Compiled {
  /** Anchored at the start; the whole value when the pattern has no '*'. */
  first: Int32Array;
  /** Anchored at the end; undefined without a '*'. */
  last?: Int32Array;
  /** The pieces between, each found leftmost after the one before. */
  middle: PieceFinder[];
  ignoreCase: boolean;
  /** Memory held beyond the pattern itself (search tables), in 32-bit words, for the cache's bound. */
  words: number;
}

/**
 * Compiled patterns, bounded in count and size: patterns with variables are compiled per request after
 * substitution, and the same few values (a user's name, a session's id) come back again and again.
 */
const cache = new Map<string, WildcardMatcher>();
const MAX_CACHED = 4096;
const MAX_CACHED_SIZE = 1 << 22;
let cachedSize = 0;

export function wildcardMatcher(pattern: string, ignoreCase: boolean): WildcardMatcher {
  const key = ignoreCase ? `i${pattern}` : `s${pattern}`;
  // Looking the key up reads all of it, and a pattern looked up per request was just built by substituting
  // variables: that work is the pattern's length, counted like matching.
  charge(key.length);
  let matcher = cache.get(key);
  if (matcher === undefined) {
    const compiled = compileWildcard(pattern, ignoreCase);
    matcher = { pattern, test: (value) => matches(compiled, value) };
    const size = key.length + compiled.words;
    if (cache.size >= MAX_CACHED || cachedSize + size > MAX_CACHED_SIZE) {
      cache.clear();
      cachedSize = 0;
    }
    cache.set(key, matcher);
    cachedSize += size;
  }
  return matcher;
}

/** Marks a substituted value's '*' and '?' as literal characters for wildcardMatcher. */
export function literalForPattern(value: string): string {
  return value.replace(/[*?]/g, (c) => (c === "*" ? LITERAL_STAR : LITERAL_QUESTION));
}

/**
 * The match and the number of steps (wildcardSteps.ts) compiling the pattern and matching it took, for tests
 * that show the work is linear.
 */
export function wildcardComparisons(
  pattern: string,
  value: string,
  ignoreCase = false,
): { matches: boolean; comparisons: number } {
  const before = stepsTaken();
  const result = matches(compileWildcard(pattern, ignoreCase), value);
  return { matches: result, comparisons: stepsTaken() - before };
}

function compileWildcard(pattern: string, ignoreCase: boolean): Compiled {
  const pieces: Int32Array[] = [];
  let current: number[] = [];
  let starred = false;
  let length = 0;
  for (const ch of pattern) {
    length++;
    if (ch === "*") {
      starred = true;
      // A run of stars is one star: an empty piece between them constrains nothing.
      if (current.length > 0 || pieces.length === 0) pieces.push(Int32Array.from(current));
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
      // the case folding exactly the RegExp `iu` flag's.
      throw new TypeError(`ignore-case wildcard patterns must be ASCII, got ${JSON.stringify(pattern)}`);
    }
    current.push(ignoreCase ? fold(cp) : cp);
  }
  pieces.push(Int32Array.from(current));
  charge(length);
  if (!starred) return { first: pieces[0]!, middle: [], ignoreCase, words: 0 };
  const middle = pieces.slice(1, -1).map((piece) => pieceFinder(piece, ignoreCase));
  return {
    first: pieces[0]!,
    last: pieces[pieces.length - 1]!,
    middle,
    ignoreCase,
    words: middle.reduce((sum, finder) => sum + finder.words, 0),
  };
}

function matches(c: Compiled, value: string): boolean {
  const { first, last, ignoreCase } = c;
  const n = value.length;
  if (last === undefined) return matchAt(first, ignoreCase, value, 0, n) === n;
  let pos = matchAt(first, ignoreCase, value, 0, n);
  if (pos < 0) return false;
  const lastStart = backBy(value, n, last.length);
  if (lastStart < pos || matchAt(last, ignoreCase, value, lastStart, n) !== n) return false;
  for (const piece of c.middle) {
    pos = piece.find(value, pos, lastStart);
    if (pos < 0) return false;
  }
  return true;
}
