import { describe, expect, it } from "vitest";
import { parseJsonObject } from "../../../src/core/oidc/strictJson.js";

describe("parseJsonObject", () => {
  it("returns the object when every name is unique within its own object", () => {
    const text = '{"a":{"x":1},"b":{"x":2},"c":[{"x":3},{"x":4}],"d":"\\"x\\":{,}"}';
    expect(parseJsonObject(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it.each([
    ["at the top level", '{"alg":"none","alg":"RS256"}', "alg"],
    ["once spelled with an escape", '{"alg":"RS256","\\u0061lg":"none"}', "alg"],
    ["inside a nested object", '{"a":{"role":"user","b":[1,{"c":2}],"role":"admin"}}', "role"],
    ["after a string value holding a comma and a brace", '{"s":"},{","s":1}', "s"],
  ])("refuses a name repeated %s", (_where, text, name) => {
    expect(parseJsonObject(text)).toEqual({
      ok: false,
      problem: `names the member "${name}" twice in one object`,
    });
  });

  it.each([
    ["an array", "[1]", "is not a JSON object"],
    ["null", "null", "is not a JSON object"],
    ["text that is not JSON", "{'a':1}", "is not valid JSON"],
  ])("refuses %s", (_what, text, problem) => {
    expect(parseJsonObject(text)).toEqual({ ok: false, problem });
  });

  it("scans deeply nested input without recursion", () => {
    const deep = `{"a":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    expect(parseJsonObject(deep).ok).toBe(true);
  });
});
