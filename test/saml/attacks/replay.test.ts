/**
 * Replay: the same signed assertion presented again. AWS accepts reuse within the validity window (tools like
 * saml2aws call AssumeRoleWithSAML once per role with one assertion), so fedsim does by default; with
 * settings.rejectReplayedAssertions each assertion ID is accepted once, until its NotOnOrAfter has passed.
 * Driven through the real SDK, because replay is remembered by the service, not by the verifier.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AssumeRoleWithSAMLCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../../src/config/load.js";
import { findPerson, mintAssertion } from "../../../src/idp/assertionForPerson.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import {
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
  SAML_PROVIDER,
} from "../../helpers/petstore.js";

async function fedsimWithReplay(reject: boolean): Promise<TestFedsim> {
  const text = readFileSync("data/petstore.yaml", "utf8").replace(
    "rejectReplayedAssertions: false",
    `rejectReplayedAssertions: ${reject}`,
  );
  return startTestFedsim({
    config: { file: join(process.cwd(), "data/petstore.yaml"), config: parseConfigText(text) },
  });
}

function aliceAssertion(fedsim: TestFedsim): string {
  const keys = {
    privateKeyPem: readFileSync(join(fedsim.dir, "certs", "idp-signing.key"), "utf8"),
    certificatePem: readFileSync(join(fedsim.dir, "certs", "idp-signing.pem"), "utf8"),
  };
  return mintAssertion({
    config: fedsim.deps.config,
    person: findPerson(fedsim.deps.config, "alice"),
    keys,
    now: fedsim.clock.now(),
  });
}

const send = (fedsim: TestFedsim, SAMLAssertion: string, RoleArn: string) =>
  new STSClient({
    region: REGION,
    endpoint: fedsim.url,
    maxAttempts: 1,
    credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
  }).send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: SAML_PROVIDER, SAMLAssertion }));

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
    expect(error.message).toBe(
      "The SAML assertion has already been used (replay rejected: rejectReplayedAssertions is on)",
    );
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
