import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../src/core/policy/parse.js";
import { isAwsError } from "../../../src/errors.js";

function rejection(document: unknown, kind?: "identity" | "resource" | "trust"): string {
  try {
    parsePolicy(typeof document === "string" ? document : JSON.stringify(document), { kind });
  } catch (error) {
    expect(isAwsError(error) && error.code).toBe("MalformedPolicyDocument");
    return (error as Error).message;
  }
  throw new Error("expected MalformedPolicyDocument");
}

const ok = { Effect: "Allow", Action: "s3:GetObject", Resource: "*" };
const doc = (statement: object) => ({ Version: "2012-10-17", Statement: [statement] });

describe("policy grammar", () => {
  it("accepts a statement given as an object or a list", () => {
    expect(parsePolicy(JSON.stringify({ Version: "2012-10-17", Statement: ok })).statements).toHaveLength(1);
    expect(parsePolicy(JSON.stringify(doc(ok))).statements[0]!.effect).toBe("Allow");
  });

  it.each([
    ["{not json", "Syntax errors in policy."],
    [[1, 2], "Syntax errors in policy."],
  ])("rejects text that is not a JSON object (%s)", (text, message) => {
    expect(rejection(typeof text === "string" ? text : JSON.stringify(text))).toBe(message);
  });

  it("rejects an unknown Version", () => {
    expect(rejection({ Version: "2020-01-01", Statement: [ok] })).toMatch(
      /^The policy failed legacy parsing/,
    );
  });

  it("rejects unknown top-level and statement fields", () => {
    expect(rejection({ Version: "2012-10-17", Statment: [ok] })).toBe(
      "Syntax errors in policy: unknown field Statment",
    );
    expect(rejection(doc({ ...ok, Actions: "s3:*" }))).toBe("Syntax errors in policy: unknown field Actions");
  });

  it("rejects a bad Effect", () => {
    expect(rejection(doc({ ...ok, Effect: "allow" }))).toBe("Invalid effect: allow");
    expect(rejection(doc({ Action: "s3:*", Resource: "*" }))).toBe("Invalid effect: missing");
  });

  it("requires exactly one of Action and NotAction", () => {
    expect(rejection(doc({ Effect: "Allow", Resource: "*" }))).toBe("Policy statement must contain actions.");
    expect(rejection(doc({ ...ok, NotAction: "s3:*" }))).toBe(
      "Policy statement must contain either Action or NotAction, not both.",
    );
  });

  it("requires actions to name a service", () => {
    expect(rejection(doc({ ...ok, Action: "GetObject" }))).toBe(
      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. Got: GetObject",
    );
  });

  it("requires exactly one of Resource and NotResource outside trust policies", () => {
    expect(rejection(doc({ Effect: "Allow", Action: "s3:*" }))).toBe(
      "Policy statement must contain resources.",
    );
    expect(rejection(doc({ ...ok, NotResource: "*" }))).toBe(
      "Policy statement must contain either Resource or NotResource, not both.",
    );
    expect(rejection(doc({ ...ok, Resource: "bucket" }))).toBe(
      'Resource bucket must be in ARN format or "*".',
    );
  });

  it("forbids a Principal in identity policies and requires one in resource and trust policies", () => {
    expect(rejection(doc({ ...ok, Principal: "*" }))).toBe("Policy document should not specify a principal.");
    expect(rejection(doc(ok), "resource")).toBe("Missing required field Principal");
    expect(rejection(doc({ Effect: "Allow", Action: "sts:AssumeRole" }), "trust")).toBe(
      "Missing required field Principal",
    );
  });

  it("forbids Resource in a trust policy", () => {
    expect(rejection(doc({ ...ok, Principal: { AWS: "111122223333" } }), "trust")).toBe(
      "Has prohibited field Resource",
    );
  });

  it("rejects malformed principals", () => {
    expect(rejection(doc({ ...ok, Principal: { AWS: "carol" } }), "resource")).toBe(
      'Invalid principal in policy: "AWS":"carol"',
    );
    expect(rejection(doc({ ...ok, Principal: { Person: "x" } }), "resource")).toBe(
      'Invalid principal in policy: unknown principal type "Person"',
    );
    // A wildcard may stand for every principal ("*"), never for part of an ARN.
    expect(
      rejection(doc({ ...ok, Principal: { AWS: "arn:aws:iam::111122223333:role/*" } }), "resource"),
    ).toBe('Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:role/*"');
  });

  it("rejects duplicate and non-alphanumeric Sids", () => {
    expect(
      rejection({
        Version: "2012-10-17",
        Statement: [
          { ...ok, Sid: "A" },
          { ...ok, Sid: "A" },
        ],
      }),
    ).toBe("Statement IDs (SID) in a single policy must be unique.");
    expect(rejection(doc({ ...ok, Sid: "has space" }))).toBe(
      'Statement IDs (SID) must be alpha-numeric: "has space"',
    );
  });

  it("fails closed on unknown condition operators", () => {
    expect(rejection(doc({ ...ok, Condition: { StringEqualz: { "aws:username": "x" } } }))).toBe(
      "Invalid Condition type : StringEqualz",
    );
    expect(
      rejection(doc({ ...ok, Condition: { "ForSomeValues:StringEquals": { "aws:TagKeys": "x" } } })),
    ).toBe("Invalid Condition type : ForSomeValues:StringEquals");
    expect(rejection(doc({ ...ok, Condition: { NullIfExists: { "aws:username": "true" } } }))).toBe(
      "Invalid Condition type : NullIfExists",
    );
  });

  // Each used to be found on Object.prototype: the policy was stored, and every later evaluation threw.
  const PROTOTYPE_NAMES = [
    "toString",
    "constructor",
    "hasOwnProperty",
    "__proto__",
    "valueOf",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "__defineGetter__",
    "__lookupGetter__",
  ];
  const withCondition = (operator: string) =>
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",` +
    `"Condition":{${JSON.stringify(operator)}:{"aws:username":"x"}}}]}`;
  it.each(
    PROTOTYPE_NAMES.flatMap((name) => [
      name,
      `ForAnyValue:${name}`,
      `ForAllValues:${name}`,
      `${name}IfExists`,
    ]),
  )("refuses the condition operator %s, named like an Object.prototype member", (operator) => {
    expect(rejection(withCondition(operator))).toBe(`Invalid Condition type : ${operator}`);
  });

  it.each(PROTOTYPE_NAMES)("refuses %s as a statement field, policy field or principal type", (name) => {
    const field = JSON.stringify(name);
    expect(
      rejection(
        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*",${field}:1}]}`,
      ),
    ).toBe(`Syntax errors in policy: unknown field ${name}`);
    expect(rejection(`{"Version":"2012-10-17",${field}:1,"Statement":[]}`)).toBe(
      `Syntax errors in policy: unknown field ${name}`,
    );
    expect(
      rejection(
        `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Principal":{${field}:"x"}}]}`,
        "resource",
      ),
    ).toBe(`Invalid principal in policy: unknown principal type "${name}"`);
  });

  it("rejects condition values that are not scalars", () => {
    expect(rejection(doc({ ...ok, Condition: { StringEquals: { "aws:username": { a: 1 } } } }))).toMatch(
      /must be strings, numbers or booleans/,
    );
  });

  it("records where each statement sits in the source, as the simulator reports it", () => {
    const text =
      '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {"Effect": "Deny", "Action": "s3:Delete*", "Resource": "*"}\n  ]\n}';
    const [first, second] = parsePolicy(text).statements;
    expect(first!.start).toEqual({ line: 4, column: 5 });
    expect(first!.end).toEqual({ line: 4, column: 59 });
    expect(second!.start).toEqual({ line: 5, column: 5 });
  });
});
