import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVELOPER_PROVIDER, PETSTORE_POOL } from "../helpers/cognito.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN } from "../helpers/petstore.js";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";

/**
 * The developer flow with Debian's boto3 cognito-identity client: the app's server signs
 * get_open_id_token_for_developer_identity, the device exchanges the token with the unsigned
 * get_credentials_for_identity, and STS says whose credentials they are; a guest of the same pool too.
 */
describe("boto3's cognito-identity client against fedsim", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("signs in a developer identity and a guest, and calls STS with their credentials", async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing`).toBe(true);
    const script = `
import json, os, boto3
from botocore import UNSIGNED
from botocore.config import Config
endpoint = os.environ["FEDSIM_URL"]
server = boto3.client("cognito-identity", endpoint_url=endpoint, region_name="us-east-1")
issued = server.get_open_id_token_for_developer_identity(
    IdentityPoolId="${PETSTORE_POOL}", Logins={"${DEVELOPER_PROVIDER}": "pat"})
device = boto3.client("cognito-identity", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(signature_version=UNSIGNED))
def caller(out):
    c = out["Credentials"]
    sts = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
                       aws_secret_access_key=c["SecretKey"], aws_session_token=c["SessionToken"])
    return sts.get_caller_identity()["Arn"]
signed_in = device.get_credentials_for_identity(
    IdentityId=issued["IdentityId"], Logins={"cognito-identity.amazonaws.com": issued["Token"]})
guest = device.get_credentials_for_identity(IdentityId=device.get_id(IdentityPoolId="${PETSTORE_POOL}")["IdentityId"])
closed = None
try:
    device.get_open_id_token(IdentityId=issued["IdentityId"], Logins={"cognito-identity.amazonaws.com": issued["Token"]})
except device.exceptions.InvalidParameterException as error:
    closed = error.response["Error"]["Message"]
print(json.dumps({"user": caller(signed_in), "guest": caller(guest), "same": signed_in["IdentityId"] == issued["IdentityId"],
                  "classic": closed}))
`;
    const env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
      AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey,
      FEDSIM_URL: fedsim.url,
    };
    const result = await run(PYTHON, ["-c", script], { env, timeout: 60_000 }).catch(
      (error: { stderr: string }) => {
        throw new Error(
          `boto3 run failed (is Debian's python3-boto3 installed? scripts/system-deps.sh installs it):\n${error.stderr}`,
        );
      },
    );
    const role = (name: string) =>
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${name}/CognitoIdentityCredentials`;
    expect(JSON.parse(result.stdout)).toEqual({
      user: role("PetStoreCustomer"),
      guest: role("PetStoreGuest"),
      same: true,
      classic: "Basic (classic) flow is not enabled, please use enhanced flow.",
    });
  });
});
