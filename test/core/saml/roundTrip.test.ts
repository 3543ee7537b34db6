import { describe, expect, it } from "vitest";
import { buildSamlResponseBase64 } from "../../../src/core/saml/buildResponse.js";
import { verifySamlResponse } from "../../../src/core/saml/verifyResponse.js";
import {
  AWS_RECIPIENT,
  ISSUER,
  idp,
  NOW,
  PROVIDER,
  ROLE,
  responseXml,
  verifyXml,
} from "../../saml/fixtures.js";

describe("buildSamlResponse → verifySamlResponse", () => {
  const attributes = {
    "https://aws.amazon.com/SAML/Attributes/Role": [
      `${ROLE},${PROVIDER}`,
      `${PROVIDER},arn:aws:iam::123456789012:role/Reader`,
    ],
    "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["alice"],
    "https://aws.amazon.com/SAML/Attributes/PrincipalTag:team": ["pets & <cats>"],
  };

  for (const [label, flags] of [
    ["a signed Assertion", { signAssertion: true, signResponse: false }],
    ["a signed Response", { signAssertion: false, signResponse: true }],
    ["both signed", { signAssertion: true, signResponse: true }],
  ] as const) {
    it(`verifies what the builder makes with ${label}`, () => {
      const encoded = buildSamlResponseBase64({
        issuer: ISSUER,
        privateKeyPem: idp.privateKeyPem,
        certificatePem: idp.certificatePem,
        nameId: "alice@example.com",
        recipient: AWS_RECIPIENT,
        attributes,
        now: NOW,
        sessionNotOnOrAfter: new Date(NOW.getTime() + 3_600_000),
        responseId: "_r",
        assertionId: "_a",
        ...flags,
      });
      const verified = verifySamlResponse(encoded, {
        trustedCertificates: [idp.certificatePem],
        now: NOW,
        issuer: ISSUER,
      });
      expect(verified).toEqual({
        responseId: "_r",
        assertionId: "_a",
        issuer: ISSUER,
        nameId: "alice@example.com",
        nameIdFormat: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        audience: "https://signin.aws.amazon.com/saml",
        recipient: AWS_RECIPIENT,
        notBefore: NOW,
        notOnOrAfter: new Date(NOW.getTime() + 300_000),
        replayRecordUntil: new Date(NOW.getTime() + 360_000),
        sessionNotOnOrAfter: new Date(NOW.getTime() + 3_600_000),
        authnInstant: NOW,
        issueInstant: NOW,
        attributes: expect.objectContaining(attributes),
      });
    });
  }

  it("accepts the trusted certificate as base64 DER as well as PEM", () => {
    const der = idp.certificatePem.replace(/-----[A-Z ]+-----|\s/g, "");
    expect(verifyXml(responseXml(), { trustedCertificates: [der] }).nameId).toBe("alice@example.com");
  });

  it("keeps an attribute named __proto__ as plain data", () => {
    const verified = verifyXml(
      responseXml({ attributes: { __proto__: ["x"] } as unknown as Record<string, string[]> }),
    );
    expect(Object.getPrototypeOf(verified.attributes)).toBeNull();
  });

  it("throws TypeError for a caller's mistake: a trusted certificate that is not one", () => {
    expect(() => verifyXml(responseXml(), { trustedCertificates: ["not a certificate"] })).toThrow(TypeError);
  });

  it("returns the assertion expiry for replay bookkeeping", () => {
    expect(verifyXml(responseXml({ validForSeconds: 120 })).notOnOrAfter).toEqual(
      new Date(NOW.getTime() + 120_000),
    );
  });

  it("keeps replay records past the clock skew: until the later of NotOnOrAfter + 60 s and issuance + 5 min + 60 s", () => {
    // A short-lived assertion is still redeemable until the redemption cut-off's skew has passed...
    expect(verifyXml(responseXml({ validForSeconds: 120 })).replayRecordUntil).toEqual(
      new Date(NOW.getTime() + 360_000),
    );
    // ...and a long-lived one until its NotOnOrAfter + skew (kept longer than strictly needed, never shorter).
    expect(verifyXml(responseXml({ validForSeconds: 3600 })).replayRecordUntil).toEqual(
      new Date(NOW.getTime() + 3_660_000),
    );
  });
});
