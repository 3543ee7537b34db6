import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { IndependentIssuer } from "../helpers/oidc.js";
import {
  ACCOUNT_ID,
  ADMIN,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
} from "../helpers/petstore.js";

const run = promisify(execFile);
const AWS = "/usr/bin/aws";
const PYTHON = "/usr/bin/python3";

/** "2.9.19" ≥ "2.13": whether a client is new enough to read AWS_ENDPOINT_URL. */
const atLeast = (version: string, [major, minor]: [number, number]) => {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
};

/**
 * Web identity as CI systems and EKS pods use it: a token from `fedsim oidc token`, then the AWS CLI and boto3
 * calling AssumeRoleWithWebIdentity, and the default credential chains of the JavaScript SDK, boto3 and the
 * CLI finding AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN with no code. AWS_ENDPOINT_URL points them at
 * fedsim. Debian's CLI 2.9 and botocore 1.29 predate AWS_ENDPOINT_URL (CLI 2.13, botocore 1.31), and their
 * chains call STS themselves, so for them (only) AWS_DATA_PATH adds an endpoint rule set that sends STS to
 * fedsim; a newer install needs nothing but AWS_ENDPOINT_URL.
 */
describe("web identity with the fedsim CLI, the AWS CLI, boto3 and the default credential chains", () => {
  let fedsim: TestFedsim;
  let env: NodeJS.ProcessEnv;
  let tokenFile: string;
  /** AWS_DATA_PATH for clients that ignore AWS_ENDPOINT_URL; {} for those that read it. */
  let botocoreEndpoint: NodeJS.ProcessEnv;
  let cliEndpoint: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
      AWS_PAGER: "",
      AWS_DEFAULT_REGION: REGION,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: fedsim.url,
    };
    const issued = await runCli(["oidc", "token", "--user", "alice", "--endpoint", fedsim.url], {
      env: { FEDSIM_PASSWORD: "alice-password" },
    });
    expect(issued.stderr).toBe("");
    tokenFile = join(fedsim.dir, "web-identity-token");
    writeFileSync(tokenFile, issued.stdout.trim());
    const dataPath = join(fedsim.dir, "botocore-data");
    mkdirSync(join(dataPath, "sts", "2011-06-15"), { recursive: true });
    writeFileSync(
      join(dataPath, "sts", "2011-06-15", "endpoint-rule-set-1.json"),
      JSON.stringify({
        version: "1.0",
        parameters: { Region: { builtIn: "AWS::Region", required: false, type: "String" } },
        rules: [
          { conditions: [], endpoint: { url: fedsim.url, properties: {}, headers: {} }, type: "endpoint" },
        ],
      }),
    );
    const botocore = (
      await run(PYTHON, ["-c", "import botocore; print(botocore.__version__)"])
    ).stdout.trim();
    botocoreEndpoint = atLeast(botocore, [1, 31]) ? {} : { AWS_DATA_PATH: dataPath };
    const cli = /aws-cli\/(\S+)/.exec((await run(AWS, ["--version"])).stdout)?.[1] ?? "0";
    cliEndpoint = atLeast(cli, [2, 13]) ? {} : { AWS_DATA_PATH: dataPath };
  }, 60_000);
  afterAll(() => fedsim.stop());

  const chainEnv = (roleArn: string, session: string): NodeJS.ProcessEnv => ({
    AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    AWS_ROLE_ARN: roleArn,
    AWS_ROLE_SESSION_NAME: session,
  });

  it("fedsim oidc token needs a password and says where to give it", async () => {
    const result = await runCli(["oidc", "token", "--user", "alice", "--endpoint", fedsim.url], {
      env: { FEDSIM_PASSWORD: "" },
    });
    expect(result).toMatchObject({
      code: 2,
      stdout: "",
      stderr:
        "fedsim: no password for alice: pass --password, set FEDSIM_PASSWORD, or run in a terminal to be asked\n",
    });
    const wrong = await runCli([
      "oidc",
      "token",
      "--user",
      "alice",
      "--password",
      "guess",
      "--endpoint",
      fedsim.url,
    ]);
    expect(wrong).toMatchObject({
      code: 1,
      stderr: "fedsim: the issuer refused: invalid_grant: Wrong username or password.\n",
    });
  });

  it("runs assume-role-with-web-identity then get-caller-identity with the AWS CLI", async () => {
    const aws = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      run(AWS, [...args, "--endpoint-url", fedsim.url, "--output", "json"], {
        env: { ...env, ...extra },
        timeout: 60_000,
      });
    const assumed = JSON.parse(
      (
        await aws([
          "sts",
          "assume-role-with-web-identity",
          "--role-arn",
          PETSTORE_ADMIN_ROLE,
          "--role-session-name",
          "alice-cli",
          "--web-identity-token",
          `file://${tokenFile}`,
        ])
      ).stdout,
    );
    expect(assumed).toMatchObject({
      SubjectFromWebIdentityToken: "alice",
      Audience: "petstore-web",
      Provider: `${fedsim.url}/oidc`,
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/alice-cli` },
    });
    const identity = JSON.parse(
      (
        await aws(["sts", "get-caller-identity"], {
          AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId,
          AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey,
          AWS_SESSION_TOKEN: assumed.Credentials.SessionToken,
        })
      ).stdout,
    );
    expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/alice-cli`);
  });

  it("runs assume_role_with_web_identity with boto3", async () => {
    const script = `
import json, os, boto3
from botocore import UNSIGNED
from botocore.config import Config
sts = boto3.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL"], config=Config(signature_version=UNSIGNED))
out = sts.assume_role_with_web_identity(RoleArn="${PETSTORE_CUSTOMER_ROLE}", RoleSessionName="boto3",
                                        WebIdentityToken=open(os.environ["TOKEN_FILE"]).read())
print(json.dumps([out["AssumedRoleUser"]["Arn"], out["SubjectFromWebIdentityToken"]]))
`;
    const result = await run(PYTHON, ["-c", script], {
      env: { ...env, TOKEN_FILE: tokenFile },
      timeout: 60_000,
    });
    expect(JSON.parse(result.stdout)).toEqual([
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/boto3`,
      "alice",
    ]);
  });

  it("lets the JavaScript SDK's default chain assume the role from AWS_WEB_IDENTITY_TOKEN_FILE", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env, chainEnv(PETSTORE_ADMIN_ROLE, "js-chain"));
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_PROFILE;
    try {
      const identity = await new STSClient({ credentials: fromNodeProviderChain() }).send(
        new GetCallerIdentityCommand({}),
      );
      expect(identity.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/js-chain`);
    } finally {
      process.env = saved;
    }
  });

  it("lets boto3's default chain assume the role from AWS_WEB_IDENTITY_TOKEN_FILE", async () => {
    const result = await run(
      PYTHON,
      ["-c", "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"],
      {
        env: { ...env, ...botocoreEndpoint, ...chainEnv(PETSTORE_CUSTOMER_ROLE, "boto3-chain") },
        timeout: 60_000,
      },
    );
    expect(result.stdout.trim()).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreCustomer/boto3-chain`);
  });

  it("lets the AWS CLI's default chain assume the role from AWS_WEB_IDENTITY_TOKEN_FILE", async () => {
    const result = await run(AWS, ["sts", "get-caller-identity", "--output", "json"], {
      env: { ...env, ...cliEndpoint, ...chainEnv(PETSTORE_ADMIN_ROLE, "cli-chain") },
      timeout: 60_000,
    });
    expect(JSON.parse(result.stdout).Arn).toBe(
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/cli-chain`,
    );
  });
});

