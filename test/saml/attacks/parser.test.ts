import { describe, expect, it } from "vitest";
import { verifySamlResponse } from "../../../src/core/saml/verifyResponse.js";
import { base64, expectAwsError, idp, NOW, responseXml, verifyXml } from "../fixtures.js";

const verifyBase64 = (encoded: string, maxBytes?: number) =>
  verifySamlResponse(encoded, {
    trustedCertificates: [idp.certificatePem],
    now: NOW,
    ...(maxBytes === undefined ? {} : { maxBytes }),
  });

/** The signed response with markup spliced in before the root element. */
const withProlog = (prolog: string) => `<?xml version="1.0" encoding="UTF-8"?>${prolog}${responseXml()}`;

describe("parser attacks", () => {
  it("rejects XXE: an external entity pulling in a local file", () => {
    const xml = withProlog('<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace(
      ">alice<",
      ">&xxe;<",
    );
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: DOCTYPE is not allowed (DTDs and entities are refused)",
    );
  });

  it("rejects billion laughs: nested entity expansion", () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`),
    ].join("");
    const xml = withProlog(`<!DOCTYPE r [${lol}]>`).replace(">alice<", ">&lol9;<");
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: DOCTYPE is not allowed (DTDs and entities are refused)",
    );
  });

  it("rejects any DTD, even an empty internal one", () => {
    expectAwsError(
      () => verifyXml(withProlog("<!DOCTYPE samlp:Response>")),
      "InvalidIdentityToken",
      "Invalid SAML response: DOCTYPE is not allowed (DTDs and entities are refused)",
    );
  });

  it("rejects an undeclared entity reference (no DTD to define it)", () => {
    expectAwsError(
      () => verifyXml(responseXml().replace(">alice<", ">&xxe;<")),
      "InvalidIdentityToken",
      /^Invalid SAML response: malformed XML/,
    );
  });

  it("rejects processing instructions other than the XML declaration", () => {
    expectAwsError(
      () => verifyXml(withProlog('<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?>')),
      "InvalidIdentityToken",
      "Invalid SAML response: processing instructions are not allowed",
    );
  });

  it("accepts the XML declaration and a byte-order mark", () => {
    expect(verifyXml(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n${responseXml()}`).nameId).toBe(
      "alice@example.com",
    );
  });

  it("rejects an encoding other than UTF-8", () => {
    expectAwsError(
      () => verifyXml(`<?xml version="1.0" encoding="UTF-16"?>${responseXml()}`),
      "InvalidIdentityToken",
      "Invalid SAML response: XML encoding UTF-16 is not supported (UTF-8 only)",
    );
  });

  it("rejects truncated base64", () => {
    const encoded = base64(responseXml());
    expectAwsError(
      () => verifyBase64(encoded.slice(0, encoded.length - 3)),
      "InvalidIdentityToken",
      "Invalid SAML response: SAMLAssertion is not valid base64",
    );
  });

  it("rejects base64 cut on a 4-character boundary as malformed XML", () => {
    const encoded = base64(responseXml());
    expectAwsError(
      () => verifyBase64(encoded.slice(0, 400)),
      "InvalidIdentityToken",
      /^Invalid SAML response: malformed XML/,
    );
  });

  it("rejects characters outside the base64 alphabet", () => {
    expectAwsError(
      () => verifyBase64("PHNhbWxwOlJlc3BvbnNl!!!!"),
      "InvalidIdentityToken",
      "Invalid SAML response: SAMLAssertion is not valid base64",
    );
  });

  it("rejects padding in the middle of the text", () => {
    expectAwsError(
      () => verifyBase64("PA==PA=="),
      "InvalidIdentityToken",
      "Invalid SAML response: SAMLAssertion is not valid base64",
    );
  });

  it("accepts base64 wrapped at 76 columns", () => {
    const wrapped = (base64(responseXml()).match(/.{1,76}/g) ?? []).join("\r\n");
    expect(verifyBase64(wrapped).nameId).toBe("alice@example.com");
  });

  it("rejects decoded bytes that are not UTF-8", () => {
    expectAwsError(
      () => verifyBase64(Buffer.from([0x3c, 0xff, 0xfe, 0x3e]).toString("base64")),
      "InvalidIdentityToken",
      "Invalid SAML response: the decoded SAMLAssertion is not UTF-8 text",
    );
  });

  it("rejects a multi-megabyte input before decoding it, like STS's 100,000-character limit", () => {
    const huge = "!".repeat(5 * 1024 * 1024); // not even base64: the size check must come first
    expectAwsError(
      () => verifyBase64(huge),
      "ValidationError",
      "1 validation error detected: Value at 'SAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to 100000",
    );
  });

  it("applies a caller's smaller maxBytes", () => {
    const padded = responseXml().replace("<saml:Issuer>", `<!--${"x".repeat(3000)}--><saml:Issuer>`);
    expectAwsError(
      () => verifyBase64(base64(padded), 3000),
      "ValidationError",
      /^1 validation error detected/,
    );
  });

  it("rejects an element with an undeclared prefix (invisible to namespace-exact readers)", () => {
    const xml = responseXml().replace("</samlp:Response>", '<saml2:Assertion ID="_ghost"/></samlp:Response>');
    expectAwsError(
      () => verifyXml(xml),
      "InvalidIdentityToken",
      "Invalid SAML response: malformed XML (undeclared namespace prefix saml2)",
    );
  });

  it("rejects text that is not XML at all", () => {
    expectAwsError(
      () => verifyBase64(base64("hello, world")),
      "InvalidIdentityToken",
      /^Invalid SAML response: malformed XML/,
    );
  });

  it("rejects a document whose root is not a samlp:Response", () => {
    const bare = responseXml()
      .replace(/^.*?(<saml:Assertion)/, "$1")
      .replace("</samlp:Response>", "");
    expectAwsError(
      () =>
        verifyXml(
          bare.replace(
            "<saml:Assertion ",
            `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" `,
          ),
        ),
      "InvalidIdentityToken",
      "Invalid SAML response: the document is not a samlp:Response",
    );
  });
});
