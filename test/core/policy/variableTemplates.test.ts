import { describe, expect, it } from "vitest";
import type { ContextMap } from "../../../src/core/policy/types.js";
import { substitute, variableKeys } from "../../../src/core/policy/variables.js";
import { literalForPattern } from "../../../src/core/policy/wildcard.js";

/**
 * The regex-replace substitution the parsed templates replaced, kept here as the oracle: both must give the
 * same result for every text, context and mode, escapes, defaults and malformed variables included.
 */
function referenceSubstitute(text: string, context: ContextMap, forPattern: boolean): string | undefined {
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
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

function referenceKeys(text: string): string[] {
  const keys: string[] = [];
  for (const [, inner] of text.matchAll(/\$\{([^}]*)\}/g)) {
    const body = inner!.trim();
    if (body === "*" || body === "?" || body === "$" || body.includes(",")) continue;
    keys.push(body);
  }
  return keys;
}

const FRAGMENTS = [
  "${",
  "}",
  "aws:username",
  "AWS:UserName",
  ", 'dflt'",
  ",'x*'",
  ", x",
  ",",
  "'",
  "*",
  "?",
  "$",
  " ",
  "arn:aws:s3:::home/",
  "${aws:userid}",
  "${*}",
  "${ ? }",
  "${ $ }",
  "${missing, 'd?'}",
  "${missing,x}",
  "${aws:PrincipalTag/team}",
  "aws:PrincipalTag/team",
  "${aws:PrincipalTag/team, 'dflt'}",
  "${ AWS:UserName ,'z*'}",
  "${}",
  "${ , '' }",
];

/** A deterministic generator, so a failure names a text that fails again. */
function* texts(count: number): Generator<string> {
  let seed = 20261201;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < count; i++) {
    let text = "";
    const n = next() % 8;
    for (let j = 0; j < n; j++) text += FRAGMENTS[next() % FRAGMENTS.length];
    yield text;
  }
}

describe("policy variables, parsed once per text", () => {
  const contexts: ContextMap[] = [
    new Map(),
    new Map([
      ["aws:username", ["bob*"]],
      ["aws:userid", ["AIDA?x"]],
      ["aws:principaltag/team", [""]],
    ]),
  ];

  it("substitutes exactly as the regex replacement did, for 5,000 generated texts, both modes, twice (parse, then cache)", () => {
    let compared = 0;
    for (const text of texts(5000))
      for (const context of contexts)
        for (const forPattern of [false, true])
          for (let round = 0; round < 2; round++) {
            expect(substitute(text, context, forPattern), text).toBe(
              referenceSubstitute(text, context, forPattern),
            );
            compared++;
          }
    expect(compared).toBe(40_000);
  });

  it("lists the keys a text reads exactly as before", () => {
    for (const text of texts(5000)) expect(variableKeys(text), text).toEqual(referenceKeys(text));
  });

  it("treats a long text (past the cache's bound) the same", () => {
    const long = `${"a".repeat(3000)}\${aws:username}/\${missing, 'd'}`;
    const context: ContextMap = new Map([["aws:username", ["bob"]]]);
    expect(substitute(long, context, false)).toBe(`${"a".repeat(3000)}bob/d`);
    expect(substitute(long, context, false)).toBe(referenceSubstitute(long, context, false));
  });
});
