import { describe, expect, it } from "vitest";
import {
  chooseMappedRole,
  type MappingRule,
  type RoleMapping,
  ruleMatches,
} from "../../../src/core/cognito/roleMapping.js";

const rule = (MatchType: MappingRule["MatchType"], Value: string, Claim = "groups"): MappingRule => ({
  Claim,
  MatchType,
  Value,
  RoleARN: `arn:aws:iam::123456789012:role/${MatchType}`,
});
const claims = (entries: Record<string, unknown>) => new Map(Object.entries(entries));

describe("role mapping rules", () => {
  const cases: [string, MappingRule, Record<string, unknown>, boolean][] = [
    ["Equals matches the same text", rule("Equals", "admins"), { groups: "admins" }, true],
    ["Equals is case-sensitive", rule("Equals", "admins"), { groups: "Admins" }, false],
    ["Equals matches one value of a list", rule("Equals", "admins"), { groups: ["staff", "admins"] }, true],
    ["Contains matches a substring", rule("Contains", "dmin"), { groups: "admins" }, true],
    [
      "Contains matches a substring of a list value",
      rule("Contains", "dmin"),
      { groups: ["x", "admins"] },
      true,
    ],
    ["StartsWith matches a prefix", rule("StartsWith", "adm"), { groups: "admins" }, true],
    ["StartsWith does not match inside", rule("StartsWith", "min"), { groups: "admins" }, false],
    ["NotEqual matches another value", rule("NotEqual", "guests"), { groups: "admins" }, true],
    [
      "NotEqual fails when any list value is equal",
      rule("NotEqual", "guests"),
      { groups: ["a", "guests"] },
      false,
    ],
    ["NotEqual on a missing claim does not match", rule("NotEqual", "guests"), {}, false],
    ["Equals on a missing claim does not match", rule("Equals", "admins"), {}, false],
    ["a number claim compares as text", rule("Equals", "42", "level"), { level: 42 }, true],
    [
      "a boolean claim compares as text",
      rule("Equals", "true", "email_verified"),
      { email_verified: true },
      true,
    ],
    ["an object claim matches nothing", rule("Equals", "[object Object]", "o"), { o: {} }, false],
    [
      "a claim named __proto__ is a claim like any other",
      rule("Equals", "x", "__proto__"),
      { ["__proto__"]: "x" },
      true,
    ],
  ];
  for (const [name, r, c, expected] of cases)
    it(name, () => expect(ruleMatches(r, claims(c))).toBe(expected));

  const rules = (resolution: "AuthenticatedRole" | "Deny", list: MappingRule[]): RoleMapping => ({
    Type: "Rules",
    AmbiguousRoleResolution: resolution,
    RulesConfiguration: { Rules: list },
  });

  it("takes the first rule that matches, in order", () => {
    const choice = chooseMappedRole(
      rules("Deny", [rule("Equals", "nobody"), rule("Contains", "adm"), rule("StartsWith", "a")]),
      claims({ groups: "admins" }),
      undefined,
    );
    expect(choice).toMatchObject({ kind: "role", roleArn: "arn:aws:iam::123456789012:role/Contains" });
    expect(choice.why).toContain("rule 2");
  });

  it("falls to AmbiguousRoleResolution when nothing matches", () => {
    const none = claims({ groups: "customers" });
    expect(chooseMappedRole(rules("Deny", [rule("Equals", "admins")]), none, undefined).kind).toBe("deny");
    expect(
      chooseMappedRole(rules("AuthenticatedRole", [rule("Equals", "admins")]), none, undefined).kind,
    ).toBe("default");
  });
});

describe("Token role mapping", () => {
  const token: RoleMapping = { Type: "Token", AmbiguousRoleResolution: "Deny" };
  const a = "arn:aws:iam::123456789012:role/A";
  const b = "arn:aws:iam::123456789012:role/B";

  it("uses cognito:preferred_role", () => {
    expect(
      chooseMappedRole(token, claims({ "cognito:preferred_role": b, "cognito:roles": [a, b] }), undefined),
    ).toMatchObject({ kind: "role", roleArn: b });
  });

  it("uses the only entry of cognito:roles", () => {
    expect(chooseMappedRole(token, claims({ "cognito:roles": [a] }), undefined)).toMatchObject({
      roleArn: a,
    });
  });

  it("lets CustomRoleArn choose among cognito:roles, and only among them", () => {
    expect(chooseMappedRole(token, claims({ "cognito:roles": [a, b] }), a)).toMatchObject({ roleArn: a });
    expect(chooseMappedRole(token, claims({ "cognito:roles": [b] }), a).kind).toBe("refuse");
  });

  it("is ambiguous with several roles and no preference, or none at all", () => {
    expect(chooseMappedRole(token, claims({ "cognito:roles": [a, b] }), undefined).kind).toBe("deny");
    expect(
      chooseMappedRole({ ...token, AmbiguousRoleResolution: "AuthenticatedRole" }, claims({}), undefined)
        .kind,
    ).toBe("default");
  });
});
