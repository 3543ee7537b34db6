import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  literalForPattern,
  wildcardComparisons,
  wildcardMatcher,
} from "../../../src/core/policy/wildcard.js";

/**
 * The RegExp fedsim compiled wildcards to before (anchored, `u` flag, `i` for actions), kept here only as
 * the oracle the matcher must agree with. It is run on short strings alone: on long ones it is the problem.
 */
function oldRegExp(pattern: string, ignoreCase: boolean): RegExp {
  let source = "^";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "\uE000") source += "\\*";
    else if (ch === "\uE001") source += "\\?";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${source}$`, ignoreCase ? "iu" : "u");
}

const PAIR = "\u{1F600}";
const HIGH = "\uD83D";
const LOW = "\uDE00";
const KELVIN = "\u212A";
const LONG_S = "\u017F";
// Characters that exercise every rule: wildcards, the literal markers, surrogates whole and lone, the two
// non-ASCII letters that fold to ASCII, and RegExp syntax characters that must stay literal.
const valueChars = [
  "a",
  "b",
  "A",
  "k",
  "K",
  "s",
  "*",
  "?",
  ".",
  "$",
  "\uE000",
  PAIR,
  HIGH,
  LOW,
  KELVIN,
  LONG_S,
];
const patternChars = [...valueChars, "*", "*", "?", "?", "\uE001"];
const asciiPatternChars = ["a", "b", "A", "B", "k", "K", "s", "S", "-", ":", "*", "*", "?"];
const text = (chars: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...chars), { maxLength }).map((parts) => parts.join(""));

describe("wildcard matching", () => {
  it("agrees with the old anchored `u` RegExp on generated patterns and values", () => {
    fc.assert(
      fc.property(text(patternChars, 8), text(valueChars, 10), (pattern, value) => {
        expect(wildcardMatcher(pattern, false).test(value)).toBe(oldRegExp(pattern, false).test(value));
      }),
      { seed: 20261125, numRuns: 20_000 },
    );
  });

  it("agrees with the old `iu` RegExp when ignoring case, as actions are matched", () => {
    fc.assert(
      fc.property(text(asciiPatternChars, 8), text(valueChars, 10), (pattern, value) => {
        expect(wildcardMatcher(pattern, true).test(value)).toBe(oldRegExp(pattern, true).test(value));
      }),
      { seed: 20261126, numRuns: 20_000 },
    );
  });

  it("lets '*' match nothing and '?' exactly one character", () => {
    expect(wildcardMatcher("a*b", false).test("ab")).toBe(true);
    expect(wildcardMatcher("a?b", false).test("ab")).toBe(false);
    expect(wildcardMatcher("a?b", false).test("axb")).toBe(true);
    expect(wildcardMatcher("a?b", false).test("axxb")).toBe(false);
    expect(wildcardMatcher("*", false).test("")).toBe(true);
    expect(wildcardMatcher("", false).test("")).toBe(true);
    expect(wildcardMatcher("", false).test("a")).toBe(false);
  });

  it("never lets the first and last segments overlap", () => {
    expect(wildcardMatcher("ab*ba", false).test("aba")).toBe(false);
    expect(wildcardMatcher("ab*ba", false).test("abba")).toBe(true);
  });

  it("reads a surrogate pair as one character and a lone surrogate as one too", () => {
    expect(wildcardMatcher("?", false).test(PAIR)).toBe(true);
    expect(wildcardMatcher("??", false).test(PAIR)).toBe(false);
    expect(wildcardMatcher("?", false).test(HIGH)).toBe(true);
    expect(wildcardMatcher(`*${LOW}`, false).test(PAIR)).toBe(false);
    expect(wildcardMatcher(`${HIGH}*`, false).test(PAIR)).toBe(false);
    expect(wildcardMatcher(`*${PAIR}?`, false).test(`x${PAIR}${PAIR}`)).toBe(true);
  });

  it("keeps substituted '*' and '?' literal", () => {
    const pattern = `home/${literalForPattern("a*?")}/*`;
    expect(wildcardMatcher(pattern, false).test("home/a*?/x")).toBe(true);
    expect(wildcardMatcher(pattern, false).test("home/abc/x")).toBe(false);
    expect(wildcardMatcher(pattern, false).test("home/a*x/x")).toBe(false);
  });

  it("ignores case for actions as the `iu` flag did, the Kelvin sign and long s included", () => {
    const m = wildcardMatcher("kms:Get*", true);
    expect(m.test("KMS:getKey")).toBe(true);
    expect(m.test(`${KELVIN}m${LONG_S}:GetKey`)).toBe(true);
    // Dotless i upper-cases to I but does not fold to i: no match, as before.
    expect(wildcardMatcher("iam:*", true).test("\u0131am:GetUser")).toBe(false);
    expect(wildcardMatcher("kms:*", false).test("KMS:GetKey")).toBe(false);
  });

  it("refuses a non-ASCII pattern to ignore case, which no action name is", () => {
    expect(() => wildcardMatcher("é*", true)).toThrow(TypeError);
  });

  it("compiles each pattern once", () => {
    expect(wildcardMatcher("s3:Get*", true)).toBe(wildcardMatcher("s3:Get*", true));
    expect(wildcardMatcher("s3:Get*", true)).not.toBe(wildcardMatcher("s3:Get*", false));
  });
});

describe("wildcard matching work", () => {
  const tenStars = "*a".repeat(10);
  // Patterns a backtracking engine spends (length)^(stars) or (length × segment)^2 on, with their answer
  // for a value of n-1 'a's and a final 'b'.
  const adversarial: { pattern: string; matches: boolean }[] = [
    { pattern: tenStars, matches: false },
    { pattern: `${tenStars}*`, matches: true },
    { pattern: `${tenStars}?`, matches: true },
    { pattern: `${tenStars}*c`, matches: false },
    { pattern: `${tenStars}*c*`, matches: false },
    { pattern: "*aaaaaaaaac*", matches: false },
    { pattern: "*a?a?a?a?a?c*", matches: false },
    { pattern: `${"*?".repeat(10)}b`, matches: true },
  ];
  const longestSegment = (pattern: string) => Math.max(...pattern.split("*").map((s) => s.length));

  for (const { pattern, matches } of adversarial) {
    it(`grows linearly with the value's length for ${pattern}`, () => {
      const counts = [50, 500, 5000].map((n) => {
        const value = `${"a".repeat(n - 1)}b`;
        const result = wildcardComparisons(pattern, value);
        expect(result.matches).toBe(matches);
        // The bound the algorithm promises: value length × longest segment, plus pattern length.
        expect(result.comparisons).toBeLessThanOrEqual(n * longestSegment(pattern) + pattern.length);
        return result.comparisons;
      });
      // Affine in the length: the 4,500 characters from 500 to 5,000 cost ten times the 450 from 50 to 500.
      expect(counts[2]! - counts[1]!).toBe(10 * (counts[1]! - counts[0]!));
    });
  }

  it("grows linearly with the pattern's length for a fixed value", () => {
    const value = `${"a".repeat(4999)}b`;
    const counts = [10, 100, 1000].map((stars) => {
      const pattern = `${"*a?".repeat(stars)}*b`;
      const result = wildcardComparisons(pattern, value);
      expect(result.matches).toBe(true);
      expect(result.comparisons).toBeLessThanOrEqual(value.length * 2 + pattern.length);
      return result.comparisons;
    });
    expect(counts[2]! - counts[1]!).toBe(10 * (counts[1]! - counts[0]!));
    // And a pattern that fails after scanning the whole value costs no more than one pass per segment start.
    const failing = wildcardComparisons(`${"*a?".repeat(1000)}*c*`, value);
    expect(failing.matches).toBe(false);
    expect(failing.comparisons).toBeLessThanOrEqual(value.length * 2 + 3001);
  });
});

describe("wildcard matching work for long pieces", () => {
  const n = 10_000;
  // What the naive scan spent: every start position compared up to the whole piece.
  const naive = (m: number) => n * m;

  it("finds a 1,000-character piece without '?' in O(n + m) steps however often the value almost holds it", () => {
    const piece = `${"a".repeat(999)}b`;
    const pattern = `*${piece}*`;
    for (const [value, matches] of [
      ["a".repeat(n), false],
      [`${"a".repeat(n - 1)}b`, true],
      [`${"a".repeat(n / 2)}b${"a".repeat(n / 2 - 1)}`, true],
    ] as const) {
      const result = wildcardComparisons(pattern, value);
      expect(result.matches).toBe(matches);
      // KMP compares each value character at most twice and builds its table in at most 2m; compiling reads
      // the pattern once.
      expect(result.comparisons).toBeLessThanOrEqual(2 * (n + piece.length) + pattern.length);
      expect(result.comparisons).toBeLessThan(naive(piece.length) / 100);
    }
  });

  it("keeps the cost linear in the value's length for a long literal piece", () => {
    const pattern = `*${"a".repeat(999)}b*c`;
    const counts = [10_000, 20_000, 40_000].map((length) => {
      const result = wildcardComparisons(pattern, `${"a".repeat(length - 1)}c`);
      expect(result.matches).toBe(false);
      return result.comparisons;
    });
    expect(counts[2]! - counts[1]!).toBe(2 * (counts[1]! - counts[0]!));
  });

  it("finds a long literal piece ignoring case, the Kelvin sign included, in O(n + m) steps", () => {
    const pattern = `s3:*${"k".repeat(999)}x*`;
    const value = `s3:${"K\u212Ak".repeat(n / 3)}X`;
    const result = wildcardComparisons(pattern, value, true);
    expect(result.matches).toBe(true);
    expect(result.comparisons).toBeLessThanOrEqual(2 * (value.length + 1000) + pattern.length);
  });

  it("finds a piece of up to 32 characters with '?' inside in one step per character of value", () => {
    const pattern = `*${"a?".repeat(15)}b*`;
    for (const [value, matches] of [
      ["a".repeat(n), false],
      [`${"a".repeat(n - 1)}b`, true],
    ] as const) {
      const result = wildcardComparisons(pattern, value);
      expect(result.matches).toBe(matches);
      // One step per character scanned, plus compiling the pattern and its masks.
      expect(result.comparisons).toBeLessThanOrEqual(n + 2 * pattern.length);
    }
  });

  it("finds a longer piece with '?' inside in one step per 32 characters of piece per character of value", () => {
    const piece = `${"a?".repeat(500)}b`;
    const result = wildcardComparisons(`*${piece}*`, "a".repeat(n));
    expect(result.matches).toBe(false);
    expect(result.comparisons).toBeLessThanOrEqual(n * Math.ceil(piece.length / 32) + 2 * (piece.length + 2));
    expect(result.comparisons).toBeLessThan(naive(piece.length) / 15);
  });

  it("absorbs '?' at the ends of a piece into the '*' beside them, at no cost per '?'", () => {
    const pattern = `*${"?".repeat(1000)}b${"?".repeat(1000)}*`;
    for (const [value, matches] of [
      ["a".repeat(n), false],
      [`${"a".repeat(1000)}b${"a".repeat(1000)}`, true],
      [`${"a".repeat(1000)}b${"a".repeat(999)}`, false],
    ] as const) {
      const result = wildcardComparisons(pattern, value);
      expect(result.matches).toBe(matches);
      expect(result.comparisons).toBeLessThanOrEqual(2 * (value.length + pattern.length));
    }
  });
});
