import { AwsError } from "../../errors.js";
import { certificateDerBase64, derBase64ToPem } from "./certificateText.js";
import { NS } from "./constants.js";
import { attr, children, descendants, isNamed, text } from "./dom.js";
import { parseXmlStrictly } from "./parseXml.js";
import { parseSamlTime } from "./samlTime.js";

export interface IdpMetadata {
  entityId: string;
  /** Signing certificates as PEM, in document order, without duplicates. */
  signingCertificates: string[];
  ssoUrls: string[];
  /** The EntityDescriptor's validUntil, which IAM reports as the provider's ValidUntil. */
  validUntil?: Date;
}

/** IAM's SAMLMetadataDocument length limit. */
const MAX_METADATA_LENGTH = 10_000_000;

/**
 * Reads the IdP metadata document given to IAM CreateSAMLProvider/UpdateSAMLProvider, with the
 * same hardened parser as responses (no DTDs, no entities). IAM answers bad metadata with
 * InvalidInput "Could not parse metadata"; fedsim appends the reason.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const fail = (why: string) =>
    new AwsError("InvalidInput", `Could not parse metadata: ${why}`, { status: 400 });
  if (xml.length > MAX_METADATA_LENGTH)
    throw fail(`the document is longer than ${MAX_METADATA_LENGTH} characters`);
  const root = parseXmlStrictly(xml, fail).documentElement;

  let entity: Element = root;
  if (isNamed(root, NS.metadata, "EntitiesDescriptor")) {
    const entities = children(root, NS.metadata, "EntityDescriptor");
    if (entities.length !== 1) throw fail(`expected one EntityDescriptor, found ${entities.length}`);
    entity = entities[0]!;
  } else if (!isNamed(root, NS.metadata, "EntityDescriptor")) {
    throw fail(`the root element is ${root.localName}, not a SAML 2.0 metadata EntityDescriptor`);
  }
  const entityId = attr(entity, "entityID")?.trim();
  if (!entityId) throw fail("EntityDescriptor has no entityID");

  const idps = children(entity, NS.metadata, "IDPSSODescriptor");
  if (idps.length === 0) throw fail("no IDPSSODescriptor (this is not identity provider metadata)");

  const certificates: string[] = [];
  const ssoUrls: string[] = [];
  for (const idp of idps) {
    for (const key of children(idp, NS.metadata, "KeyDescriptor")) {
      const use = attr(key, "use");
      if (use !== undefined && use !== "signing") continue; // encryption-only keys cannot sign
      for (const el of descendants(key).filter((node) => isNamed(node, NS.ds, "X509Certificate"))) {
        const der = certificateDerBase64(text(el));
        if (der === undefined) throw fail("an X509Certificate is not a valid X.509 certificate");
        if (!certificates.includes(der)) certificates.push(der);
      }
    }
    for (const sso of children(idp, NS.metadata, "SingleSignOnService")) {
      const location = attr(sso, "Location");
      if (location && !ssoUrls.includes(location)) ssoUrls.push(location);
    }
  }
  if (certificates.length === 0) throw fail("the IDPSSODescriptor has no signing certificate");

  const validUntilText = attr(entity, "validUntil");
  const validUntil = validUntilText === undefined ? undefined : parseSamlTime(validUntilText);
  if (validUntilText !== undefined && validUntil === undefined)
    throw fail("validUntil is not a valid xs:dateTime");

  return {
    entityId,
    signingCertificates: certificates.map(derBase64ToPem),
    ssoUrls,
    ...(validUntil === undefined ? {} : { validUntil }),
  };
}
