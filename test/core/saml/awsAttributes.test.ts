import { describe, expect, it } from "vitest";
import {
  parseRoleAttribute,
  parseRoleSessionName,
  parseSessionDuration,
  parseSessionTags,
  parseSourceIdentity,
  parseTransitiveTagKeys,
  readAwsSamlAttributes,
  samlNameQualifier,
  samlSubjectType,
  samlTrustContext,
  selectRolePair,
} from "../../../src/core/saml/awsAttributes.js";
import { expectAwsError, PROVIDER, ROLE, responseXml, verifyXml } from "../../saml/fixtures.js";

const A = "https://aws.amazon.com/SAML/Attributes/";

describe("AWS SAML attributes", () => {
  it("parses Role pairs in either order", () => {
    expect(parseRoleAttribute([`${ROLE},${PROVIDER}`, ` ${PROVIDER} , ${ROLE} `])).toEqual([
      { roleArn: ROLE, principalArn: PROVIDER },
      { roleArn: ROLE, principalArn: PROVIDER },
    ]);
  });

  it("accepts role paths and other partitions", () => {
    const role = "arn:aws-cn:iam::123456789012:role/teams/pets/Admin";
    expect(parseRoleAttribute([`${role},arn:aws-cn:iam::123456789012:saml-provider/Idp`])[0]?.roleArn).toBe(
      role,
    );
  });

  for (const value of [
    ROLE,
    `${ROLE},${ROLE}`,
    `${ROLE},arn:aws:iam::12345:saml-provider/X`,
    `${ROLE},${PROVIDER},extra`,
  ]) {
    it(`rejects the Role value "${value}"`, () => {
      expectAwsError(
        () => parseRoleAttribute([value]),
        "InvalidIdentityToken",
        `Invalid Role attribute value "${value}": expected a role ARN and a SAML provider ARN separated by a comma`,
      );
    });
  }

  it("requires the Role attribute", () => {
    expectAwsError(
      () => parseRoleAttribute(undefined),
      "InvalidIdentityToken",
      `The SAML assertion has no ${A}Role attribute`,
    );
  });

  it("selects the requested pair, or denies", () => {
    const pairs = parseRoleAttribute([`${ROLE},${PROVIDER}`]);
    expect(selectRolePair(pairs, ROLE, PROVIDER)).toEqual({ roleArn: ROLE, principalArn: PROVIDER });
    expectAwsError(
      () => selectRolePair(pairs, "arn:aws:iam::123456789012:role/Other", PROVIDER),
      "AccessDenied",
      "Not authorized to perform sts:AssumeRoleWithSAML",
    );
  });

  it("requires RoleSessionName and checks it with AWS's messages", () => {
    expect(parseRoleSessionName(["alice@example.com"])).toBe("alice@example.com");
    expectAwsError(
      () => parseRoleSessionName([]),
      "InvalidIdentityToken",
      "RoleSessionName is required in AuthnResponse",
    );
    for (const bad of [["a"], ["x".repeat(65)], ["alice smith"], ["a", "b"]]) {
      expectAwsError(
        () => parseRoleSessionName(bad),
        "InvalidIdentityToken",
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
      );
    }
  });

  it("bounds SessionDuration to 900..43200", () => {
    expect(parseSessionDuration(undefined)).toBeUndefined();
    expect(parseSessionDuration(["900"])).toBe(900);
    expect(parseSessionDuration(["43200"])).toBe(43200);
    for (const bad of ["899", "43201", "1e3", "-1", "3600.5"]) {
      expectAwsError(
        () => parseSessionDuration([bad]),
        "InvalidIdentityToken",
        "SessionDuration in AuthnResponse must be an integer between 900 and 43200",
      );
    }
  });

  it("reads PrincipalTag attributes as session tags and checks TransitiveTagKeys against them", () => {
    const tags = parseSessionTags({
      [`${A}PrincipalTag:team`]: ["pets"],
      [`${A}PrincipalTag:cost-center`]: ["42"],
      other: ["x"],
    });
    expect(tags).toEqual([
      { key: "team", value: "pets" },
      { key: "cost-center", value: "42" },
    ]);
    expect(parseTransitiveTagKeys(["Team"], tags)).toEqual(["Team"]);
    expectAwsError(
      () => parseTransitiveTagKeys(["project"], tags),
      "InvalidIdentityToken",
      "Transitive tag key project is not one of the session tags",
    );
    expectAwsError(
      () => parseSessionTags({ [`${A}PrincipalTag:team`]: ["a", "b"] }),
      "InvalidIdentityToken",
      "Session tag team must have exactly one value of at most 256 characters",
    );
    expectAwsError(
      () => parseSessionTags({ [`${A}PrincipalTag:team`]: ["a"], [`${A}PrincipalTag:TEAM`]: ["b"] }),
      "InvalidIdentityToken",
      "Duplicate session tag key TEAM (tag keys are case-insensitive)",
    );
    expectAwsError(
      () => parseSessionTags({ [`${A}PrincipalTag:aws:x`]: ["a"] }),
      "InvalidIdentityToken",
      'Session tag key "aws:x" is not valid',
    );
  });

  it("checks SourceIdentity", () => {
    expect(parseSourceIdentity(["alice"])).toBe("alice");
    expectAwsError(
      () => parseSourceIdentity(["aws:alice"]),
      "InvalidIdentityToken",
      "SourceIdentity in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}",
    );
  });

  it("computes NameQualifier as AWS documents: BASE64(SHA1(issuer + account + '/' + provider))", () => {
    // Expected value computed independently: printf %s "https://example.com/saml123456789012/MySAMLIdP" | openssl sha1 -binary | base64
    expect(samlNameQualifier("https://example.com/saml", "123456789012", "MySAMLIdP")).toBe(
      "1uAJanUnBc2XeUkHURMht+xam2c=",
    );
  });

  it("shortens SAML 2.0 NameID formats for SAML:sub_type and keeps others whole", () => {
    expect(samlSubjectType("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")).toBe("persistent");
    expect(samlSubjectType("urn:oasis:names:tc:SAML:2.0:nameid-format:transient")).toBe("transient");
    expect(samlSubjectType("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")).toBe(
      "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    );
  });

  it("service flow: verify → parse roles → build the trust-policy context", () => {
    const assertion = verifyXml(
      responseXml({
        attributes: {
          [`${A}Role`]: [`${ROLE},${PROVIDER}`],
          [`${A}RoleSessionName`]: ["alice"],
          [`${A}SessionDuration`]: ["7200"],
          [`${A}PrincipalTag:team`]: ["pets"],
          [`${A}TransitiveTagKeys`]: ["team"],
          "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"],
        },
      }),
    );
    const claims = readAwsSamlAttributes(assertion.attributes);
    expect(claims).toEqual({
      roles: [{ roleArn: ROLE, principalArn: PROVIDER }],
      roleSessionName: "alice",
      sessionDuration: 7200,
      tags: [{ key: "team", value: "pets" }],
      transitiveTagKeys: ["team"],
    });
    expect(samlTrustContext({ assertion, accountId: "123456789012", providerName: "ExampleIdP" })).toEqual({
      "SAML:aud": "https://signin.aws.amazon.com/saml",
      "SAML:iss": "https://idp.example.com/saml",
      "SAML:sub": "alice@example.com",
      "SAML:sub_type": "persistent",
      "SAML:namequalifier": samlNameQualifier("https://idp.example.com/saml", "123456789012", "ExampleIdP"),
      "SAML:doc": "123456789012/ExampleIdP",
      "SAML:edupersonaffiliation": ["staff", "member"],
    });
  });
});
