import { randomUUID } from "node:crypto";
import { SignedXml } from "xml-crypto";
import { ALGORITHMS, AWS_SAML_ENDPOINT, BEARER, NS, STATUS_SUCCESS } from "./constants.js";
import { formatSamlTime } from "./samlTime.js";
import { xmlEscape } from "./xmlEscape.js";

export type SamlSignatureAlgorithm = "rsa-sha256" | "rsa-sha512" | "rsa-sha1";

export interface BuildSamlResponseOptions {
  issuer: string;
  privateKeyPem: string;
  certificatePem: string;
  nameId: string;
  /** Default `urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`. */
  nameIdFormat?: string;
  /** Default `https://signin.aws.amazon.com/saml`. */
  audience?: string;
  recipient: string;
  /** Response Destination; defaults to the recipient. */
  destination?: string;
  attributes: Record<string, string[]>;
  now: Date;
  /** Lifetime of Conditions and SubjectConfirmationData; default 300 seconds. */
  validForSeconds?: number;
  sessionNotOnOrAfter?: Date;
  signAssertion?: boolean;
  signResponse?: boolean;
  /** Default rsa-sha256; the others exist so tests can show what the verifier does with them. */
  signatureAlgorithm?: SamlSignatureAlgorithm;
  responseId?: string;
  assertionId?: string;
}

const SIGNATURE = {
  "rsa-sha256": { signature: ALGORITHMS.rsaSha256, digest: ALGORITHMS.sha256 },
  "rsa-sha512": { signature: ALGORITHMS.rsaSha512, digest: ALGORITHMS.sha512 },
  "rsa-sha1": { signature: ALGORITHMS.rsaSha1, digest: ALGORITHMS.sha1 },
} as const;

/**
 * The built-in test IdP's IdP-initiated SAML Response, shaped like the ones Okta, ADFS and
 * Shibboleth send to AWS (signature after the Issuer, exclusive C14N, multi-valued attributes).
 *
 * Not built with samlify: its IdentityProvider.createLoginResponse needs a ServiceProvider
 * entity and a parsed AuthnRequest (it fills InResponseTo from it), while AWS federation is
 * IdP-initiated, and its default template renders one AttributeValue per attribute, which
 * cannot express AWS's multi-valued Role attribute without replacing the template wholesale.
 * The IdP metadata is written out too (idpMetadataXml.ts).
 */
export function buildSamlResponse(options: BuildSamlResponseOptions): string {
  const now = options.now;
  const until = new Date(now.getTime() + (options.validForSeconds ?? 300) * 1000);
  const responseId = options.responseId ?? `_${randomUUID()}`;
  const assertionId = options.assertionId ?? `_${randomUUID()}`;
  const issued = formatSamlTime(now);
  const e = xmlEscape;
  const attributes = Object.entries(options.attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${e(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${values
          .map((value) => `<saml:AttributeValue xsi:type="xs:string">${e(value)}</saml:AttributeValue>`)
          .join("")}</saml:Attribute>`,
    )
    .join("");
  const session = options.sessionNotOnOrAfter
    ? ` SessionNotOnOrAfter="${formatSamlTime(options.sessionNotOnOrAfter)}"`
    : "";
  let xml =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${e(responseId)}" Version="2.0" IssueInstant="${issued}" Destination="${e(options.destination ?? options.recipient)}">` +
    `<saml:Issuer>${e(options.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status>` +
    `<saml:Assertion xmlns:xs="${NS.xs}" xmlns:xsi="${NS.xsi}" ID="${e(assertionId)}" Version="2.0" IssueInstant="${issued}">` +
    `<saml:Issuer>${e(options.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${e(options.nameIdFormat ?? "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")}">${e(options.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${BEARER}"><saml:SubjectConfirmationData NotOnOrAfter="${formatSamlTime(until)}" Recipient="${e(options.recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${issued}" NotOnOrAfter="${formatSamlTime(until)}"><saml:AudienceRestriction><saml:Audience>${e(options.audience ?? AWS_SAML_ENDPOINT)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issued}" SessionIndex="${e(assertionId)}"${session}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : "") +
    `</saml:Assertion></samlp:Response>`;

  const algorithm = SIGNATURE[options.signatureAlgorithm ?? "rsa-sha256"];
  // The Assertion is signed first so a Response signature, if any, covers it as sent.
  if (options.signAssertion ?? true) {
    xml = signEnveloped(
      xml,
      assertionId,
      "/*[local-name()='Response']/*[local-name()='Assertion']",
      options,
      algorithm,
    );
  }
  if (options.signResponse ?? false) {
    xml = signEnveloped(xml, responseId, "/*[local-name()='Response']", options, algorithm);
  }
  return xml;
}

export function buildSamlResponseBase64(options: BuildSamlResponseOptions): string {
  return Buffer.from(buildSamlResponse(options), "utf8").toString("base64");
}

function signEnveloped(
  xml: string,
  id: string,
  elementPath: string,
  keys: { privateKeyPem: string; certificatePem: string },
  algorithm: { signature: string; digest: string },
): string {
  const signer = new SignedXml({
    privateKey: keys.privateKeyPem,
    publicCert: keys.certificatePem,
    signatureAlgorithm: algorithm.signature,
    canonicalizationAlgorithm: ALGORITHMS.excC14n,
  });
  signer.addReference({
    xpath: `//*[@ID='${id.replace(/'/g, "")}']`,
    transforms: [ALGORITHMS.envelopedSignature, ALGORITHMS.excC14n],
    digestAlgorithm: algorithm.digest,
  });
  // SAML's schema puts ds:Signature right after the Issuer of the signed element.
  signer.computeSignature(xml, {
    prefix: "ds",
    location: { reference: `${elementPath}/*[local-name()='Issuer']`, action: "after" },
  });
  return signer.getSignedXml();
}
