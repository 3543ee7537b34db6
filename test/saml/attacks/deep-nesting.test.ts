/**
 * Deep nesting: thousands of nested elements fit inside the 100,000-character limit, and any recursive walk
 * over them (the verifier's readers, the canonicaliser) overflows the stack. The parser refuses documents
 * nested more than MAX_XML_DEPTH levels before anything walks them, so the caller gets a 400
 * InvalidIdentityToken, never a 500. Shown on the verifier and through both doors: the STS API and /saml.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_XML_DEPTH } from "../../../src/core/saml/parseXml.js";
import { findPerson, mintAssertion } from "../../../src/idp/assertionForPerson.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { PETSTORE_ADMIN_ROLE } from "../../helpers/petstore.js";
import { assumeWithSaml, postSamlSignIn } from "../../helpers/saml.js";
import { expectAwsError, responseXml, verifyXml } from "../fixtures.js";

/** `levels` nested elements inside the Response (outside the signed Assertion, so the signature still holds). */
const nested = (xml: string, levels: number) =>
  xml.replace("</samlp:Response>", `${"<a>".repeat(levels)}${"</a>".repeat(levels)}</samlp:Response>`);

const TOO_DEEP = `Invalid SAML response: elements are nested more than ${MAX_XML_DEPTH} levels deep`;

describe("deeply nested XML", () => {
  it("rejects ~6,000 nested elements with InvalidIdentityToken instead of overflowing the stack", () => {
    expectAwsError(() => verifyXml(nested(responseXml(), 6000)), "InvalidIdentityToken", TOO_DEEP);
  });

  it("rejects nesting inside the signed Assertion before the canonicaliser recurses into it", () => {
    const xml = responseXml().replace(
      "</saml:AttributeStatement>",
      `${"<x>".repeat(6000)}${"</x>".repeat(6000)}</saml:AttributeStatement>`,
    );
    expectAwsError(() => verifyXml(xml), "InvalidIdentityToken", TOO_DEEP);
  });

  it(`draws the line at ${MAX_XML_DEPTH} levels, far above any real SAML response`, () => {
    // The Response is level 1, so the nesting below it may add MAX_XML_DEPTH - 1 levels.
    expect(verifyXml(nested(responseXml(), MAX_XML_DEPTH - 1)).nameId).toBe("alice@example.com");
    expectAwsError(() => verifyXml(nested(responseXml(), MAX_XML_DEPTH)), "InvalidIdentityToken", TOO_DEEP);
  });
});

describe("deeply nested XML through the wire", () => {
  let fedsim: TestFedsim;
  let deep: string;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    const signed = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "alice"),
      keys: {
        privateKeyPem: readFileSync(join(fedsim.dir, "certs", "idp-signing.key"), "utf8"),
        certificatePem: readFileSync(join(fedsim.dir, "certs", "idp-signing.pem"), "utf8"),
      },
      now: fedsim.clock.now(),
    });
    const xml = nested(Buffer.from(signed, "base64").toString("utf8"), 6000);
    deep = Buffer.from(xml, "utf8").toString("base64");
    expect(deep.length).toBeLessThan(100_000);
  });
  afterAll(() => fedsim.stop());

  it("AssumeRoleWithSAML answers 400 InvalidIdentityToken, not 500 InternalFailure", async () => {
    const error = await awsError(() =>
      assumeWithSaml(fedsim.url, { RoleArn: PETSTORE_ADMIN_ROLE, SAMLAssertion: deep }),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe(TOO_DEEP);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("the /saml sign-in page answers 400 with the code, not 500", async () => {
    const { status, page } = await postSamlSignIn(fedsim.url, deep);
    expect(status).toBe(400);
    expect(page).toContain("InvalidIdentityToken");
    expect(page).toContain(`nested more than ${MAX_XML_DEPTH} levels deep`);
  });
});
