/**
 * Replay: the same signed assertion presented again. AWS accepts reuse within the validity window (tools like
 * saml2aws call AssumeRoleWithSAML once per role with one assertion), so fedsim does by default; with
 * settings.rejectReplayedAssertions each assertion ID buys one session, and is remembered for as long as the
 * verifier could still accept it (NotOnOrAfter plus the clock skew). Driven through the real SDK, because
 * replay is remembered by the service, not by the verifier.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load.js";
import { findPerson, mintAssertion } from "../../../src/idp/assertionForPerson.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { PETSTORE_ADMIN_ROLE, PETSTORE_CUSTOMER_ROLE } from "../../helpers/petstore.js";
import { assumeWithSaml } from "../../helpers/saml.js";

async function fedsimWithReplay(reject: boolean): Promise<TestFedsim> {
  const text = readFileSync("data/petstore.yaml", "utf8").replace(
    "rejectReplayedAssertions: false",
    `rejectReplayedAssertions: ${reject}`,
  );
  return startTestFedsim({
    config: { file: join(process.cwd(), "data/petstore.yaml"), config: parseConfigText(text) },
  });
}

function assertionFor(fedsim: TestFedsim, username: string): string {
  const keys = {
    privateKeyPem: readFileSync(join(fedsim.dir, "certs", "idp-signing.key"), "utf8"),
    certificatePem: readFileSync(join(fedsim.dir, "certs", "idp-signing.pem"), "utf8"),
  };
  return mintAssertion({
    config: fedsim.config,
    person: findPerson(fedsim.config, username),
    keys,
    now: fedsim.clock.now(),
  });
}
const aliceAssertion = (fedsim: TestFedsim) => assertionFor(fedsim, "alice");
const ALREADY_USED =
  "The SAML assertion has already been used (replay rejected: rejectReplayedAssertions is on)";

const send = (fedsim: TestFedsim, SAMLAssertion: string, RoleArn: string, DurationSeconds?: number) =>
  assumeWithSaml(fedsim.url, { RoleArn, SAMLAssertion, DurationSeconds });

describe("replayed assertion, rejectReplayedAssertions on", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await fedsimWithReplay(true);
  });
  afterAll(() => fedsim.stop());

  it("rejects the second use of one assertion ID with InvalidIdentityToken", async () => {
    const once = aliceAssertion(fedsim);
    await send(fedsim, once, PETSTORE_ADMIN_ROLE);
    const error = await awsError(() => send(fedsim, once, PETSTORE_CUSTOMER_ROLE));
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe(ALREADY_USED);
  });

  it("still rejects the reuse at NotOnOrAfter + 30 s, while the clock skew keeps the assertion acceptable", async () => {
    const once = aliceAssertion(fedsim);
    await send(fedsim, once, PETSTORE_ADMIN_ROLE);
    // Past NotOnOrAfter (300 s) but inside the 60 s skew: the verifier would take it, so the record must stay.
    fedsim.clock.advance(330_000);
    const error = await awsError(() => send(fedsim, once, PETSTORE_ADMIN_ROLE));
    expect(error.name).toBe("InvalidIdentityTokenException");
    expect(error.message).toBe(ALREADY_USED);
  });

  it("does not spend an assertion on a call that is refused: bob's assertion, denied PetStoreAdmin, still buys PetStoreCustomer once", async () => {
    const bobs = assertionFor(fedsim, "bob");
    const denied = await awsError(() => send(fedsim, bobs, PETSTORE_ADMIN_ROLE));
    expect(denied.name).toBe("AccessDenied");
    const ok = await send(fedsim, bobs, PETSTORE_CUSTOMER_ROLE);
    expect(ok.AssumedRoleUser?.Arn).toContain("PetStoreCustomer/bob");
    const third = await awsError(() => send(fedsim, bobs, PETSTORE_CUSTOMER_ROLE));
    expect(third.name).toBe("InvalidIdentityTokenException");
    expect(third.message).toBe(ALREADY_USED);
  });

  it("does not spend an assertion on a call refused after the trust policy (DurationSeconds above the role's maximum)", async () => {
    const once = aliceAssertion(fedsim);
    const tooLong = await awsError(() => send(fedsim, once, PETSTORE_CUSTOMER_ROLE, 43_200));
    expect(tooLong.name).toBe("ValidationError");
    await expect(send(fedsim, once, PETSTORE_CUSTOMER_ROLE)).resolves.toBeDefined();
  });

  it("lets exactly one of eight concurrent calls with one assertion through, through the API and /saml alike", async () => {
    // The check and the record are one INSERT inside the session's transaction, with no await between
    // verification and it: concurrent requests cannot both find the assertion unused.
    const once = aliceAssertion(fedsim);
    const viaApi = Array.from({ length: 4 }, () => send(fedsim, once, PETSTORE_ADMIN_ROLE));
    const viaSignIn = Array.from({ length: 4 }, () =>
      fetch(`${fedsim.url}/saml`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ SAMLResponse: once, roleIndex: "0" }).toString(),
      }).then(async (res) => {
        const page = await res.text();
        if (res.status !== 200) throw new Error(page.includes(ALREADY_USED) ? "replay" : page);
        return page;
      }),
    );
    const results = await Promise.allSettled([...viaApi, ...viaSignIn]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") {
        const reason = r.reason as Error;
        expect(
          reason.name === "InvalidIdentityTokenException" || reason.message === "replay",
          reason.message,
        ).toBe(true);
      }
    }
  });

  it("still accepts a fresh assertion for the same person", async () => {
    await send(fedsim, aliceAssertion(fedsim), PETSTORE_ADMIN_ROLE);
    await expect(send(fedsim, aliceAssertion(fedsim), PETSTORE_ADMIN_ROLE)).resolves.toBeDefined();
  });
});

describe("replayed assertion, rejectReplayedAssertions off (AWS's behaviour)", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await fedsimWithReplay(false);
  });
  afterAll(() => fedsim.stop());

  it("accepts one assertion for several roles, as saml2aws-style tools use it", async () => {
    const once = aliceAssertion(fedsim);
    await send(fedsim, once, PETSTORE_ADMIN_ROLE);
    const second = await send(fedsim, once, PETSTORE_CUSTOMER_ROLE);
    expect(second.AssumedRoleUser?.Arn).toContain("PetStoreCustomer/alice");
  });
});
