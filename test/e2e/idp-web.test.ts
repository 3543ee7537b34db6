import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSamlResponseBase64 } from "../../src/core/saml/buildResponse.js";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { parseIdpMetadata } from "../../src/core/saml/metadata.js";
import { findPerson, mintAssertion } from "../../src/idp/assertionForPerson.js";
import { BUILTIN_IDP_ENTITY_ID } from "../../src/idp/constants.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { PETSTORE_ADMIN_ROLE, PETSTORE_CUSTOMER_ROLE, SAML_PROVIDER } from "../helpers/petstore.js";

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const samlResponseIn = (html: string) => /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];
const validUntil = (html: string) => new Date(/<time>([^<]+)<\/time>/.exec(html)?.[1] ?? "invalid");

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
    // The region too, so that the lines work pasted into a fresh shell.
    expect(text).toContain(
      `export AWS_ENDPOINT_URL=${fedsim.url}\nexport AWS_REGION=us-east-1\nexport AWS_DEFAULT_REGION=us-east-1</pre>`,
    );
  });

  it("skips the picker for a person with one role", async () => {
    const assertion = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "bob"),
      keys: keysOf(fedsim),
      now: fedsim.clock.now(),
    });
    const text = await (await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion }))).text();
    expect(text).toContain("assumed-role/PetStoreCustomer/bob");
  });

  it("shows an error page with the AWS code for an assertion signed by an unknown key", async () => {
    const forged = await generateSigningCertificate({ commonName: "mallory" });
    const assertion = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "alice"),
      keys: forged,
      now: fedsim.clock.now(),
    });
    const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion, roleIndex: "0" }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("InvalidIdentityToken");
  });

  describe("console session length (SessionDuration, which AWS's sign-in honours and its API ignores)", () => {
    /** An assertion from the built-in IdP for one role, with optional SessionDuration and SessionNotOnOrAfter. */
    const signIn = async (
      role: string,
      extra: { sessionDuration?: string; sessionNotOnOrAfter?: Date } = {},
    ) => {
      const SAMLResponse = buildSamlResponseBase64({
        issuer: BUILTIN_IDP_ENTITY_ID,
        ...keysOf(fedsim),
        nameId: "alice@petstore.example",
        recipient: "https://signin.aws.amazon.com/saml",
        attributes: {
          "https://aws.amazon.com/SAML/Attributes/Role": [`${role},${SAML_PROVIDER}`],
          "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["alice"],
          ...(extra.sessionDuration === undefined
            ? {}
            : { "https://aws.amazon.com/SAML/Attributes/SessionDuration": [extra.sessionDuration] }),
        },
        now: fedsim.clock.now(),
        ...(extra.sessionNotOnOrAfter ? { sessionNotOnOrAfter: extra.sessionNotOnOrAfter } : {}),
      });
      const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse }));
      expect(res.status).toBe(200);
      // In whole seconds: the shown Expiration may have lost the clock's milliseconds.
      const now = Math.floor(fedsim.clock.now().getTime() / 1000);
      return (Math.floor(validUntil(await res.text()).getTime() / 1000) - now) * 1000;
    };

    it("lasts one hour without SessionDuration", async () => {
      expect(await signIn(PETSTORE_ADMIN_ROLE)).toBe(3_600_000);
    });

    it("lasts for SessionDuration, shorter or longer than the default", async () => {
      expect(await signIn(PETSTORE_ADMIN_ROLE, { sessionDuration: "900" })).toBe(900_000);
      expect(await signIn(PETSTORE_ADMIN_ROLE, { sessionDuration: "43200" })).toBe(43_200_000);
    });

    it("is capped by the role's MaxSessionDuration (PetStoreCustomer: one hour)", async () => {
      expect(await signIn(PETSTORE_CUSTOMER_ROLE, { sessionDuration: "43200" })).toBe(3_600_000);
    });

    it("is cut short by SessionNotOnOrAfter", async () => {
      const end = new Date(fedsim.clock.now().getTime() + 600_000);
      expect(await signIn(PETSTORE_ADMIN_ROLE, { sessionDuration: "7200", sessionNotOnOrAfter: end })).toBe(
        600_000,
      );
    });
  });

  it("takes an assertion addressed to fedsim's own /saml, and its trust policies see the AWS sign-in URL as SAML:aud", async () => {
    const SAMLResponse = buildSamlResponseBase64({
      issuer: BUILTIN_IDP_ENTITY_ID,
      ...keysOf(fedsim),
      nameId: "bob@petstore.example",
      recipient: `${fedsim.url}/saml`,
      attributes: {
        "https://aws.amazon.com/SAML/Attributes/Role": [`${PETSTORE_CUSTOMER_ROLE},${SAML_PROVIDER}`],
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["bob"],
      },
      now: fedsim.clock.now(),
    });
    const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("assumed-role/PetStoreCustomer/bob");
  });

  it("accepts only plain digits as roleIndex, and answers anything else with 400 ValidationError", async () => {
    const assertion = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "alice"),
      keys: keysOf(fedsim),
      now: fedsim.clock.now(),
    });
    for (const roleIndex of ["1e0", "0x1", " 1", "1 ", "-1", "1.0", "", "+1"]) {
      const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion, roleIndex }));
      expect(res.status, `roleIndex ${JSON.stringify(roleIndex)}`).toBe(400);
      expect(await res.text()).toContain(
        "ValidationError: roleIndex must be the number of one of the roles offered.",
      );
    }
    const out = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion, roleIndex: "1" }));
    expect(out.status).toBe(200);
    expect(await out.text()).toContain("assumed-role/PetStoreCustomer/alice");
    const beyond = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion, roleIndex: "2" }));
    expect(beyond.status).toBe(400);
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

