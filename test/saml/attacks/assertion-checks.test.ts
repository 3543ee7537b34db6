import { describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import {
  AWS_RECIPIENT,
  expectAwsError,
  idp,
  NOW,
  responseXml,
  signAssertionOf,
  verifyXml,
} from "../fixtures.js";

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe("assertion content attacks and checks", () => {
  it("CVE-2017-11427: a comment inside the NameID cannot truncate it; the full signed value is returned", () => {
    // Mallory registers alice@example.com.evil.example at the IdP, then splits it with a comment:
    // the canonical form (comments dropped) still matches the signature.
    const xml = responseXml({ nameId: "alice@example.com.evil.example" }).replace(
      ">alice@example.com.evil.example<",
      ">alice@example.com<!---->.evil.example<",
    );
    const verified = verifyXml(xml);
    expect(verified.nameId).toBe("alice@example.com.evil.example");
  });

  it("a comment inside an attribute value cannot truncate it either", () => {
    const xml = responseXml({
      attributes: { "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["admin.evil"] },
    }).replace(">admin.evil<", ">admin<!-- -->.evil<");
    expect(verifyXml(xml).attributes["https://aws.amazon.com/SAML/Attributes/RoleSessionName"]).toEqual([
      "admin.evil",
    ]);
  });

  it("accepts exclusive C14N #WithComments, and a signed comment still cannot change the NameID", () => {
    // Same-document references drop comments before canonicalising (XML-DSig 4.4.3.3), so the
    // WithComments variant signs the same bytes; fedsim allows it and reads the same value.
    const unsigned = responseXml({ signAssertion: false }).replace(
      ">alice@example.com<",
      ">alice@example.com<!-- signed comment -->.evil.example<",
    );
    const signer = new SignedXml({
      privateKey: idp.privateKeyPem,
      publicCert: idp.certificatePem,
      signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    });
    signer.addReference({
      xpath: "//*[@ID='_assertion1']",
      transforms: [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
      ],
      digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    });
    signer.computeSignature(unsigned, {
      prefix: "ds",
      location: { reference: "//*[local-name()='Assertion']/*[local-name()='Issuer']", action: "after" },
    });
    expect(verifyXml(signer.getSignedXml()).nameId).toBe("alice@example.com.evil.example");
  });

  it("rejects an expired assertion (AWS: ExpiredTokenException, Response has expired)", () => {
    expectAwsError(
      () => verifyXml(responseXml(), { now: at(301 + 60) }),
      "ExpiredTokenException",
      "Response has expired",
    );
  });

  it("accepts an assertion just past NotOnOrAfter within the clock skew", () => {
    expect(verifyXml(responseXml(), { now: at(330) }).nameId).toBe("alice@example.com");
  });

  it("rejects a not-yet-valid assertion (guess: ExpiredTokenException, as AWS documents 'expired or is not valid')", () => {
    expectAwsError(
      () => verifyXml(responseXml(), { now: at(-120) }),
      "ExpiredTokenException",
      "Response is not yet valid",
    );
  });

  it("rejects a long-lived assertion used more than 5 minutes after issuance, as AWS does", () => {
    expectAwsError(
      () => verifyXml(responseXml({ validForSeconds: 3600 }), { now: at(6 * 60 + 61) }),
      "ExpiredTokenException",
      "Token must be redeemed within 5 minutes of issuance",
    );
  });

  it("rejects a wrong Audience", () => {
    expectAwsError(
      () => verifyXml(responseXml({ audience: "https://evil.example/sp" })),
      "InvalidIdentityToken",
      "Invalid SAML response: Audience https://evil.example/sp does not include https://signin.aws.amazon.com/saml or urn:amazon:webservices",
    );
  });

  it("accepts urn:amazon:webservices as Audience", () => {
    expect(verifyXml(responseXml({ audience: "urn:amazon:webservices" })).audience).toBe(
      "urn:amazon:webservices",
    );
  });

  it("rejects a wrong SubjectConfirmationData Recipient", () => {
    expectAwsError(
      () => verifyXml(responseXml({ recipient: "https://evil.example/acs", destination: AWS_RECIPIENT })),
      "InvalidIdentityToken",
      "Invalid SAML response: Recipient https://evil.example/acs is not an accepted SAML endpoint",
    );
  });

  it("rejects a wrong Response Destination", () => {
    expectAwsError(
      () => verifyXml(responseXml({ destination: "https://evil.example/acs" })),
      "InvalidIdentityToken",
      "Invalid SAML response: Destination https://evil.example/acs is not an accepted SAML endpoint",
    );
  });

  it("accepts an extra endpoint the caller lists, and AWS regional endpoints", () => {
    const extra = "http://localhost:4566/saml";
    expect(verifyXml(responseXml({ recipient: extra }), { recipients: [extra] }).recipient).toBe(extra);
    const regional = "https://eu-west-1.signin.aws.amazon.com/saml";
    expect(verifyXml(responseXml({ recipient: regional })).recipient).toBe(regional);
    expect(verifyXml(responseXml({ audience: regional })).audience).toBe(regional);
  });

  it("accepts fedsim's /saml twin as Recipient and reports the AWS sign-in endpoint it stands for (SAML:aud)", () => {
    const twin = "http://127.0.0.1:4566/saml";
    const verified = verifyXml(responseXml({ recipient: twin }), { localSignInEndpoint: twin });
    expect(verified.recipient).toBe("https://signin.aws.amazon.com/saml");
  });

  it("rejects fedsim's /saml twin as Recipient when the caller does not name it", () => {
    expectAwsError(
      () => verifyXml(responseXml({ recipient: "http://127.0.0.1:4566/saml", destination: AWS_RECIPIENT })),
      "InvalidIdentityToken",
      "Invalid SAML response: Recipient http://127.0.0.1:4566/saml is not an accepted SAML endpoint",
    );
  });

  describe("sign-in endpoints of the provider's partition", () => {
    const cases = [
      ["aws-cn", "https://signin.amazonaws.cn/saml", "https://cn-northwest-1.signin.amazonaws.cn/saml"],
      [
        "aws-us-gov",
        "https://signin.amazonaws-us-gov.com/saml",
        "https://us-gov-west-1.signin.amazonaws-us-gov.com/saml",
      ],
    ] as const;
    for (const [partition, global, regional] of cases) {
      it(`accepts ${global} and ${regional} as Recipient, Destination and Audience for an ${partition} provider`, () => {
        for (const url of [global, regional]) {
          const verified = verifyXml(responseXml({ recipient: url, audience: url }), { partition });
          expect(verified.recipient).toBe(url);
          expect(verified.audience).toBe(url);
        }
      });

      it(`rejects ${global} for a provider of the aws partition`, () => {
        expectAwsError(
          () => verifyXml(responseXml({ recipient: global })),
          "InvalidIdentityToken",
          `Invalid SAML response: Destination ${global} is not an accepted SAML endpoint`,
        );
      });

      it(`rejects signin.aws.amazon.com for an ${partition} provider`, () => {
        expectAwsError(
          () => verifyXml(responseXml({ audience: global }), { partition }),
          "InvalidIdentityToken",
          `Invalid SAML response: Destination ${AWS_RECIPIENT} is not an accepted SAML endpoint`,
        );
      });
    }

    it("accepts the partitions' audience URNs", () => {
      const urn = (partition: "aws-cn" | "aws-us-gov", audience: string) =>
        verifyXml(responseXml({ recipient: "https://signin.amazonaws.cn/saml", audience }), {
          partition,
          recipients: ["https://signin.amazonaws.cn/saml"],
        }).audience;
      expect(urn("aws-cn", "urn:amazon:webservices:cn-north-1")).toBe("urn:amazon:webservices:cn-north-1");
      expect(urn("aws-us-gov", "urn:amazon:webservices:govcloud")).toBe("urn:amazon:webservices:govcloud");
      expect(urn("aws-cn", "urn:amazon:webservices")).toBe("urn:amazon:webservices");
    });

    it("reports fedsim's /saml twin as the partition's own sign-in endpoint", () => {
      const twin = "http://127.0.0.1:4566/saml";
      const verified = verifyXml(
        responseXml({ recipient: twin, audience: "https://signin.amazonaws.cn/saml" }),
        { partition: "aws-cn", localSignInEndpoint: twin },
      );
      expect(verified.recipient).toBe("https://signin.amazonaws.cn/saml");
    });
  });

  it("rejects a bearer SubjectConfirmationData with NotBefore (SAML profiles 4.1.4.2: MUST NOT)", () => {
    const xml = signAssertionOf(
      responseXml({ signAssertion: false }).replace(
        "<saml:SubjectConfirmationData ",
        '<saml:SubjectConfirmationData NotBefore="2025-06-01T11:59:00.000Z" ',
      ),
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: a bearer SubjectConfirmationData must not have NotBefore (SAML profiles 4.1.4.2)",
    );
  });

  it("rejects a SessionNotOnOrAfter already past (ExpiredTokenException: the assertion is genuine, its session is over)", () => {
    // InvalidIdentityToken would say the token is malformed or untrusted; it is neither. ExpiredTokenException
    // is what STS answers for the assertion's other time limits, and what a client retrying with a fresh
    // sign-in should see. Without this check the credentials would carry an Expiration in the past.
    expectAwsError(
      () => verifyXml(responseXml({ sessionNotOnOrAfter: at(-1) })),
      "ExpiredTokenException",
      "Response SessionNotOnOrAfter 2025-06-01T11:59:59.000Z has passed: the session it grants has already ended",
    );
    expectAwsError(
      () => verifyXml(responseXml({ sessionNotOnOrAfter: NOW })),
      "ExpiredTokenException",
      /SessionNotOnOrAfter 2025-06-01T12:00:00.000Z has passed/,
    );
    expect(verifyXml(responseXml({ sessionNotOnOrAfter: at(1) })).sessionNotOnOrAfter).toEqual(at(1));
  });

  it("rejects a Response whose status is not Success (guess: IDPRejectedClaim)", () => {
    const xml = responseXml().replace(
      '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>',
      '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:AuthnFailed"/></samlp:StatusCode>',
    );
    expectAwsError(
      () => verifyXml(xml),
      "IDPRejectedClaim",
      "The identity provider did not authenticate the user: status urn:oasis:names:tc:SAML:2.0:status:Responder (urn:oasis:names:tc:SAML:2.0:status:AuthnFailed)",
    );
  });

  it("rejects an EncryptedAssertion clearly (not supported)", () => {
    const xml = responseXml().replace(
      /<saml:Assertion [\s\S]*<\/saml:Assertion>/,
      '<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>',
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: EncryptedAssertion is not supported; configure the IdP to send the Assertion unencrypted",
    );
  });

  it("rejects an Issuer other than the provider's entityID when one is given (AWS's message)", () => {
    expectAwsError(
      () => verifyXml(responseXml(), { issuer: "https://other-idp.example/" }),
      "InvalidIdentityToken",
      "Issuer not present in specified provider",
    );
  });

  it("rejects a Response Issuer that differs from the Assertion Issuer", () => {
    const xml = responseXml().replace(
      "<saml:Issuer>https://idp.example.com/saml</saml:Issuer><samlp:Status>",
      "<saml:Issuer>https://evil.example/</saml:Issuer><samlp:Status>",
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: the Response Issuer and the Assertion Issuer differ",
    );
  });
});
