import { describe, expect, it } from "vitest";
import { matchesUserFilter, parseUserFilter } from "../../../src/core/cognito/userFilter.js";

describe("ListUsers filter grammar", () => {
  const parsed: [string, ReturnType<typeof parseUserFilter>][] = [
    [
      'email = "alice@petstore.example"',
      { ok: true, filter: { attribute: "email", prefix: false, value: "alice@petstore.example" } },
    ],
    ['given_name ^= "Jo"', { ok: true, filter: { attribute: "given_name", prefix: true, value: "Jo" } }],
    ['username="bob"', { ok: true, filter: { attribute: "username", prefix: false, value: "bob" } }],
    [
      '  name ^=  "say \\"hi\\""  ',
      { ok: true, filter: { attribute: "name", prefix: true, value: 'say "hi"' } },
    ],
    [
      'cognito:user_status = "unconfirmed"',
      { ok: true, filter: { attribute: "cognito:user_status", prefix: false, value: "unconfirmed" } },
    ],
    ["", { ok: true, filter: undefined }],
    ["   ", { ok: true, filter: undefined }],
  ];
  for (const [text, expected] of parsed)
    it(`reads ${JSON.stringify(text)}`, () => expect(parseUserFilter(text)).toEqual(expected));

  for (const text of [
    'email "x"',
    "email = x",
    'email = "x',
    'email = "x" and',
    'email != "x"',
    '= "x"',
    'email =~ "x"',
  ])
    it(`refuses ${JSON.stringify(text)} as a syntax error`, () =>
      expect(parseUserFilter(text)).toEqual({ ok: false, reason: "syntax" }));

  for (const attribute of ["custom:tier", "email_verified", "address", "toString"])
    it(`refuses ${attribute}, which Cognito does not search`, () =>
      expect(parseUserFilter(`${attribute} = "x"`)).toEqual({ ok: false, reason: "attribute", attribute }));

  it("reads a filter of many quotes and backslashes in one pass", () => {
    const value = '\\"'.repeat(120);
    const result = parseUserFilter(`name = "${value}"`);
    expect(result).toEqual({
      ok: true,
      filter: { attribute: "name", prefix: false, value: '"'.repeat(120) },
    });
  });

  const user = {
    username: "alice",
    sub: "5f2b",
    status: "CONFIRMED",
    enabled: false,
    attributes: { email: "alice@petstore.example" },
  };
  it("matches exactly, by prefix, status case-insensitively, and Enabled/Disabled", () => {
    expect(
      matchesUserFilter(user, { attribute: "email", prefix: false, value: "alice@petstore.example" }),
    ).toBe(true);
    expect(
      matchesUserFilter(user, { attribute: "email", prefix: false, value: "ALICE@petstore.example" }),
    ).toBe(false);
    expect(matchesUserFilter(user, { attribute: "email", prefix: true, value: "alice@" })).toBe(true);
    expect(
      matchesUserFilter(user, { attribute: "cognito:user_status", prefix: false, value: "confirmed" }),
    ).toBe(true);
    expect(matchesUserFilter(user, { attribute: "status", prefix: false, value: "Disabled" })).toBe(true);
    expect(matchesUserFilter(user, { attribute: "family_name", prefix: true, value: "" })).toBe(false);
  });
});
