import { describe, expect, it } from "vitest";
import { buildContext } from "../../../src/core/policy/context.js";

describe("request context", () => {
  it("lower-cases keys and turns every value into a list of strings", () => {
    const context = buildContext({
      "aws:SecureTransport": true,
      "aws:EpochTime": 5,
      "aws:TagKeys": ["a", "b"],
    });
    expect([...context]).toEqual([
      ["aws:securetransport", ["true"]],
      ["aws:epochtime", ["5"]],
      ["aws:tagkeys", ["a", "b"]],
    ]);
  });

  it("reads only the input's own keys, never what its prototype lends it", () => {
    // What a plain object becomes when a client's key named __proto__ is assigned to it: the value (here a
    // list) is its prototype, and `for...in` would have read the list's indices as context keys.
    const input: Record<string, string[]> = {};
    for (const [name, values] of [
      ["__proto__", ["x"]],
      ["aws:username", ["carol"]],
    ] as const)
      input[name] = [...values];
    expect([...buildContext(input).keys()]).toEqual(["aws:username"]);
  });
});
