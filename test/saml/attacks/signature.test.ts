import { describe, expect, it } from "vitest";
import {
  attacker,
  DS,
  expectAwsError,
  first,
  idp,
  parse,
  responseXml,
  serialize,
  verifyXml,
} from "../fixtures.js";

describe("signature attacks", () => {
  it("rejects an unsigned Response with an unsigned Assertion", () => {
    expectAwsError(
      () => verifyXml(responseXml({ signAssertion: false })),
      "InvalidIdentityToken",
      "Response signature invalid: neither the Response nor the Assertion is signed",
    );
  });

  it("rejects a signature made by a key whose certificate is not in the provider's metadata", () => {
    const doc = parse(
      responseXml({ privateKeyPem: attacker.privateKeyPem, certificatePem: attacker.certificatePem }),
    );
    const keyInfo = first(doc, DS, "KeyInfo");
    keyInfo.parentNode?.removeChild(keyInfo);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: the Assertion signature does not verify with any certificate in the provider's metadata",
    );
  });

  it("ignores a KeyInfo certificate substituted by the attacker who re-signed the Assertion", () => {
    const xml = responseXml({
      privateKeyPem: attacker.privateKeyPem,
      certificatePem: attacker.certificatePem,
    });
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: the Assertion is signed by a certificate that is not in the provider's metadata",
    );
  });

  it("does not trust a signature just because KeyInfo names the trusted certificate", () => {
    const forged = responseXml({ privateKeyPem: attacker.privateKeyPem, certificatePem: idp.certificatePem });
    expectAwsError(
      () => verifyXml(forged),
      "InvalidIdentityToken",
      "Response signature invalid: the Assertion signature does not verify with any certificate in the provider's metadata",
    );
  });

  it("verifies with the second of several trusted certificates (key rollover)", () => {
    const xml = responseXml();
    expect(
      verifyXml(xml, { trustedCertificates: [attacker.certificatePem, idp.certificatePem] }).nameId,
    ).toBe("alice@example.com");
  });

  const altered: Array<[string, (xml: string) => string]> = [
    [
      "an attribute value",
      (xml) => xml.replace(">alice</saml:AttributeValue>", ">admin</saml:AttributeValue>"),
    ],
    ["the NameID", (xml) => xml.replace(">alice@example.com<", ">mallory@evil.example<")],
    [
      "the Audience",
      (xml) =>
        xml.replace(
          "<saml:Audience>https://signin.aws.amazon.com/saml</saml:Audience>",
          "<saml:Audience>urn:amazon:webservices</saml:Audience>",
        ),
    ],
    ["the Role attribute", (xml) => xml.replace("role/PetStoreAdmin", "role/OrganizationAccountAccessRole")],
  ];
  for (const [what, alter] of altered) {
    it(`rejects ${what} altered after signing`, () => {
      const xml = responseXml();
      const changed = alter(xml);
      expect(changed).not.toBe(xml);
      expectAwsError(
        () => verifyXml(changed),
        "InvalidIdentityToken",
        "Response signature invalid: the digest of the signed Assertion does not match",
      );
    });
  }

  it("rejects a Response whose unsigned envelope is fine but whose signed Response content was altered", () => {
    const xml = responseXml({ signAssertion: false, signResponse: true }).replace(
      'Destination="https://signin.aws.amazon.com/saml"',
      'Destination="https://us-east-1.signin.aws.amazon.com/saml"',
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: the digest of the signed Response does not match",
    );
  });

  it("rejects a tampered SignatureValue", () => {
    const doc = parse(responseXml());
    const value = first(doc, DS, "SignatureValue");
    const text = value.textContent ?? "";
    value.textContent = (text[0] === "A" ? "B" : "A") + text.slice(1);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: the Assertion signature does not verify with any certificate in the provider's metadata",
    );
  });

  // SHA-1: AWS has announced no end to RSA-SHA1 for SAML responses and older ADFS farms still
  // send it, so fedsim accepts it by default (fidelity) and refuses it when asked to be stricter.
  it("accepts an RSA-SHA1 signature by default, as AWS does", () => {
    expect(verifyXml(responseXml({ signatureAlgorithm: "rsa-sha1" })).nameId).toBe("alice@example.com");
  });

  it("rejects an RSA-SHA1 signature when allowSha1 is false", () => {
    expectAwsError(
      () => verifyXml(responseXml({ signatureAlgorithm: "rsa-sha1" }), { allowSha1: false }),
      "InvalidIdentityToken",
      "Response signature invalid: signature algorithm http://www.w3.org/2000/09/xmldsig#rsa-sha1 is not allowed",
    );
  });

  it("accepts RSA-SHA512", () => {
    expect(verifyXml(responseXml({ signatureAlgorithm: "rsa-sha512" })).nameId).toBe("alice@example.com");
  });

  it("rejects HMAC signatures (key confusion)", () => {
    const xml = responseXml().replace(
      "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: signature algorithm http://www.w3.org/2000/09/xmldsig#hmac-sha1 is not allowed",
    );
  });

  it("rejects transforms other than enveloped-signature + exclusive C14N (e.g. XPath)", () => {
    const xml = responseXml().replace(
      '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/>',
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: transforms must be enveloped-signature then exclusive C14N (got http://www.w3.org/2000/09/xmldsig#enveloped-signature, http://www.w3.org/TR/1999/REC-xpath-19991116)",
    );
  });

  it("rejects inclusive C14N for SignedInfo", () => {
    const xml = responseXml().replace(
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>',
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: canonicalization http://www.w3.org/TR/2001/REC-xml-c14n-20010315 is not allowed (exclusive C14N only)",
    );
  });

  it("rejects a second Reference in SignedInfo", () => {
    const doc = parse(responseXml());
    const reference = first(doc, DS, "Reference");
    reference.parentNode?.appendChild(reference.cloneNode(true));
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: expected exactly one Reference in SignedInfo, found 2",
    );
  });
});
