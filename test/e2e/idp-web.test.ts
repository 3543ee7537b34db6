import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { parseIdpMetadata } from "../../src/core/saml/metadata.js";
import { findPerson, mintAssertion } from "../../src/idp/assertionForPerson.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const samlResponseIn = (html: string) => /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];

describe("the built-in IdP and the /saml sign-in page", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("publishes metadata that IAM's parser accepts, with the IdP's signing certificate", async () => {
    const res = await fetch(`${fedsim.url}/idp/metadata`);
    expect(res.status).toBe(200);
    const metadata = parseIdpMetadata(await res.text());
    expect(metadata.entityId).toBe("urn:fedsim:idp");
    expect(metadata.signingCertificates).toHaveLength(1);
    expect(metadata.ssoUrls).toEqual([`${fedsim.url}/idp/sso`]);
  });

  it("refuses a wrong password with 401 and the form again", async () => {
    const res = await fetch(`${fedsim.url}/idp/login`, form({ username: "alice", password: "nope" }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Wrong username or password.");
    expect(
      (await fetch(`${fedsim.url}/idp/login`, form({ username: "mallory", password: "x" }))).status,
    ).toBe(401);
  });

  it("signs alice in, hands a signed SAMLResponse to /saml, offers both roles, and shows credentials for the chosen one", async () => {
    const login = await fetch(
      `${fedsim.url}/idp/login`,
      form({ username: "alice", password: "alice-password" }),
    );
    expect(login.status).toBe(200);
    const page = await login.text();
    expect(page).toContain('action="/saml"');
    const samlResponse = samlResponseIn(page)!;
    const picker = await (await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: samlResponse }))).text();
    expect(picker).toContain("arn:aws:iam::123456789012:role/PetStoreAdmin");
    expect(picker).toContain("arn:aws:iam::123456789012:role/PetStoreCustomer");
    const creds = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: samlResponse, roleIndex: "0" }));
    expect(creds.status).toBe(200);
    const text = await creds.text();
    expect(text).toMatch(/export AWS_ACCESS_KEY_ID=ASIA[A-Z2-7]{16}/);
    expect(text).toContain("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
  });

  it("skips the picker for a person with one role", async () => {
    const assertion = mintAssertion({
      config: fedsim.deps.config,
      person: findPerson(fedsim.deps.config, "bob"),
      keys: keysOf(fedsim),
      now: fedsim.clock.now(),
    });
    const text = await (await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion }))).text();
    expect(text).toContain("assumed-role/PetStoreCustomer/bob");
  });

  it("shows an error page with the AWS code for an assertion signed by an unknown key", async () => {
    const forged = await generateSigningCertificate({ commonName: "mallory" });
    const assertion = mintAssertion({
      config: fedsim.deps.config,
      person: findPerson(fedsim.deps.config, "alice"),
      keys: forged,
      now: fedsim.clock.now(),
    });
    const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion, roleIndex: "0" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("InvalidIdentityToken");
  });

  it("answers 400, not 500, for a missing or garbage SAMLResponse", async () => {
    expect((await fetch(`${fedsim.url}/saml`, form({}))).status).toBe(400);
    expect((await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: "%%%not-base64" }))).status).toBe(400);
  });

  it("answers an oversized sign-in form with 413 and no stack trace", async () => {
    const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: "A".repeat(400_000) }));
    expect(res.status).toBe(413);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ __type: "RequestEntityTooLarge" });
    expect(body).not.toMatch(/at \w+ \(/);
  });

  it("answers a malformed form encoding with 4xx, not 500", async () => {
    const res = await fetch(`${fedsim.url}/idp/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-16" },
      body: "username=a",
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

function keysOf(fedsim: TestFedsim) {
  return {
    privateKeyPem: readFileSync(`${fedsim.dir}/certs/idp-signing.key`, "utf8"),
    certificatePem: readFileSync(`${fedsim.dir}/certs/idp-signing.pem`, "utf8"),
  };
}
