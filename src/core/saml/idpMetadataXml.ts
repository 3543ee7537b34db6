import { certificateDerBase64 } from "./certificateText.js";
import { xmlEscape } from "./xmlEscape.js";

const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/**
 * IdP metadata for the built-in test IdP: the document a developer uploads with CreateSAMLProvider, and what
 * parseIdpMetadata reads back. Written out rather than made by samlify, whose import (with its XML stack)
 * was a sixth of start-up, paid at every seeding; a test holds this to samlify's output byte for byte.
 */
export function idpMetadataXml(options: {
  entityId: string;
  certificatePem: string;
  ssoUrl: string;
}): string {
  const der = certificateDerBase64(options.certificatePem);
  if (der === undefined) throw new TypeError("idpMetadataXml: certificatePem is not an X.509 certificate");
  const location = attribute(options.ssoUrl);
  // SingleLogoutService names the SSO URL: the test IdP has no logout endpoint, samlify warned without one,
  // and AWS ignores it in IdP metadata.
  return (
    `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:assertion="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${attribute(options.entityId)}">` +
    `<IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>` +
    "<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>" +
    `<SingleSignOnService Binding="${POST}" Location="${location}"></SingleSignOnService>` +
    `<SingleLogoutService Binding="${POST}" Location="${location}"></SingleLogoutService>` +
    "</IDPSSODescriptor></EntityDescriptor>"
  );
}

/** As samlify (its xml package) writes attribute values: ' as &apos; too. */
function attribute(value: string): string {
  return xmlEscape(value).replace(/'/g, "&apos;");
}
