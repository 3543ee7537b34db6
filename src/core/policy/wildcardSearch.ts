/**
 * Finding one piece of a wildcard pattern (the text between two '*') leftmost in a window of the value, in
 * time that does not multiply the value's length by the piece's:
 * - '?' at either end of a piece is absorbed by the '*' beside it: "???x" leftmost is "x" leftmost three
 *   characters in, and "x???" is "x" leftmost with room for three more after it;
 * - a piece without '?' inside is found by Knuth–Morris–Pratt, O(value + piece);
 * - a piece with '?' between literal characters is found by bit-parallel shift-and, one 32-bit word per 32
 *   characters of piece for each character of value: linear up to 32 characters, value × piece / 32 beyond;
 * - when shift-and's table (a bit mask per distinct character) would be too large, the piece's longest run
 *   without '?' is found by KMP and each occurrence verified, value × piece in the worst case.
 * Every step is charged (wildcardSteps.ts), so what stays super-linear is bounded where a budget is set.
 *
 * Characters are code points; a lone surrogate counts as one. KMP compares UTF-16 code units instead, which
 * is the same thing for an occurrence that begins and ends on a code point boundary: a piece's code units,
 * read alone, split into the piece's code points, and so do the value's between two boundaries.
 */
import { charge } from "./wildcardSteps.js";

/** In a compiled piece, the code point that matches any one character ('?'). */
export const ANY = -1;
export const MISMATCH = -1;
/** The piece ran past the end of the room it may use: no later start can fit it either. */
export const NO_ROOM = -2;

/** Beyond this many words of masks, shift-and gives way to verifying the longest run's occurrences. */
export const MAX_MASK_WORDS = 1 << 18;

/** Finds a piece leftmost: the end of the first occurrence within value[from, limit), or -1. */
export interface PieceFinder {
  find(value: string, from: number, limit: number): number;
  /** Memory the finder holds, in 32-bit words, so that the pattern cache can bound it. */
  readonly words: number;
}

/**
 * Case folding as the `iu` RegExp flag does it for an ASCII pattern: ASCII letters, plus the two code points
 * whose simple case folding is an ASCII letter (KELVIN SIGN to k, LATIN SMALL LETTER LONG S to s). None of
 * them is a surrogate, so folding code units is folding code points.
 */
export function fold(cp: number): number {
  if (cp >= 0x41 && cp <= 0x5a) return cp + 0x20;
  if (cp === 0x212a) return 0x6b;
  if (cp === 0x17f) return 0x73;
  return cp;
}

/** Matches a piece at `at` without reading past `limit`: the index after it, MISMATCH or NO_ROOM. */
export function matchAt(
  piece: Int32Array,
  ignoreCase: boolean,
  value: string,
  at: number,
  limit: number,
): number {
  let i = at;
  let k = 0;
  for (; k < piece.length; k++) {
    if (i >= limit) {
      charge(k);
      return NO_ROOM;
    }
    const v = value.codePointAt(i)!;
    const p = piece[k]!;
    if (p !== ANY && p !== (ignoreCase ? fold(v) : v)) {
      charge(k + 1);
      return MISMATCH;
    }
    i += v > 0xffff ? 2 : 1;
  }
  charge(k);
  return i;
}

/** The index `count` code points before `end`, or -1 when the value is shorter than that. */
export function backBy(value: string, end: number, count: number): number {
  let i = end;
  for (let k = 0; k < count; k++) {
    if (i <= 0) return -1;
    const low = value.charCodeAt(i - 1);
    const high = i >= 2 ? value.charCodeAt(i - 2) : 0;
    i -= low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? 2 : 1;
  }
  return i;
}

/** The index `count` code points after `from`, or -1 when that passes `limit`. */
function forwardBy(value: string, from: number, count: number, limit: number): number {
  let i = from;
  for (let k = 0; k < count; k++) {
    if (i >= limit) return -1;
    i += value.codePointAt(i)! > 0xffff ? 2 : 1;
  }
  charge(count);
  return i <= limit ? i : -1;
}

/** Whether index `i` is not between the two halves of a surrogate pair. */
function onBoundary(value: string, i: number): boolean {
  const low = value.charCodeAt(i);
  if (!(low >= 0xdc00 && low <= 0xdfff)) return true;
  const high = value.charCodeAt(i - 1);
  return !(high >= 0xd800 && high <= 0xdbff);
}

export function pieceFinder(
  piece: Int32Array,
  ignoreCase: boolean,
  maxMaskWords = MAX_MASK_WORDS,
): PieceFinder {
  let lead = 0;
  while (lead < piece.length && piece[lead] === ANY) lead++;
  let trail = 0;
  while (trail < piece.length - lead && piece[piece.length - 1 - trail] === ANY) trail++;
  const core = piece.subarray(lead, piece.length - trail);
  if (core.length === 0)
    return { find: (value, from, limit) => forwardBy(value, from, lead, limit), words: 0 };
  const inner = core.includes(ANY)
    ? (shiftAnd(core, ignoreCase, maxMaskWords) ?? anchored(core, ignoreCase))
    : literal(core, ignoreCase);
  if (lead === 0 && trail === 0) return inner;
  return {
    find: (value, from, limit) => {
      const start = forwardBy(value, from, lead, limit);
      const end = start < 0 ? -1 : inner.find(value, start, limit);
      return end < 0 ? -1 : forwardBy(value, end, trail, limit);
    },
    words: inner.words,
  };
}

interface Kmp {
  units: Uint16Array;
  /** fail[i]: the length of the longest proper prefix of units[0..i] that is also its suffix. */
  fail: Int32Array;
  ignoreCase: boolean;
}

