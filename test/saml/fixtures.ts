import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { expect } from "vitest";
import { SignedXml } from "xml-crypto";
import { type BuildSamlResponseOptions, buildSamlResponse } from "../../src/core/saml/buildResponse.js";
import { generateSigningCertificate, type SigningCertificate } from "../../src/core/saml/certificates.js";
import { type VerifySamlOptions, verifySamlResponse } from "../../src/core/saml/verifyResponse.js";
import { isAwsError } from "../../src/errors.js";

/** Shared fixtures for the SAML suites: one trusted IdP key, one attacker key, fixed clock. */
export const NOW = new Date("2025-06-01T12:00:00.000Z");
export const ISSUER = "https://idp.example.com/saml";
export const ROLE = "arn:aws:iam::123456789012:role/PetStoreAdmin";
export const PROVIDER = "arn:aws:iam::123456789012:saml-provider/ExampleIdP";
export const AWS_RECIPIENT = "https://signin.aws.amazon.com/saml";

export const idp: SigningCertificate = await generateSigningCertificate({
  commonName: "Example IdP",
  now: NOW,
});
export const attacker: SigningCertificate = await generateSigningCertificate({
  commonName: "Mallory",
  now: NOW,
});

export function responseXml(overrides: Partial<BuildSamlResponseOptions> = {}): string {
  return buildSamlResponse({
    issuer: ISSUER,
    privateKeyPem: idp.privateKeyPem,
    certificatePem: idp.certificatePem,
    nameId: "alice@example.com",
    recipient: AWS_RECIPIENT,
    attributes: {
      "https://aws.amazon.com/SAML/Attributes/Role": [`${ROLE},${PROVIDER}`],
      "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["alice"],
    },
    now: NOW,
    responseId: "_response1",
    assertionId: "_assertion1",
    ...overrides,
  });
}

/**
 * Signs the Assertion of an unsigned `responseXml({ signAssertion: false })` after a test has edited it, for
 * content the builder does not make (the IdP really signed it; only the verifier's rules can refuse it).
 */
export function signAssertionOf(xml: string): string {
  const signer = new SignedXml({
    privateKey: idp.privateKeyPem,
    publicCert: idp.certificatePem,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  signer.addReference({
    xpath: "//*[@ID='_assertion1']",
    transforms: [
      "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
      "http://www.w3.org/2001/10/xml-exc-c14n#",
    ],
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
  });
  signer.computeSignature(xml, {
    prefix: "ds",
    location: { reference: "//*[local-name()='Assertion']/*[local-name()='Issuer']", action: "after" },
  });
  return signer.getSignedXml();
}

export const base64 = (xml: string): string => Buffer.from(xml, "utf8").toString("base64");

export function verifyXml(xml: string, overrides: Partial<VerifySamlOptions> = {}) {
  return verifySamlResponse(base64(xml), {
    trustedCertificates: [idp.certificatePem],
    now: NOW,
    ...overrides,
  });
}

/** Asserts the AwsError code and exact message, the contract clients see. */
export function expectAwsError(run: () => unknown, code: string, message: string | RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(isAwsError(caught), `expected an AwsError, got ${String(caught)}`).toBe(true);
  const error = caught as { code: string; message: string };
  expect(error.code).toBe(code);
  if (typeof message === "string") expect(error.message).toBe(message);
  else expect(error.message).toMatch(message);
}

// DOM surgery for the wrapping attacks.
export const SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
export const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
export const DS = "http://www.w3.org/2000/09/xmldsig#";

export function parse(xml: string): Document {
  return new DOMParser().parseFromString(xml, "text/xml");
}

export function serialize(doc: Document): string {
  return new XMLSerializer().serializeToString(doc);
}

export function first(scope: Document | Element, ns: string, localName: string): Element {
  const found = scope.getElementsByTagNameNS(ns, localName)[0];
  if (!found) throw new Error(`fixture: no ${localName}`);
  return found;
}

/** A forged copy of the signed Assertion: new ID, Mallory as subject, no signature. */
export function forgedAssertion(doc: Document, id = "_evil"): Element {
  const evil = first(doc, SAML, "Assertion").cloneNode(true) as Element;
  evil.setAttribute("ID", id);
  const signature = evil.getElementsByTagNameNS(DS, "Signature")[0];
  signature?.parentNode?.removeChild(signature);
  const nameId = first(evil, SAML, "NameID");
  nameId.textContent = "mallory@evil.example";
  return evil;
}
