import { describe, expect, it } from "vitest";
import { allow, decide } from "./helpers.js";

/**
 * ARN segments are split at the first five colons, except that a colon inside a policy variable of a
 * 2012-10-17 policy (`${aws:PrincipalAccount}`, a tag key such as `${aws:PrincipalTag/team:id}`) belongs
 * to the variable. The request's own ARN is never a pattern: every colon in it separates.
 */
describe("ARN segments and policy variables", () => {
  const get = (Resource: string, version = "2012-10-17") => ({
    ...(allow({ Action: "s3:GetObject", Resource }) as object),
    Version: version,
  });

  it("keeps a variable whose name has two colons in its segment", () => {
    const p = get("arn:aws:iam::${aws:PrincipalTag/team:account}:role/*");
    const context = { "aws:PrincipalTag/team:account": "111122223333" };
    expect(decide(p, { resource: "arn:aws:iam::111122223333:role/r", context })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:iam::444455556666:role/r", context })).toBe("implicitDeny");
  });

  it("reads an unterminated ${ as text, splitting at its colon", () => {
    const p = get("arn:aws:iam::${aws:PrincipalAccount:role/r");
    // Segments: account "${aws", resource "PrincipalAccount:role/r": nothing real matches, nothing throws.
    expect(
      decide(p, {
        resource: "arn:aws:iam::111122223333:role/r",
        context: { "aws:PrincipalAccount": "111122223333" },
      }),
    ).toBe("implicitDeny");
    expect(decide(p, { resource: "arn:aws:iam::${aws:PrincipalAccount:role/r" })).toBe("allowed");
  });

  it("splits a request ARN that holds ${ text at every colon, like any other", () => {
    const p = get("arn:aws:iam::*:role/*");
    expect(decide(p, { resource: "arn:aws:iam::${x:y}:role/r" })).toBe("implicitDeny");
    expect(decide(get("arn:aws:s3:::bucket/*"), { resource: "arn:aws:s3:::bucket/${a:b}" })).toBe("allowed");
  });

  it("takes ${...} literally in a 2008-10-17 policy, colons included", () => {
    const p = get("arn:aws:iam::${aws:PrincipalAccount}:role/r", "2008-10-17");
    const context = { "aws:PrincipalAccount": "111122223333" };
    expect(decide(p, { resource: "arn:aws:iam::111122223333:role/r", context })).toBe("implicitDeny");
    expect(decide(p, { resource: "arn:aws:iam::${aws:PrincipalAccount}:role/r", context })).toBe("allowed");
  });

  it("resolves a variable that only fills part of a segment, and the escapes", () => {
    const p = get("arn:aws:iam::${aws:PrincipalAccount}:role/${*}-${aws:username}");
    const context = { "aws:PrincipalAccount": "111122223333", "aws:username": "carol" };
    expect(decide(p, { resource: "arn:aws:iam::111122223333:role/*-carol", context })).toBe("allowed");
    expect(decide(p, { resource: "arn:aws:iam::111122223333:role/x-carol", context })).toBe("implicitDeny");
  });
});
