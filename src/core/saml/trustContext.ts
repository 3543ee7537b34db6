import { createHash } from "node:crypto";
import { NAMEID_FORMAT_PREFIX } from "./constants.js";
import type { VerifiedAssertion } from "./verifyResponse.js";

/**
 * AWS's NameQualifier: BASE64(SHA1(issuer + accountId + "/" + providerName)), e.g.
 * ("https://example.com/saml", "123456789012", "MySAMLIdP"). With the subject it names one user.
 */
export function samlNameQualifier(issuer: string, accountId: string, providerName: string): string {
  return createHash("sha1").update(`${issuer}${accountId}/${providerName}`, "utf8").digest("base64");
}

/**
 * SubjectType / SAML:sub_type: the NameID Format with the SAML 2.0 nameid-format prefix
 * removed (so `persistent`, `transient`), any other format as written. With no Format, the SAML
 * default `...:1.1:nameid-format:unspecified` applies (fedsim's guess at what AWS reports).
 */
export function samlSubjectType(nameIdFormat: string | undefined): string {
  const format = nameIdFormat ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
  return format.startsWith(NAMEID_FORMAT_PREFIX) ? format.slice(NAMEID_FORMAT_PREFIX.length) : format;
}

// eduPerson/eduOrg and X.500 attributes AWS copies into SAML:* keys, by their OID names.
const EDU = "urn:oid:1.3.6.1.4.1.5923.1";
const ATTRIBUTE_KEYS: Record<string, string> = {
  [`${EDU}.1.1.1`]: "SAML:edupersonaffiliation",
  [`${EDU}.1.1.2`]: "SAML:edupersonnickname",
  [`${EDU}.1.1.3`]: "SAML:edupersonorgdn",
  [`${EDU}.1.1.4`]: "SAML:edupersonorgunitdn",
  [`${EDU}.1.1.5`]: "SAML:edupersonprimaryaffiliation",
  [`${EDU}.1.1.6`]: "SAML:edupersonprincipalname",
  [`${EDU}.1.1.7`]: "SAML:edupersonentitlement",
  [`${EDU}.1.1.8`]: "SAML:edupersonprimaryorgunitdn",
  [`${EDU}.1.1.9`]: "SAML:edupersonscopedaffiliation",
  [`${EDU}.1.1.10`]: "SAML:edupersontargetedid",
  [`${EDU}.1.1.11`]: "SAML:edupersonassurance",
  [`${EDU}.2.1.2`]: "SAML:eduorghomepageuri",
  [`${EDU}.2.1.3`]: "SAML:eduorgidentityauthnpolicyuri",
  [`${EDU}.2.1.4`]: "SAML:eduorglegalname",
  [`${EDU}.2.1.5`]: "SAML:eduorgsuperioruri",
  [`${EDU}.2.1.6`]: "SAML:eduorgwhitepagesuri",
  "urn:oid:2.5.4.3": "SAML:cn",
};

export type SamlTrustContext = Record<string, string | string[]>;

/**
 * The condition keys a role trust policy sees on sts:AssumeRoleWithSAML. SAML:aud is the
 * SubjectConfirmationData Recipient, not the Audience, as AWS documents; SAML:doc is
 * `accountId/providerName`, the provider the assertion was checked against.
 */
export function samlTrustContext(input: {
  assertion: Pick<VerifiedAssertion, "issuer" | "nameId" | "nameIdFormat" | "recipient" | "attributes">;
  accountId: string;
  providerName: string;
}): SamlTrustContext {
  const { assertion, accountId, providerName } = input;
  const context: SamlTrustContext = {
    "SAML:aud": assertion.recipient,
    "SAML:iss": assertion.issuer,
    "SAML:sub": assertion.nameId,
    "SAML:sub_type": samlSubjectType(assertion.nameIdFormat),
    "SAML:namequalifier": samlNameQualifier(assertion.issuer, accountId, providerName),
    "SAML:doc": `${accountId}/${providerName}`,
  };
  for (const [name, key] of Object.entries(ATTRIBUTE_KEYS)) {
    const values = Object.hasOwn(assertion.attributes, name) ? assertion.attributes[name] : undefined;
    if (values && values.length > 0) context[key] = values.length === 1 ? values[0]! : [...values];
  }
  return context;
}
