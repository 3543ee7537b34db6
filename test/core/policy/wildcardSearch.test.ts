import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANY, fold, pieceFinder } from "../../../src/core/policy/wildcardSearch.js";

const PAIR = "\u{1F600}";
const HIGH = "\uD83D";
const LOW = "\uDE00";
const KELVIN = "\u212A";
const LONG_S = "\u017F";

/**
 * The leftmost occurrence the obvious way, as the oracle: every code point boundary from `from` on, the
 * piece compared character by character, the end no further than `limit`.
 */
function naiveFind(piece: number[], ignoreCase: boolean, value: string, from: number, limit: number): number {
  const chars = Array.from(value);
  const offsets: number[] = [0];
  for (const c of chars) offsets.push(offsets[offsets.length - 1]! + c.length);
  for (let s = offsets.indexOf(from); s + piece.length < offsets.length; s++) {
    if (offsets[s + piece.length]! > limit) return -1;
    const hit = piece.every((p, k) => {
      const v = chars[s + k]!.codePointAt(0)!;
      return p === ANY || p === (ignoreCase ? fold(v) : v);
    });
    if (hit) return offsets[s + piece.length]!;
  }
  return -1;
}

/** As compileWildcard reads a piece: by code points, so that adjacent HIGH and LOW parts are one pair. */
const toPiece = (chars: string[], ignoreCase: boolean) =>
  Array.from(chars.join("")).map((c) =>
    c === "?" ? ANY : ignoreCase ? fold(c.codePointAt(0)!) : c.codePointAt(0)!,
  );

// Mostly 'a', so that long pieces match often and almost-match everywhere else.
const valueChars = ["a", "a", "a", "a", "b", "A", PAIR, HIGH, LOW];
const pieceChars = ["a", "a", "a", "?", "?", "b", PAIR, HIGH, LOW];
const asciiPieceChars = ["a", "a", "a", "?", "?", "b", "A", "k", "s", "S"];
const ignoreCaseValueChars = ["a", "a", "a", "A", "b", "k", "K", KELVIN, "s", LONG_S, PAIR];
const strategies = [
  // The default: KMP without '?' inside, shift-and with it.
  { name: "as chosen", maxMaskWords: undefined },
  // No room for masks: the longest literal run is found and each occurrence verified.
  { name: "verifying the longest run", maxMaskWords: 0 },
];

/** A value and a window [from, limit) of it whose ends are code point boundaries. */
const windowed = (chars: string[]) =>
  fc
    .tuple(fc.array(fc.constantFrom(...chars), { maxLength: 150, size: "medium" }), fc.nat(), fc.nat())
    .map(([parts, a, b]) => {
      // Boundaries of the joined value: a HIGH part followed by a LOW part join into one pair.
      const value = parts.join("");
      const offsets = [0];
      for (const c of value) offsets.push(offsets[offsets.length - 1]! + c.length);
      const i = a % offsets.length;
      const j = i + (b % (offsets.length - i));
      return { value, from: offsets[i]!, limit: offsets[j]! };
    });

/**
 * A piece and a value that holds it (its '?' filled in, one character perhaps changed) between random text,
 * so that long pieces are found, or missed by one character, as often as short ones.
 */
const planted = (pieceAlphabet: string[], valueAlphabet: string[], ignoreCase: boolean) =>
  fc
    .record({
      chars: fc.array(fc.constantFrom(...pieceAlphabet), { minLength: 1, maxLength: 80, size: "max" }),
      fill: fc.array(fc.constantFrom(...valueAlphabet), { minLength: 80, maxLength: 80, size: "max" }),
      before: fc.array(fc.constantFrom(...valueAlphabet), { maxLength: 60, size: "medium" }),
      after: fc.array(fc.constantFrom(...valueAlphabet), { maxLength: 60, size: "medium" }),
      changed: fc.option(fc.nat()),
      window: windowed(valueAlphabet),
    })
    .map(({ chars, fill, before, after, changed, window }) => {
      const held = chars.map((c, k) => (c === "?" ? fill[k]! : c));
      if (changed !== null) held[changed % held.length] = held[changed % held.length] === "b" ? "a" : "b";
      const value = [...before, ...held, ...after].join("");
      // Half the time the whole value, half a random window of some other value.
      return changed !== null && changed % 2 === 1
        ? { piece: toPiece(chars, ignoreCase), ...window }
        : { piece: toPiece(chars, ignoreCase), value, from: 0, limit: value.length };
    });

describe("finding one piece leftmost", () => {
  for (const { name, maxMaskWords } of strategies) {
    for (const ignoreCase of [false, true]) {
      it(`agrees with a character-by-character search, ${name}${ignoreCase ? ", ignoring case" : ""}`, () => {
        const [pieceAlphabet, valueAlphabet] = ignoreCase
          ? [asciiPieceChars, ignoreCaseValueChars]
          : [pieceChars, valueChars];
        fc.assert(
          fc.property(planted(pieceAlphabet, valueAlphabet, ignoreCase), ({ piece, value, from, limit }) => {
            const finder = pieceFinder(Int32Array.from(piece), ignoreCase, maxMaskWords);
            expect(finder.find(value, from, limit)).toBe(naiveFind(piece, ignoreCase, value, from, limit));
          }),
          { seed: ignoreCase ? 20261202 : 20261201, numRuns: 5000 },
        );
      });
    }
  }

  it("agrees with a character-by-character search for long pieces without '?', found by KMP", () => {
    const literalChars = pieceChars.filter((c) => c !== "?");
    fc.assert(
      fc.property(planted(literalChars, valueChars, false), ({ piece, value, from, limit }) => {
        expect(pieceFinder(Int32Array.from(piece), false).find(value, from, limit)).toBe(
          naiveFind(piece, false, value, from, limit),
        );
      }),
      { seed: 20261203, numRuns: 5000 },
    );
  });

  it("never finds a lone surrogate inside a pair, nor a pair's half at a window's edge", () => {
    const find = (piece: string, value: string) =>
      pieceFinder(Int32Array.from(Array.from(piece, (c) => c.codePointAt(0)!)), false).find(
        value,
        0,
        value.length,
      );
    expect(find(LOW, PAIR)).toBe(-1);
    expect(find(HIGH, PAIR)).toBe(-1);
    expect(find(`${LOW}a`, `${PAIR}a${LOW}a`)).toBe(5);
    expect(find(`a${HIGH}`, `a${PAIR}a${HIGH}`)).toBe(5);
    expect(find(PAIR, `${HIGH}${HIGH}${LOW}`)).toBe(3);
  });
});