function kmp(literalPiece: Int32Array, ignoreCase: boolean): Kmp {
  const encoded: number[] = [];
  for (const cp of literalPiece) {
    if (cp > 0xffff) encoded.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else encoded.push(cp);
  }
  const units = Uint16Array.from(encoded);
  const fail = new Int32Array(units.length);
  let k = 0;
  let steps = 0;
  for (let i = 1; i < units.length; i++) {
    while (k > 0 && units[i] !== units[k]) {
      k = fail[k - 1]!;
      steps++;
    }
    steps++;
    if (units[i] === units[k]) k++;
    fail[i] = k;
  }
  charge(steps);
  return { units, fail, ignoreCase };
}

/**
 * The end of the first occurrence within value[from, limit) that begins and ends on a code point boundary,
 * or -1. `matched` code units are already matched just before `from` (0 for a fresh search; after a hit at
 * `end`, searching on from `end` with `fail[m - 1]` finds the next one).
 */
function kmpFind(k: Kmp, value: string, from: number, limit: number, matched: number): number {
  const { units, fail, ignoreCase } = k;
  const m = units.length;
  let j = matched;
  let steps = 0;
  for (let i = from; i < limit; i++) {
    const c = ignoreCase ? fold(value.charCodeAt(i)) : value.charCodeAt(i);
    while (j > 0 && units[j] !== c) {
      j = fail[j - 1]!;
      steps++;
    }
    steps++;
    if (units[j] === c && ++j === m) {
      if (onBoundary(value, i + 1 - m) && onBoundary(value, i + 1)) {
        charge(steps);
        return i + 1;
      }
      j = fail[m - 1]!;
    }
  }
  charge(steps);
  return -1;
}

function literal(core: Int32Array, ignoreCase: boolean): PieceFinder {
  const k = kmp(core, ignoreCase);
  return { find: (value, from, limit) => kmpFind(k, value, from, limit, 0), words: 2 * k.units.length };
}

/**
 * Shift-and over code points: bit i of the state is set when the piece's first i + 1 characters end at the
 * current character. Only words up to one past the highest non-zero word can change, so a value that rarely
 * matches more than a prefix costs about one word per character, however long the piece.
 */
function shiftAnd(core: Int32Array, ignoreCase: boolean, maxMaskWords: number): PieceFinder | undefined {
  const m = core.length;
  const wordCount = (m + 31) >>> 5;
  const distinct = new Set<number>();
  for (const p of core) if (p !== ANY) distinct.add(p);
  const words = (distinct.size + 1) * wordCount;
  if (words > maxMaskWords) return undefined;
  const any = new Int32Array(wordCount);
  for (let k = 0; k < m; k++) if (core[k] === ANY) any[k >>> 5] = any[k >>> 5]! | (1 << (k & 31));
  const masks = new Map<number, Int32Array>();
  for (const p of distinct) masks.set(p, any.slice());
  for (let k = 0; k < m; k++) {
    const mask = masks.get(core[k]!);
    if (mask !== undefined) mask[k >>> 5] = mask[k >>> 5]! | (1 << (k & 31));
  }
  charge(words);
  const lastWord = (m - 1) >>> 5;
  const lastBit = 1 << ((m - 1) & 31);
  return {
    words,
    find(value, from, limit) {
      const state = new Int32Array(wordCount);
      let top = -1;
      let pending = 0;
      for (let i = from; i < limit; ) {
        const v = value.codePointAt(i)!;
        const mask = masks.get(ignoreCase ? fold(v) : v) ?? any;
        const high = top + 1 < wordCount ? top + 1 : wordCount - 1;
        let carry = 1;
        top = -1;
        for (let w = 0; w <= high; w++) {
          const d = state[w]!;
          const next = ((d << 1) | carry) & mask[w]!;
          carry = d >>> 31;
          state[w] = next;
          if (next !== 0) top = w;
        }
        i += v > 0xffff ? 2 : 1;
        pending += high + 1;
        if ((state[lastWord]! & lastBit) !== 0) {
          charge(pending);
          return i;
        }
        // Charged in batches: a charge per character would cost as much as the one-word scan itself.
        if (pending >= 4096) {
          charge(pending);
          pending = 0;
        }
      }
      charge(pending);
      return -1;
    },
  };
}

/** The piece's longest run without '?', found by KMP; each occurrence is verified where the piece would start. */
function anchored(core: Int32Array, ignoreCase: boolean): PieceFinder {
  let best = 0;
  let bestLength = 0;
  for (let k = 0; k < core.length; ) {
    if (core[k] === ANY) {
      k++;
      continue;
    }
    let end = k;
    while (end < core.length && core[end] !== ANY) end++;
    if (end - k > bestLength) {
      best = k;
      bestLength = end - k;
    }
    k = end;
  }
  const run = kmp(core.subarray(best, best + bestLength), ignoreCase);
  const runUnits = run.units.length;
  return {
    words: 2 * runUnits,
    find(value, from, limit) {
      // The run cannot start before `best` characters into the window.
      let at = forwardBy(value, from, best, limit);
      let matched = 0;
      while (at >= 0) {
        const runEnd = kmpFind(run, value, at, limit, matched);
        if (runEnd < 0) return -1;
        const start = backBy(value, runEnd - runUnits, best);
        charge(best);
        const end = matchAt(core, ignoreCase, value, start, limit);
        if (end >= 0) return end;
        if (end === NO_ROOM) return -1;
        at = runEnd;
        matched = run.fail[runUnits - 1]!;
      }
      return -1;
    },
  };
}
