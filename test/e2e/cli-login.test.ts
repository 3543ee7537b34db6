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

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(command, args, { env: { PATH: process.env.PATH, ...env } });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c;
  });
  return new Promise((done) => child.on("close", (code) => done({ code, out })));
}

describe("fedsim login", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("prints export lines that work pasted into a fresh shell", async () => {
    const out = await runCli([
      "login",
      "alice",
      "--role",
      "PetStoreAdmin",
      "--password",
      "alice-password",
      "--endpoint",
      fedsim.url,
    ]);
    expect(out.code, out.stderr).toBe(0);
    const vars = Object.fromEntries(
      [...out.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.replace(/^'|'$/g, "")]),
    );
    expect(Object.keys(vars)).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
      "AWS_ENDPOINT_URL",
    ]);
    expect(vars.AWS_ENDPOINT_URL).toBe(fedsim.url);
    expect(vars.AWS_REGION).toBe("us-east-1");
    const me = await stsClient(fedsim, {
      accessKeyId: vars.AWS_ACCESS_KEY_ID!,
      secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!,
      sessionToken: vars.AWS_SESSION_TOKEN!,
    }).send(new GetCallerIdentityCommand({}));
    expect(me.Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
  });

  it("signs in through the built-in OpenID issuer and AssumeRoleWithWebIdentity with --via oidc", async () => {
    const out = await runCli([
      "login",
      "alice",
      "--via",
      "oidc",
      "--format",
      "json",
      "--password",
      "alice-password",
      "--endpoint",
      fedsim.url,
    ]);
    expect(out.code, out.stderr).toBe(0);
    // No --role: the person's first role in the config.
    expect(JSON.parse(out.stdout).Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
    const bob = await runCli([
      "login",
      "bob",
      "--via",
      "oidc",
      "--role",
      "PetStoreAdmin",
      "--password",
      "bob-password",
      "--endpoint",
      fedsim.url,
    ]);
    expect(bob.code).toBe(1);
    expect(bob.stderr).toMatch(/^fedsim: AccessDenied: /);
  });

  it("prints JSON with --format json", async () => {
    const out = await runCli(["login", "bob", "--format", "json", "--endpoint", fedsim.url], {
      env: { FEDSIM_PASSWORD: "bob-password" },
    });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      Arn: "arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bob",
      AccessKeyId: expect.stringMatching(/^ASIA[A-Z2-7]{16}$/),
      Region: "us-east-1",
      EndpointUrl: fedsim.url,
    });
  });

  it("exits 2 without a password and no terminal to ask on, saying how to give one", async () => {
    const out = await runCli(["login", "alice", "--endpoint", fedsim.url], { env: { FEDSIM_PASSWORD: "" } });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      "fedsim: no password for alice: pass --password, set FEDSIM_PASSWORD, or run in a terminal to be asked\n",
    );
  });

  it("exits 1 on a wrong password, and on a role the person may not take", async () => {
    const wrong = await runCli(["login", "bob", "--password", "guess", "--endpoint", fedsim.url]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("the built-in IdP refused bob's sign-in");
    const role = await runCli([
      "login",
      "bob",
      "--role",
      "PetStoreAdmin",
      "--password",
      "bob-password",
      "--endpoint",
      fedsim.url,
    ]);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain("bob may not assume PetStoreAdmin (offered: PetStoreCustomer)");
  });

  it("exits 2 on an unknown --via or --format", async () => {
    for (const args of [
      ["--via", "carrier-pigeon"],
      ["--format", "xml"],
    ]) {
      const out = await runCli(["login", "alice", "--password", "x", ...args, "--endpoint", fedsim.url]);
      expect(out.code, args.join(" ")).toBe(2);
    }
  });

  it("serves as a credential_process for the AWS CLI and boto3, unchanged", async () => {
    const config = join(fedsim.dir, "aws-config");
    writeFileSync(
      config,
      `[profile alice]
credential_process = ${process.execPath} --import ${TSX} ${CLI} login alice --role PetStoreAdmin --format credential-process --endpoint ${fedsim.url}
region = us-east-1
`,
    );
    const env = {
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "none"),
      FEDSIM_PASSWORD: "alice-password",
      NO_COLOR: "1",
    };
    const cli = await run(
      "/usr/bin/aws",
      ["sts", "get-caller-identity", "--profile", "alice", "--endpoint-url", fedsim.url, "--output", "json"],
      env,
    );
    expect(cli.code, cli.out).toBe(0);
    expect(JSON.parse(cli.out).Arn).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
    const boto = await run(
      "/usr/bin/python3",
      [
        "-c",
        `import boto3, sys; print(boto3.Session(profile_name="alice").client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"])`,
        fedsim.url,
      ],
      env,
    );
    expect(boto.code, boto.out).toBe(0);
    expect(boto.out.trim()).toBe("arn:aws:sts::123456789012:assumed-role/PetStoreAdmin/alice");
  }, 60_000);
});
