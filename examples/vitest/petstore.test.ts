/**
 * An example suite for your own project: one fedsim per test file, people signed in through the built-in
 * IdP, expiry shown by moving fedsim's clock, and the decision log read back. In your project:
 *   npm i -D fedsim      (from a clone or a packed tarball; see fedsim's README)
 * then import from "fedsim/testing" exactly as below.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type TestFedsim, startTestFedsim } from "fedsim/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("the pet-store story against fedsim", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim(); // the pet-store demo, in memory, on a free port
  });
  afterAll(() => fedsim.close());

  const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({ region: "us-east-1", endpoint: fedsim.url, credentials, maxAttempts: 1 });

  it("signs Alice in as a pet-store admin", async () => {
    const alice = await fedsim.credentialsFor("alice", { role: "PetStoreAdmin" });
    const me = await sts(alice).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toMatch(/:assumed-role\/PetStoreAdmin\//);
  });

  it("signs Bob in through the built-in OpenID issuer too (web identity)", async () => {
    const bob = await fedsim.credentialsFor("bob", { via: "oidc" });
    const me = await sts(bob).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob");
  });

  it("does not let Bob become an admin", async () => {
    await expect(fedsim.credentialsFor("bob", { role: "PetStoreAdmin" })).rejects.toThrow(/may not assume PetStoreAdmin/);
  });

  it("expires Bob's session when the clock passes its end, without sleeping", async () => {
    const bob = await fedsim.credentialsFor("bob", { durationSeconds: 900 });
    await sts(bob).send(new GetCallerIdentityCommand({}));
    fedsim.clock.advance(901_000);
    await expect(sts(bob).send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: "ExpiredToken" });
    // Back to the real time: the SDK signs with it, and fedsim allows 15 minutes of skew.
    fedsim.clock.set(Date.now());
  });

  it("explains a denial through the decision log", async () => {
    const bob = await fedsim.credentialsFor("bob");
    const denied = await sts(bob)
      .send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::123456789012:role/PetStoreAdmin", RoleSessionName: "try" }))
      .catch((error: { $metadata: { requestId: string } }) => error);
    const [record] = await fedsim.decisions({ requestId: (denied as { $metadata: { requestId: string } }).$metadata.requestId });
    expect(record).toMatchObject({ action: "sts:AssumeRole", decision: "implicit-deny" });
    expect(record!.reason).toContain("no identity-based policy allows the sts:AssumeRole action");
  });
});
