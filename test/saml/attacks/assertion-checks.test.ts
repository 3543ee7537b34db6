import { describe, expect, it } from "vitest";
import { SignedXml } from "xml-crypto";
import { AWS_RECIPIENT, expectAwsError, idp, NOW, responseXml, verifyXml } from "../fixtures.js";

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

  it("accepts fedsim's own endpoint when the caller lists it, and AWS regional endpoints", () => {
    const local = "http://localhost:4566/saml";
    expect(verifyXml(responseXml({ recipient: local }), { recipients: [local] }).recipient).toBe(local);
    const regional = "https://eu-west-1.signin.aws.amazon.com/saml";
    expect(verifyXml(responseXml({ recipient: regional })).recipient).toBe(regional);
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
