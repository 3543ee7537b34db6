import * as samlify from "samlify";
import { certificateDerBase64 } from "./certificateText.js";

const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/**
 * IdP metadata for the built-in test IdP, made by samlify: the document a developer uploads with
 * CreateSAMLProvider, and what parseIdpMetadata reads back.
 */
export function idpMetadataXml(options: {
  entityId: string;
  certificatePem: string;
  ssoUrl: string;
}): string {
  const der = certificateDerBase64(options.certificatePem);
  if (der === undefined) throw new TypeError("idpMetadataXml: certificatePem is not an X.509 certificate");
  const idp = samlify.IdentityProvider({
    entityID: options.entityId,
    signingCert: der,
    nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"],
    singleSignOnService: [{ Binding: POST, Location: options.ssoUrl }],
    // samlify warns on the console when no logout endpoint is given; the test IdP has none,
    // so the SSO URL stands in (AWS ignores SingleLogoutService in IdP metadata).
    singleLogoutService: [{ Binding: POST, Location: options.ssoUrl }],
  });
  return idp.getMetadata();
}
