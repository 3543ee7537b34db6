import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAwsError } from "../../../src/errors.js";
import { responseXml, verifyXml } from "../fixtures.js";

// Property: no single-character change anywhere in a signed Response can make the verifier
// accept different values. Either it is rejected with an AwsError (never a crash), or the change
// was outside what is read (e.g. whitespace in KeyInfo) and the result is identical.
describe("single-character mutations", () => {
  const xml = responseXml({ signResponse: true });
  const original = verifyXml(xml);

  it("are rejected with an AwsError or leave every returned value unchanged", () => {
    fc.assert(
      fc.property(fc.nat(xml.length - 1), fc.integer({ min: 0x20, max: 0x7e }), (at, code) => {
        const replacement = String.fromCharCode(code);
        fc.pre(xml[at] !== replacement);
        const mutated = xml.slice(0, at) + replacement + xml.slice(at + 1);
        try {
          expect(verifyXml(mutated)).toEqual(original);
        } catch (error) {
          if (!isAwsError(error)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
