import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FedsimClientError, startTestFedsim, type TestFedsim } from "../../src/testing/index.js";

const arnOf = (role: string) => `arn:aws:sts::123456789012:assumed-role/${role}/CognitoIdentityCredentials`;
const PETS = (fedsim: TestFedsim) => `${fedsim.url}/restapis/petstore/prod/_user_request_/pets`;

describe("the test kit's credentialsFor through Cognito", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.close());

  it("via identity-pool: the built-in issuer's token at the PetStore identity pool, rule-mapped roles", async () => {
    const alice = await fedsim.credentialsFor("alice", { via: "identity-pool" });
    expect(alice.arn).toBe(arnOf("PetStoreAdmin"));
    expect(alice.userId).toMatch(/^AROA[A-Z2-7]{16,}:CognitoIdentityCredentials$/);
    const bob = await fedsim.credentialsFor("bob", { via: "identity-pool" });
    expect(bob.arn).toBe(arnOf("PetStoreCustomer"));
  });

  it("via user-pool: USER_PASSWORD_AUTH, then the identity pool; role picks CustomRoleArn among the groups' roles", async () => {
    expect((await fedsim.credentialsFor("alice", { via: "user-pool" })).arn).toBe(arnOf("PetStoreAdmin"));
    const asCustomer = await fedsim.credentialsFor("alice", { via: "user-pool", role: "PetStoreCustomer" });
    expect(asCustomer.arn).toBe(arnOf("PetStoreCustomer"));
  });

  it("hands out credentials the gateway decides on: Bob from the user pool may GET /pets but not POST", async () => {
    const bob = await fedsim.credentialsFor("bob", { via: "user-pool" });
    expect((await fedsim.signedFetch(bob, PETS(fedsim))).status).toBe(200);
    const post = await fedsim.signedFetch(bob, PETS(fedsim), {
      method: "POST",
      body: JSON.stringify({ name: "Rex" }),
      headers: { "content-type": "application/json" },
    });
    expect(post.status).toBe(403);
  });

  it("expires them with the test clock: an hour on, Cognito's credentials are refused", async () => {
    const bob = await fedsim.credentialsFor("bob", { via: "identity-pool" });
    expect(bob.expiration.getTime() - fedsim.clock.now().getTime()).toBe(3600_000);
    fedsim.clock.advance(3600_000 + 1000);
    const res = await fedsim.signedFetch(bob, PETS(fedsim));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "The security token included in the request is expired" });
  });

  it("refuses a role the token does not offer with Cognito's error", async () => {
    const refused = fedsim.credentialsFor("bob", { via: "user-pool", role: "PetStoreAdmin" });
    await expect(refused).rejects.toBeInstanceOf(FedsimClientError);
    await expect(refused).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "NotAuthorizedException: Invalid CustomRoleArn for this login.",
    });
  });

  it("throws TypeError for a caller's mistakes: unknown person, pool or user, a duration", async () => {
    await expect(fedsim.credentialsFor("mallory", { via: "identity-pool" })).rejects.toThrow(
      new TypeError("No person named mallory in the config (configured: alice, bob)"),
    );
    await expect(
      fedsim.credentialsFor("alice", { via: "identity-pool", identityPool: "Nope" }),
    ).rejects.toThrow(/^no identity pool named Nope \(configured: PetStore us-east-1:/);
    await expect(fedsim.credentialsFor("mallory", { via: "user-pool" })).rejects.toThrow(
      new TypeError("No user named mallory in the user pool us-east-1_PetStore1 (configured: alice, bob)"),
    );
    await expect(fedsim.credentialsFor("alice", { via: "user-pool", durationSeconds: 900 })).rejects.toThrow(
      new TypeError("credentialsFor: durationSeconds does not apply to via user-pool"),
    );
  });
});
