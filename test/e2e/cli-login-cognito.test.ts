import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";

const TSX = pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href;
const CLI = resolve("src/cli/index.ts");
const ACCOUNT = "123456789012";
const arnOf = (role: string) => `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/CognitoIdentityCredentials`;

describe("fedsim login through Cognito (--via identity-pool, --via user-pool)", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const login = (person: string, password: string, ...args: string[]) =>
    runCli(["login", person, "--password", password, "--endpoint", fedsim.url, ...args]);

  it("signs Alice in at the built-in issuer and takes the identity pool's rule-mapped admin role", async () => {
    const out = await login("alice", "alice-password", "--via", "identity-pool", "--format", "json");
    expect(out.code, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.Arn).toBe(arnOf("PetStoreAdmin"));
    expect(json.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(json.Region).toBe("us-east-1");
    expect(new Date(json.Expiration).getTime()).toBeGreaterThan(Date.now());
    const me = await stsClient(fedsim, {
      accessKeyId: json.AccessKeyId,
      secretAccessKey: json.SecretAccessKey,
      sessionToken: json.SessionToken,
    }).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe(arnOf("PetStoreAdmin"));
  });

  it("gives Bob, whom no rule names, the pool's authenticated role", async () => {
    const out = await login("bob", "bob-password", "--via", "identity-pool", "--format", "json");
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout).Arn).toBe(arnOf("PetStoreCustomer"));
  });

  it("signs Alice in at PetStoreUsers with USER_PASSWORD_AUTH: her groups' preferred role, or --role among them", async () => {
    const preferred = await login("alice", "alice-password", "--via", "user-pool", "--format", "json");
    expect(preferred.code, preferred.stderr).toBe(0);
    expect(JSON.parse(preferred.stdout).Arn).toBe(arnOf("PetStoreAdmin"));
    const chosen = await login("alice", "alice-password", "--via", "user-pool", "--role", "PetStoreCustomer");
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(chosen.stdout).toMatch(/^export AWS_ACCESS_KEY_ID=ASIA/m);
    expect(chosen.stdout).toContain(`# ${arnOf("PetStoreCustomer")}, until `);
  });

  it("names the user pool by name or id, and the app client by name", async () => {
    const out = await login(
      "bob",
      "bob-password",
      "--via",
      "user-pool",
      "--user-pool",
      "us-east-1_PetStore1",
      "--client-id",
      "petstore-web",
      "--identity-pool",
      "PetStore",
      "--format",
      "credential-process",
    );
    expect(out.code, out.stderr).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(Object.keys(json)).toEqual([
      "Version",
      "AccessKeyId",
      "SecretAccessKey",
      "SessionToken",
      "Expiration",
    ]);
  });

  it("exits 1 with the user pool's refusal for a wrong password", async () => {
    const out = await login("alice", "wrong-password", "--via", "user-pool");
    expect(out.code).toBe(1);
    expect(out.stderr).toBe("fedsim: NotAuthorizedException: Incorrect username or password.\n");
    expect(out.stdout).toBe("");
  });

  it("exits 1 with the issuer's refusal for a wrong password on the identity-pool path", async () => {
    const out = await login("alice", "wrong-password", "--via", "identity-pool");
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "fedsim: invalid_grant: the built-in OpenID issuer refused alice's sign-in: Wrong username or password.\n",
    );
  });

  it("exits 1 with Cognito's refusal of a CustomRoleArn the token does not offer", async () => {
    const out = await login("bob", "bob-password", "--via", "user-pool", "--role", "PetStoreAdmin");
    expect(out.code).toBe(1);
    expect(out.stderr).toBe("fedsim: NotAuthorizedException: Invalid CustomRoleArn for this login.\n");
  });

  it("exits 2 for a pool that is not there, or a duration Cognito cannot give", async () => {
    const pool = await login("alice", "alice-password", "--via", "identity-pool", "--identity-pool", "Nope");
    expect(pool.code).toBe(2);
    expect(pool.stderr).toBe(
      "fedsim: no identity pool named Nope (configured: PetStore us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18)\n",
    );
    const userPool = await login("alice", "alice-password", "--via", "user-pool", "--user-pool", "Nope");
    expect(userPool.code).toBe(2);
    expect(userPool.stderr).toBe(
      "fedsim: no user pool named Nope (configured: PetStoreUsers us-east-1_PetStore1)\n",
    );
    const duration = await login(
      "alice",
      "alice-password",
      "--via",
      "user-pool",
      "--duration-seconds",
      "900",
    );
    expect(duration.code).toBe(2);
    expect(duration.stderr).toBe(
      "fedsim: --duration-seconds does not apply to --via user-pool: Cognito's credentials last an hour\n",
    );
  });

  it("serves as a credential_process for the AWS CLI through the user pool", async () => {
    const config = join(fedsim.dir, "aws-config-cognito");
    writeFileSync(
      config,
      `[profile bob]
credential_process = ${process.execPath} --import ${TSX} ${CLI} login bob --via user-pool --format credential-process --endpoint ${fedsim.url}
region = us-east-1
`,
    );
    const env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "none"),
      FEDSIM_PASSWORD: "bob-password",
      NO_COLOR: "1",
    };
    const child = spawn(
      "/usr/bin/aws",
      ["sts", "get-caller-identity", "--profile", "bob", "--endpoint-url", fedsim.url, "--output", "json"],
      { env },
    );
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c;
    });
    const code = await new Promise((done) => child.on("close", done));
    expect(code, out).toBe(0);
    expect(JSON.parse(out).Arn).toBe(arnOf("PetStoreCustomer"));
  }, 60_000);
});