describe("sign-in to a role that has a path", () => {
  let fedsim: TestFedsim;
  const dir = mkdtempSync(join(tmpdir(), "fedsim-path-"));
  beforeAll(async () => {
    // PetStoreCustomer under /pets/: the config's people still list it by name.
    const config = join(dir, "petstore-paths.yaml");
    writeFileSync(
      config,
      readFileSync("data/petstore.yaml", "utf8").replace(
        "      - name: PetStoreCustomer\n",
        "      - name: PetStoreCustomer\n        path: /pets/\n",
      ),
    );
    fedsim = await startTestFedsim({ config });
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs bob in at /saml: his assertion names the role by its full ARN, path included", async () => {
    const assertion = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "bob"),
      keys: keysOf(fedsim),
      now: fedsim.clock.now(),
    });
    const res = await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob");
  });
});

describe("the credentials page in a config with another region", () => {
  let fedsim: TestFedsim;
  const dir = mkdtempSync(join(tmpdir(), "fedsim-region-"));
  beforeAll(async () => {
    const config = join(dir, "petstore-eu.yaml");
    writeFileSync(
      config,
      readFileSync("data/petstore.yaml", "utf8")
        .replace("region: us-east-1", "region: eu-west-2")
        // The PetStore identity pool's id (and the trust policies naming it) start with its region.
        .replaceAll("us-east-1:3f1c9a52-", "eu-west-2:3f1c9a52-")
        // And so does the PetStoreUsers user pool's, and its Logins key.
        .replaceAll("us-east-1_PetStore1", "eu-west-2_PetStore1")
        .replaceAll("cognito-idp.us-east-1.", "cognito-idp.eu-west-2."),
    );
    fedsim = await startTestFedsim({ config });
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints AWS_REGION and AWS_DEFAULT_REGION as the config's region", async () => {
    expect(fedsim.config.region).toBe("eu-west-2");
    const assertion = mintAssertion({
      config: fedsim.config,
      person: findPerson(fedsim.config, "bob"),
      keys: keysOf(fedsim),
      now: fedsim.clock.now(),
    });
    const text = await (await fetch(`${fedsim.url}/saml`, form({ SAMLResponse: assertion }))).text();
    const lines = /<pre id="exports">([^<]*)<\/pre>/.exec(text)?.[1]?.split("\n") ?? [];
    expect(lines.filter((l) => /REGION=/.test(l))).toEqual([
      "export AWS_REGION=eu-west-2",
      "export AWS_DEFAULT_REGION=eu-west-2",
    ]);
  });
});

function keysOf(fedsim: TestFedsim) {
  return {
    privateKeyPem: readFileSync(`${fedsim.dir}/certs/idp-signing.key`, "utf8"),
    certificatePem: readFileSync(`${fedsim.dir}/certs/idp-signing.pem`, "utf8"),
  };
}
