import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callGateway, petstoreUrl } from "../../src/cli/gatewayCall.js";
import { loginViaSaml } from "../../src/client/samlLogin.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, ADMIN_ARN, REGION } from "../helpers/petstore.js";

/** The admin IAM user's aws:userid (AIDA...), as the gateway forwards it. */
const ADMIN_USER_ID = (fedsim: TestFedsim) =>
  (fedsim.store.db.prepare("SELECT id FROM users WHERE name = 'admin'").get() as { id: string }).id;

describe("the pet-store backend behind the gateway", () => {
  let fedsim: TestFedsim;
  let aliceId: string;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    const alice = await loginViaSaml({
      endpoint: fedsim.url,
      username: "alice",
      password: "alice-password",
      role: "PetStoreAdmin",
    });
    aliceId = alice.userId!;
  });
  afterAll(() => fedsim.stop());

  const asAdmin = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    callGateway({ method, url: petstoreUrl(fedsim.url, path), headers, body }, ADMIN, {
      region: REGION,
      now: fedsim.clock.now(),
    });

  it("refuses an account that is not the caller's own even when the gateway's policy allows it, whatever identity headers the client forges", async () => {
    // AdministratorAccess allows execute-api:Invoke on every account; the backend's own check still refuses.
    const forged = JSON.stringify({ identity: { user: aliceId, cognitoIdentityId: aliceId } });
    const reply = await asAdmin("GET", `/accounts/${encodeURIComponent(aliceId)}`, {
      "x-amzn-request-context": forged,
    });
    expect(reply.status).toBe(403);
    const adminId = ADMIN_USER_ID(fedsim);
    expect(JSON.parse(reply.body)).toEqual({
      message: `Account ${aliceId} is not yours: you are ${adminId}`,
    });
    const [decision] = fedsim.decisions.query({ requestId: reply.requestId!, limit: 10 });
    expect(decision).toMatchObject({ decision: "allow", principal: ADMIN_ARN });
  });

  it("serves and stores the caller's own account", async () => {
    const own = `/accounts/${encodeURIComponent(ADMIN_USER_ID(fedsim))}`;
    const put = await asAdmin("PUT", own, {}, JSON.stringify({ address: "1 Kennel Lane" }));
    expect(put.status).toBe(200);
    const got = await asAdmin("GET", own);
    expect(JSON.parse(got.body)).toEqual({ id: ADMIN_USER_ID(fedsim), address: "1 Kennel Lane" });
  });

  it("validates a new pet: 400 with the reason", async () => {
    const reply = await asAdmin(
      "POST",
      "/pets",
      {},
      JSON.stringify({ name: "Rex", type: "dog", price: "free" }),
    );
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ message: "price must be a number from 0 to 1000000" });
    const bad = await asAdmin("POST", "/pets", {}, "{not json");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: "The body is not valid JSON" });
  });

  it("adds a pet and serves it by id", async () => {
    const added = await asAdmin("POST", "/pets", {}, JSON.stringify({ name: "Kit", type: "cat", price: 12 }));
    expect(added.status).toBe(200);
    const pet = JSON.parse(added.body) as { id: number };
    const got = await asAdmin("GET", `/pets/${pet.id}`);
    expect(JSON.parse(got.body)).toEqual({ id: pet.id, name: "Kit", type: "cat", price: 12 });
    expect((await asAdmin("GET", "/pets/9999")).status).toBe(404);
  });
});
