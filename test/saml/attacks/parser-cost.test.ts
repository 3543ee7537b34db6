/**
 * Parser cost: documents within the size limits whose parsing cost grows faster than their length. xmldom
 * appended every element after an unclosed root to the document itself and refused it there, at a cost
 * growing with the elements already refused: 18,000 of them (75 kB, an unsigned AssumeRoleWithSAML anyone
 * can send) held the event loop, and so every other caller, for over ten seconds. The structure and limits
 * are now checked on the text before xmldom sees it (see test/core/saml/parseXml.test.ts for each shape);
 * shown here through every door that parses XML: AssumeRoleWithSAML, /saml and CreateSAMLProvider. The
 * messages are the text pass's own, so each refusal shows xmldom was never reached (no timing is asserted;
 * how long parsing takes is for bench/, not tests).
 */
import { CreateSAMLProviderCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_XML_DEPTH, MAX_XML_ELEMENT_NAMES } from "../../../src/core/saml/parseXml.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { ADMIN, PETSTORE_ADMIN_ROLE, REGION, SAML_PROVIDER } from "../../helpers/petstore.js";
import { assumeWithSaml, postSamlSignIn } from "../../helpers/saml.js";

/** An unclosed root naming the built-in provider (so /saml picks its certificates), then a flood of elements. */
const flood = (() => {
  const root = `<r p="${SAML_PROVIDER}">`;
  const xml = root + "<a/>".repeat(Math.floor((75_000 - root.length) / 4));
  return Buffer.from(xml, "utf8").toString("base64");
})();
const NOT_CLOSED = "Invalid SAML response: malformed XML (<r> is not closed)";

describe("documents whose parsing would cost far more than their size", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("AssumeRoleWithSAML refuses a 100,000-character flood after an unclosed root at once: 400 InvalidIdentityToken", async () => {
    expect(flood.length).toBeLessThanOrEqual(100_000);
    const error = await awsError(() =>
      assumeWithSaml(fedsim.url, { RoleArn: PETSTORE_ADMIN_ROLE, SAMLAssertion: flood }),
    );
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe(NOT_CLOSED);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("/saml refuses the same flood at once: 400 with the code", async () => {
    const { status, page } = await postSamlSignIn(fedsim.url, flood);
    expect(status).toBe(400);
    expect(page).toContain("InvalidIdentityToken");
    expect(page).toContain("malformed XML (&lt;r&gt; is not closed)");
  });

  it("CreateSAMLProvider refuses metadata nested too deep before parsing it: InvalidInput", async () => {
    // A namespace declaration on each of 20,000 levels (~0.5 MB, inside the 1 MB request limit): xmldom copies
    // every declaration in scope at each level, ~10 s of work before the depth limit used to be checked.
    const levels = 20_000;
    const open = Array.from({ length: levels }, (_, i) => `<a xmlns:p${i}="u">`).join("");
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    const error = await awsError(() =>
      iam.send(
        new CreateSAMLProviderCommand({
          Name: "deep",
          SAMLMetadataDocument: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">${open}${"</a>".repeat(levels)}</md:EntityDescriptor>`,
        }),
      ),
    );
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `Could not parse metadata: elements are nested more than ${MAX_XML_DEPTH} levels deep`,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it(`CreateSAMLProvider refuses metadata with more than ${MAX_XML_ELEMENT_NAMES} element names: InvalidInput`, async () => {
    const names = Array.from({ length: MAX_XML_ELEMENT_NAMES }, (_, i) => `<e${i}/><e${i}></e${i}>`).join("");
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    const error = await awsError(() =>
      iam.send(
        new CreateSAMLProviderCommand({
          Name: "names",
          SAMLMetadataDocument: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">${names}</md:EntityDescriptor>`,
        }),
      ),
    );
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `Could not parse metadata: more than ${MAX_XML_ELEMENT_NAMES} different element names`,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});
