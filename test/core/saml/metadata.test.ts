import * as samlify from "samlify";
import { describe, expect, it } from "vitest";
import { idpMetadataXml } from "../../../src/core/saml/idpMetadataXml.js";
import { parseIdpMetadata } from "../../../src/core/saml/metadata.js";
import { attacker, expectAwsError, ISSUER, idp, responseXml, verifyXml } from "../../saml/fixtures.js";

const derOf = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, "");

describe("IdP metadata", () => {
  it("writes the built-in IdP's metadata exactly as samlify does, escaping included", () => {
    for (const [entityId, ssoUrl] of [
      [ISSUER, "http://127.0.0.1:4566/idp/sso"],
      [`urn:x&<y>"'`, "http://[::1]:1/idp/sso?a=1&b=<2>\"'"],
    ] as const) {
      const der = derOf(idp.certificatePem);
      const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
      const bySamlify = samlify
        .IdentityProvider({
          entityID: entityId,
          signingCert: der,
          nameIDFormat: ["urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"],
          singleSignOnService: [{ Binding: POST, Location: ssoUrl }],
          singleLogoutService: [{ Binding: POST, Location: ssoUrl }],
        })
        .getMetadata();
      expect(idpMetadataXml({ entityId, certificatePem: idp.certificatePem, ssoUrl })).toBe(bySamlify);
    }
  });

  it("reads back the built-in IdP's metadata", () => {
    const xml = idpMetadataXml({
      entityId: ISSUER,
      certificatePem: idp.certificatePem,
      ssoUrl: "http://localhost:4566/idp/sso",
    });
    const metadata = parseIdpMetadata(xml);
    expect(metadata.entityId).toBe(ISSUER);
    expect(metadata.ssoUrls).toEqual(["http://localhost:4566/idp/sso"]);
    expect(metadata.signingCertificates.map(derOf)).toEqual([derOf(idp.certificatePem)]);
  });

  it("yields certificates the verifier trusts (metadata → verify)", () => {
    const { signingCertificates } = parseIdpMetadata(
      idpMetadataXml({ entityId: ISSUER, certificatePem: idp.certificatePem, ssoUrl: "https://idp/sso" }),
    );
    expect(verifyXml(responseXml(), { trustedCertificates: signingCertificates }).issuer).toBe(ISSUER);
  });

  const md = (body: string, attrs = "") =>
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${ISSUER}"${attrs}>${body}</md:EntityDescriptor>`;
  const key = (pem: string, use?: string) =>
    `<md:KeyDescriptor${use ? ` use="${use}"` : ""}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n${derOf(pem).replace(/(.{64})/g, "$1\n")}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
  const idpDescriptor = (inner: string) =>
    `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${inner}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp/sso"/></md:IDPSSODescriptor>`;

  it("keeps signing and unqualified keys, skips encryption-only keys, and reads validUntil", () => {
    const metadata = parseIdpMetadata(
      md(
        idpDescriptor(key(idp.certificatePem, "signing") + key(attacker.certificatePem, "encryption")),
        ' validUntil="2030-01-01T00:00:00Z"',
      ),
    );
    expect(metadata.signingCertificates.map(derOf)).toEqual([derOf(idp.certificatePem)]);
    expect(metadata.validUntil).toEqual(new Date("2030-01-01T00:00:00Z"));
    expect(
      parseIdpMetadata(md(idpDescriptor(key(attacker.certificatePem)))).signingCertificates,
    ).toHaveLength(1);
  });

  it("accepts an EntitiesDescriptor holding exactly one entity", () => {
    const inner = md(idpDescriptor(key(idp.certificatePem)));
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${inner}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(xml).entityId).toBe(ISSUER);
  });

  const bad: Array<[string, string, string]> = [
    ["not XML", "hello", /^Could not parse metadata: malformed XML/.source],
    [
      "a DOCTYPE (XXE)",
      `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${md(idpDescriptor(key(idp.certificatePem)))}`,
      "Could not parse metadata: DOCTYPE is not allowed (DTDs and entities are refused)",
    ],
    [
      "SP metadata",
      md("<md:SPSSODescriptor/>"),
      "Could not parse metadata: no IDPSSODescriptor (this is not identity provider metadata)",
    ],
    [
      "no signing certificate",
      md(idpDescriptor("")),
      "Could not parse metadata: the IDPSSODescriptor has no signing certificate",
    ],
    [
      "a broken certificate",
      md(
        idpDescriptor(
          "<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>",
        ),
      ),
      "Could not parse metadata: an X509Certificate is not a valid X.509 certificate",
    ],
    [
      "no entityID",
      md(idpDescriptor(key(idp.certificatePem))).replace(` entityID="${ISSUER}"`, ""),
      "Could not parse metadata: EntityDescriptor has no entityID",
    ],
    [
      "elements nested 6,000 deep (would overflow a recursive walk)",
      md(idpDescriptor(`${"<a>".repeat(6000)}${"</a>".repeat(6000)}`)),
      "Could not parse metadata: elements are nested more than 64 levels deep",
    ],
    [
      "a foreign root",
      "<x/>",
      "Could not parse metadata: the root element is x, not a SAML 2.0 metadata EntityDescriptor",
    ],
  ];
  for (const [what, xml, message] of bad) {
    it(`rejects metadata with ${what} as InvalidInput`, () => {
      expectAwsError(
        () => parseIdpMetadata(xml),
        "InvalidInput",
        message.startsWith("^") ? new RegExp(message) : message,
      );
    });
  }
});