describe("the AWS CLI with a token from an independent issuer", () => {
  let fedsim: TestFedsim;
  let issuer: IndependentIssuer;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    issuer = await IndependentIssuer.start();
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer.url, ClientIDList: ["ci-runner"] }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: "CiDeploy",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${issuer.name}` },
              Action: "sts:AssumeRoleWithWebIdentity",
              Condition: {
                StringEquals: {
                  [`${issuer.name}:aud`]: "ci-runner",
                  [`${issuer.name}:sub`]: "repo:petstore:main",
                },
              },
            },
          ],
        }),
      }),
    );
  });
  afterAll(async () => {
    await issuer.stop();
    await fedsim.stop();
  });

  const assume = async (sub: string) => {
    const token = await issuer.mint({ sub, aud: "ci-runner" }, fedsim.clock.now());
    return run(
      AWS,
      [
        "sts",
        "assume-role-with-web-identity",
        "--role-arn",
        `arn:aws:iam::${ACCOUNT_ID}:role/CiDeploy`,
        "--role-session-name",
        "deploy",
        "--web-identity-token",
        token,
        "--endpoint-url",
        fedsim.url,
        "--output",
        "json",
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: fedsim.dir,
          AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
          AWS_DEFAULT_REGION: REGION,
          AWS_PAGER: "",
        },
      },
    );
  };

  it("gets credentials for the role whose trust policy names that issuer, audience and subject", async () => {
    const out = JSON.parse((await assume("repo:petstore:main")).stdout);
    expect(out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/CiDeploy/deploy`);
    expect(out.SubjectFromWebIdentityToken).toBe("repo:petstore:main");
    // AWS: "For OpenID Connect ID tokens, this contains the value of the iss field."
    expect(out.Provider).toBe(issuer.url);
  });

  it("is refused AccessDenied for another subject", async () => {
    const error = await assume("repo:other:main").then(
      () => undefined,
      (e: { stderr: string }) => e.stderr,
    );
    expect(error).toContain("AccessDenied");
  });
});
