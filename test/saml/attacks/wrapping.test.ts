import { describe, expect, it } from "vitest";
import {
  DS,
  expectAwsError,
  first,
  forgedAssertion,
  parse,
  responseXml,
  SAML,
  SAMLP,
  serialize,
  verifyXml,
} from "../fixtures.js";

// XML Signature Wrapping, the eight variants of Somorovsky et al., "On Breaking SAML" (2012):
// the signed element stays intact somewhere in the document so the digest still matches, and a
// forged element sits where a naive reader looks. Each test proves the forged document is refused.

const responseSigned = () => parse(responseXml({ signAssertion: false, signResponse: true }));
const assertionSigned = () => parse(responseXml());

describe("XML signature wrapping (XSW)", () => {
  it("sanity: both untouched documents verify", () => {
    expect(verifyXml(serialize(responseSigned())).nameId).toBe("alice@example.com");
    expect(verifyXml(serialize(assertionSigned())).nameId).toBe("alice@example.com");
  });

  it("XSW1: rejects a forged Response that carries the signed original inside its Signature", () => {
    const doc = responseSigned();
    const original = doc.documentElement;
    const evil = original.cloneNode(true) as Element;
    evil.setAttribute("ID", "_evilResponse");
    const evilAssertion = first(evil, SAML, "Assertion");
    first(evilAssertion, SAML, "NameID").textContent = "mallory@evil.example";
    const signature = first(evil, DS, "Signature");
    const object = doc.createElementNS(DS, "ds:Object");
    object.appendChild(original.cloneNode(true));
    signature.appendChild(object);
    doc.replaceChild(evil, original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: a Response may not contain another Response",
    );
  });

  it("XSW2: rejects a forged Response with the signed original as a detached sibling of the Signature", () => {
    const doc = responseSigned();
    const original = doc.documentElement;
    const evil = original.cloneNode(true) as Element;
    evil.setAttribute("ID", "_evilResponse");
    first(evil, SAML, "NameID").textContent = "mallory@evil.example";
    const signature = first(evil, DS, "Signature");
    evil.insertBefore(original.cloneNode(true), signature);
    doc.replaceChild(evil, original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: a Response may not contain another Response",
    );
  });

  it("XSW3: rejects a forged Assertion placed before the signed one", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    doc.documentElement.insertBefore(forgedAssertion(doc), original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("XSW4: rejects a forged Assertion that wraps the signed one", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    const evil = forgedAssertion(doc);
    doc.documentElement.replaceChild(evil, original);
    evil.appendChild(original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("XSW5: rejects a forged Assertion holding the copied Signature, with the original moved to the end", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    const evil = forgedAssertion(doc);
    const copiedSignature = first(original, DS, "Signature").cloneNode(true);
    evil.insertBefore(copiedSignature, first(evil, SAML, "Subject"));
    doc.documentElement.replaceChild(evil, original);
    doc.documentElement.appendChild(original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("XSW6: rejects a forged Assertion whose Signature hides the original in a ds:Object", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    const evil = forgedAssertion(doc);
    const signature = first(original, DS, "Signature").cloneNode(true) as Element;
    evil.insertBefore(signature, first(evil, SAML, "Subject"));
    const object = doc.createElementNS(DS, "ds:Object");
    object.appendChild(original.cloneNode(true));
    signature.appendChild(object);
    doc.documentElement.replaceChild(evil, original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("XSW7: rejects the signed Assertion hidden in samlp:Extensions behind a forged one", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    const extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
    doc.documentElement.insertBefore(extensions, first(doc, SAMLP, "Status"));
    const evil = forgedAssertion(doc);
    doc.documentElement.replaceChild(evil, original);
    extensions.appendChild(original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("XSW8: rejects a forged Assertion whose Signature holds an unsigned copy of the original in ds:Object", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    const evil = forgedAssertion(doc);
    const signature = first(original, DS, "Signature").cloneNode(true) as Element;
    evil.insertBefore(signature, first(evil, SAML, "Subject"));
    const copy = original.cloneNode(true) as Element;
    copy.removeChild(first(copy, DS, "Signature"));
    const object = doc.createElementNS(DS, "ds:Object");
    object.appendChild(copy);
    signature.appendChild(object);
    doc.documentElement.replaceChild(evil, original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("rejects an ID collision: another element carrying the signed Assertion's ID", () => {
    const doc = assertionSigned();
    const extensions = doc.createElementNS(SAMLP, "samlp:Extensions");
    extensions.setAttribute("ID", "_assertion1");
    doc.documentElement.insertBefore(extensions, first(doc, SAMLP, "Status"));
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: the ID _assertion1 appears more than once",
    );
  });

  it("rejects a forged Assertion that reuses the signed Assertion's ID", () => {
    const doc = assertionSigned();
    const original = first(doc, SAML, "Assertion");
    doc.documentElement.insertBefore(forgedAssertion(doc, "_assertion1"), original);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("rejects a signature that covers a different element than the one it sits in", () => {
    // The Response's valid signature, moved into the (unsigned) Assertion.
    const doc = responseSigned();
    const signature = first(doc.documentElement, DS, "Signature");
    const assertion = first(doc, SAML, "Assertion");
    assertion.insertBefore(signature, first(assertion, SAML, "Subject"));
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: the Reference URI #_response1 does not point at the enclosing Assertion",
    );
  });

  it("rejects a Reference with an empty URI (the whole document)", () => {
    const xml = responseXml().replace('URI="#_assertion1"', 'URI=""');
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Response signature invalid: the Reference URI  does not point at the enclosing Assertion",
    );
  });

  it("rejects a second, unsigned Assertion next to the signed one", () => {
    const doc = assertionSigned();
    doc.documentElement.appendChild(forgedAssertion(doc, "_second"));
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Invalid SAML response: expected exactly one Assertion, found 2",
    );
  });

  it("rejects a Signature that carries a ds:Object, even with nothing wrapped in it", () => {
    const doc = assertionSigned();
    const signature = first(doc, DS, "Signature");
    signature.appendChild(doc.createElementNS(DS, "ds:Object"));
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: unexpected Signature content (SignedInfo, SignatureValue, KeyInfo, Object); ds:Object and extra elements are refused",
    );
  });

  it("rejects a Signature placed anywhere but directly in the Response or the Assertion", () => {
    const doc = assertionSigned();
    const signature = first(doc, DS, "Signature");
    first(doc, SAML, "Subject").appendChild(signature);
    expectAwsError(
      () => verifyXml(serialize(doc)),
      "InvalidIdentityToken",
      "Response signature invalid: a Signature may only be a direct child of the Response or the Assertion",
    );
  });
});
