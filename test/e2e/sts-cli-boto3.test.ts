import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN } from "../helpers/petstore.js";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";

/**
 * The AssumeRole → GetCallerIdentity flow as users run it, with Debian's AWS CLI and boto3. Those
 * packages (CLI 2.9, botocore 1.29) predate AWS_ENDPOINT_URL (CLI 2.13, botocore 1.31), so the endpoint is
 * also passed explicitly; AWS_ENDPOINT_URL is set too, which is all a newer install needs.
 */
describe("the AWS CLI and boto3 against fedsim", () => {
  let fedsim: TestFedsim;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
      AWS_PAGER: "",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: fedsim.url,
      AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
    };
  });
  afterAll(() => fedsim.stop());

  it("runs assume-role then get-caller-identity with the AWS CLI", async () => {
    expect(existsSync(AWS), `${AWS} is missing: install Debian's awscli (scripts/system-deps.sh does)`).toBe(
      true,
    );
    const aws = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      run(AWS, [...args, "--endpoint-url", fedsim.url, "--output", "json"], {
        env: { ...env, ...extra },
        timeout: 60_000,
      });
    const assumed = JSON.parse(
      (
        await aws([
          "sts",
          "assume-role",
          "--role-arn",
          `arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin`,
          "--role-session-name",
          "cli",
        ])
      ).stdout,
    );
    expect(assumed.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/cli`);
    const identity = JSON.parse(
      (
        await aws(["sts", "get-caller-identity"], {
          AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
          AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
        })
      ).stdout,
    );
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/cli`);
  });

  it("shows the CLI SignatureDoesNotMatch for a wrong secret", async () => {
    const failure = await run(AWS, ["sts", "get-caller-identity", "--endpoint-url", fedsim.url], {
      env: { ...env, AWS_SECRET_ACCESS_KEY: "wrong-secret-wrong-secret-wrong-secret-00" },
      timeout: 60_000,
    }).catch((error: { stderr: string; code: number }) => error);
    expect("code" in failure && failure.code).toBe(254);
    expect((failure as { stderr: string }).stderr).toContain("(SignatureDoesNotMatch)");
  });

  it("runs assume_role then get_caller_identity with boto3", async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing`).toBe(true);
    const script = `
import json, os, boto3
endpoint = os.environ["AWS_ENDPOINT_URL"]
sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
out = sts.assume_role(RoleArn="arn:aws:iam::${ACCOUNT_ID}:role/PetStoreCustomer", RoleSessionName="boto3")
c = out["Credentials"]
session = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                       aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])
print(json.dumps(session.get_caller_identity()["Arn"]))
`;
    const result = await run(PYTHON, ["-c", script], { env, timeout: 60_000 }).catch(
      (error: { stderr: string }) => {
        throw new Error(
          `boto3 run failed (is Debian's python3-boto3 installed? scripts/system-deps.sh installs it):\n${error.stderr}`,
        );
      },
    );
    expect(JSON.parse(result.stdout)).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/boto3`);
  });
});
