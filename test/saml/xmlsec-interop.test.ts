import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AWS_RECIPIENT, expectAwsError, ISSUER, idp, NOW, responseXml, verifyXml } from "./fixtures.js";

// Interop with xmlsec1 (libxmlsec1 over OpenSSL), the reference XML-DSig implementation many
// IdPs build on: what it signs, fedsim accepts; what fedsim signs, it verifies.

const ASSERTION_ID = "urn:oasis:names:tc:SAML:2.0:assertion:Assertion";
const work = mkdtempSync(join(tmpdir(), "fedsim-xmlsec-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function xmlsec1(args: string[]): { status: number | null; output: string } {
  const run = spawnSync("xmlsec1", args, { encoding: "utf8" });
  if (run.error) {
    throw new Error(
      `xmlsec1 is not installed (${run.error.message}); install it with: apt-get install -y xmlsec1`,
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const template = (nameId: string) => `<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="${NOW.toISOString()}" Destination="${AWS_RECIPIENT}">
  <saml:Issuer>${ISSUER}</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion ID="_a1" Version="2.0" IssueInstant="${NOW.toISOString()}">
    <saml:Issuer>${ISSUER}</saml:Issuer>
    <ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
      <ds:SignedInfo>
        <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
        <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
        <ds:Reference URI="#_a1">
          <ds:Transforms>
            <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
            <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
          </ds:Transforms>
          <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
          <ds:DigestValue/>
        </ds:Reference>
      </ds:SignedInfo>
      <ds:SignatureValue/>
      <ds:KeyInfo><ds:X509Data/></ds:KeyInfo>
    </ds:Signature>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${nameId}</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="${new Date(NOW.getTime() + 300_000).toISOString()}" Recipient="${AWS_RECIPIENT}"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="${NOW.toISOString()}" NotOnOrAfter="${new Date(NOW.getTime() + 300_000).toISOString()}">
      <saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AttributeStatement>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName">
        <saml:AttributeValue>alice</saml:AttributeValue>
      </saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>
`;

function signWithXmlsec1(xml: string): string {
  const key = join(work, "key.pem");
  const cert = join(work, "cert.pem");
  const input = join(work, "template.xml");
  const output = join(work, "signed.xml");
  writeFileSync(key, idp.privateKeyPem, { mode: 0o600 });
  writeFileSync(cert, idp.certificatePem);
  writeFileSync(input, xml);
  const run = xmlsec1([
    "--sign",
    "--privkey-pem",
    `${key},${cert}`,
    "--id-attr:ID",
    ASSERTION_ID,
    "--output",
    output,
    input,
  ]);
  expect(run.status, run.output).toBe(0);
  return readFileSync(output, "utf8");
}

describe("xmlsec1 interop", () => {
  it("xmlsec1 is installed (apt-get install -y xmlsec1)", () => {
    expect(xmlsec1(["--version"]).output).toMatch(/xmlsec1/);
  });

  it("accepts an assertion signed by the xmlsec1 CLI with a generateSigningCertificate key", () => {
    const signed = signWithXmlsec1(template("alice@example.com"));
    expect(signed).not.toContain("<ds:SignatureValue/>");
    const verified = verifyXml(signed);
    expect(verified.nameId).toBe("alice@example.com");
    expect(verified.assertionId).toBe("_a1");
    expect(verified.attributes["https://aws.amazon.com/SAML/Attributes/RoleSessionName"]).toEqual(["alice"]);
  });

  it("rejects the xmlsec1-signed assertion with one byte changed", () => {
    const signed = signWithXmlsec1(template("alice@example.com"));
    const changed = signed.replace("alice@example.com", "alicf@example.com");
    expect(changed.length).toBe(signed.length);
    expectAwsError(
      () => verifyXml(changed),
      "InvalidIdentityToken",
      "Response signature invalid: the digest of the signed Assertion does not match",
    );
  });

  it("xmlsec1 verifies what buildSamlResponse signs", () => {
    const file = join(work, "fedsim.xml");
    const cert = join(work, "verify-cert.pem");
    writeFileSync(file, responseXml());
    writeFileSync(cert, idp.certificatePem);
    const run = xmlsec1(["--verify", "--pubkey-cert-pem", cert, "--id-attr:ID", ASSERTION_ID, file]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/OK/);
  });
});
