import { CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginViaSaml } from "../../src/client/samlLogin.js";
import { signedFetchAt } from "../../src/testing/signedFetch.js";
import { runCli } from "../helpers/cli.js";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

describe("fedsim status and fedsim reset", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());
  const iam = () =>
    new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });

  it("status prints what runs where: config, database, certs, people and the sign-in URL", async () => {
    const out = await runCli(["status", "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`fedsim at ${fedsim.url}`);
    expect(out.stdout).toMatch(/config: +\S+data\/petstore\.yaml\n/);
    expect(out.stdout).toContain(`database: ${fedsim.dir}/fedsim.sqlite`);
    expect(out.stdout).toContain(`sign in:  ${fedsim.url}/idp/login`);
    expect(out.stdout).toMatch(/alice +PetStoreAdmin, PetStoreCustomer\n/);
    // The gateway's APIs, each with the base URL of its first stage.
    expect(out.stdout).toContain(
      `  apis:\n    petstore   ${fedsim.url}/restapis/petstore/prod/_user_request_\n`,
    );
    const json = await runCli(["status", "--json", "--endpoint", fedsim.url]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      url: fedsim.url,
      region: "us-east-1",
      accounts: ["123456789012"],
      apis: [
        { id: "petstore", stages: ["prod"], url: `${fedsim.url}/restapis/petstore/prod/_user_request_` },
      ],
    });
  });

  it("reset empties the store and seeds the config again: API-made users and issued sessions are gone", async () => {
    await iam().send(new CreateUserCommand({ UserName: "temporary" }));
    const { Credentials } = await stsClient(fedsim, ADMIN).send(new GetSessionTokenCommand({}));
    const out = await runCli(["reset", "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^fedsim at http:\/\/127\.0\.0\.1:\d+ reset to \S+petstore\.yaml\n$/);
    expect((await awsError(() => iam().send(new GetUserCommand({ UserName: "temporary" })))).name).toBe(
      "NoSuchEntityException",
    );
    const session = stsClient(fedsim, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
    expect((await awsError(() => session.send(new GetCallerIdentityCommand({})))).name).toBe(
      "InvalidClientTokenId",
    );
    // The config's entities are back, keys and all.
    expect((await stsClient(fedsim, ADMIN).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      "arn:aws:iam::123456789012:user/admin",
    );
    // The decision log went with the rest: what is left was decided after the reset.
    expect(fedsim.decisions.query({ limit: 100 }).map((d) => d.action)).not.toContain("iam:CreateUser");
  });

  it("reset takes the pet-store backend back to its seed pets", async () => {
    const pets = `${fedsim.url}/restapis/petstore/prod/_user_request_/pets`;
    const alice = await loginViaSaml({ endpoint: fedsim.url, username: "alice", password: "alice-password" });
    const names = async () => {
      // Signed again after the reset: the session alice had is gone with the rest of the store.
      const creds = await loginViaSaml({
        endpoint: fedsim.url,
        username: "alice",
        password: "alice-password",
      });
      const res = await signedFetchAt(fedsim.clock.now, REGION, creds, pets);
      expect(res.status).toBe(200);
      return ((await res.json()) as { name: string }[]).map((p) => p.name);
    };
    const added = await signedFetchAt(fedsim.clock.now, REGION, alice, pets, {
      method: "POST",
      body: '{"name":"Bella","type":"dog","price":10}',
      headers: { "content-type": "application/json" },
    });
    expect(added.status).toBe(200);
    expect(await names()).toContain("Bella");
    const out = await runCli(["reset", "--endpoint", fedsim.url]);
    expect(out.code, out.stderr).toBe(0);
    expect(await names()).toEqual(["Rex", "Tom", "Nemo"]);
  });

  it("exits 1 with one line when no fedsim answers", async () => {
    const out = await runCli(["status", "--endpoint", "http://127.0.0.1:9"]);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^fedsim: cannot reach fedsim at http:\/\/127\.0\.0\.1:9/);
  });
});
