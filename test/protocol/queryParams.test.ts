import { describe, expect, it } from "vitest";
import { isAwsError } from "../../src/errors.js";
import { parseForm, parseQueryString } from "../../src/protocol/queryParams.js";

const read = (parse: (text: string) => Map<string, string>, text: string) => Object.fromEntries(parse(text));

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isAwsError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("AWS Query parameters", () => {
  it("reads a form body's + as a space, as application/x-www-form-urlencoded says", () => {
    expect(read(parseForm, "Name=a+b%2Bc")).toEqual({ Name: "a b+c" });
  });

  it("reads the URL query's + as a plus sign, as SigV4 canonicalises it (a space is %20)", () => {
    expect(read(parseQueryString, "Name=a+b%2Bc%20d")).toEqual({ Name: "a+b+c d" });
    expect(read(parseQueryString, "SAMLAssertion=PD94+bWw/")).toEqual({ SAMLAssertion: "PD94+bWw/" });
  });

  it("refuses a bad percent-escape in either, with MalformedQueryString", () => {
    expect(refusal(() => parseQueryString("Name=%zz"))).toBe(
      "MalformedQueryString: Invalid percent-encoding in request parameters: '%zz'",
    );
    expect(refusal(() => parseForm("Name=%E0%A4"))).toBe(
      "MalformedQueryString: Invalid percent-encoding in request parameters: '%E0%A4'",
    );
  });

  it("refuses a parameter given twice, however it is encoded, and across the URL and the body", () => {
    expect(refusal(() => parseQueryString("Action=A&%41ction=B"))).toBe(
      "MalformedQueryString: Parameter 'Action' appears more than once in the request",
    );
    expect(refusal(() => parseForm("Version=2", parseQueryString("Version=1")))).toBe(
      "MalformedQueryString: Parameter 'Version' appears more than once in the request",
    );
  });
});
