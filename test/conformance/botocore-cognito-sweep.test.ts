import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discardDecisions } from "../../src/authz/decisionRecord.js";
import { generateSigningKey } from "../../src/core/oidc/signingKeys.js";
import { cognitoIdentityService } from "../../src/services/cognito-identity/index.js";
import { DEVELOPER_PROVIDER, PETSTORE_GUEST_ROLE, PETSTORE_POOL } from "../helpers/cognito.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, REGION } from "../helpers/petstore.js";

/** Debian's python3 with python3-boto3: botocore parses every answer with AWS's own Cognito Identity model. */
const PYTHON = "/usr/bin/python3";
const DRIVER = "test/conformance/botocore-json-sweep.py";

interface SweepCall {
  id: string;
  operation: string;
  params?: Record<string, unknown>;
  /** Unsigned, as GetId, GetCredentialsForIdentity, GetOpenIdToken and UnlinkIdentity are in AWS. */
  anonymous?: true;
  /** The AWS error this call must answer, parsed as one the operation's model lists. */
  error?: string;
}

interface SweepResult {
  id: string;
  status: "ok" | "error" | "parse-error";
  code?: string;
  message?: string;
  modeled?: boolean;
  detail?: string;
  unmodeled: string[];
  missingRequired: string[];
}

const ref = (path: string) => ({ $ref: path });
const call = (operation: string, params: Record<string, unknown> = {}, extra: Partial<SweepCall> = {}) => ({
  id: extra.id ?? operation,
  operation,
  params,
  ...extra,
});
const POOL = ref("CreateIdentityPool.output.IdentityPoolId");
const PETSTORE_ARN = `arn:aws:cognito-identity:${REGION}:${ACCOUNT_ID}:identitypool/${PETSTORE_POOL}`;
const MISSING_POOL = "us-east-1:00000000-0000-4000-8000-000000000000";

/** Every Cognito Identity operation, in an order that makes each succeed, and errors the model lists. */
const SWEEP: SweepCall[] = [
  call("CreateIdentityPool", {
    IdentityPoolName: "sweep pool",
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: true,
    DeveloperProviderName: "login.sweep",
    IdentityPoolTags: { team: "sweep" },
  }),
  call("DescribeIdentityPool", { IdentityPoolId: POOL }),
  call(
    "DescribeIdentityPool",
    { IdentityPoolId: MISSING_POOL },
    { id: "DescribeIdentityPool.missing", error: "ResourceNotFoundException" },
  ),
  call("ListIdentityPools", { MaxResults: 10 }),
  call("UpdateIdentityPool", {
    IdentityPoolId: POOL,
    IdentityPoolName: "sweep pool renamed",
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: true,
    DeveloperProviderName: "login.sweep",
  }),
  call("SetIdentityPoolRoles", { IdentityPoolId: POOL, Roles: { unauthenticated: PETSTORE_GUEST_ROLE } }),
  call("GetIdentityPoolRoles", { IdentityPoolId: PETSTORE_POOL }),
  call("TagResource", { ResourceArn: PETSTORE_ARN, Tags: { stage: "sweep" } }),
  call("ListTagsForResource", { ResourceArn: PETSTORE_ARN }),
  call("UntagResource", { ResourceArn: PETSTORE_ARN, TagKeys: ["stage"] }),
  call("SetPrincipalTagAttributeMap", {
    IdentityPoolId: PETSTORE_POOL,
    IdentityProviderName: DEVELOPER_PROVIDER,
    UseDefaults: false,
    PrincipalTags: { dept: "department" },
  }),
  call("GetPrincipalTagAttributeMap", {
    IdentityPoolId: PETSTORE_POOL,
    IdentityProviderName: DEVELOPER_PROVIDER,
  }),
  call("GetOpenIdTokenForDeveloperIdentity", { IdentityPoolId: POOL, Logins: { "login.sweep": "u1" } }),
  call(
    "GetOpenIdTokenForDeveloperIdentity",
    { IdentityPoolId: POOL, Logins: { "login.sweep": "u2" }, TokenDuration: 60 },
    { id: "GetOpenIdTokenForDeveloperIdentityU2" },
  ),
  call(
    "GetOpenIdTokenForDeveloperIdentity",
    {
      IdentityPoolId: POOL,
      IdentityId: ref("GetOpenIdTokenForDeveloperIdentityU2.output.IdentityId"),
      Logins: { "login.sweep": "u1" },
    },
    { id: "GetOpenIdTokenForDeveloperIdentity.taken", error: "DeveloperUserAlreadyRegisteredException" },
  ),
  call("LookupDeveloperIdentity", { IdentityPoolId: POOL, DeveloperUserIdentifier: "u1", MaxResults: 10 }),
  call("MergeDeveloperIdentities", {
    IdentityPoolId: POOL,
    DeveloperProviderName: "login.sweep",
    SourceUserIdentifier: "u2",
    DestinationUserIdentifier: "u1",
  }),
  call("UnlinkDeveloperIdentity", {
    IdentityPoolId: POOL,
    IdentityId: ref("GetOpenIdTokenForDeveloperIdentity.output.IdentityId"),
    DeveloperProviderName: "login.sweep",
    DeveloperUserIdentifier: "u2",
  }),
  call("GetId", { IdentityPoolId: POOL }, { anonymous: true }),
  call(
    "GetId",
    { IdentityPoolId: MISSING_POOL },
    { id: "GetId.missing", anonymous: true, error: "ResourceNotFoundException" },
  ),
  call("GetId", { IdentityPoolId: PETSTORE_POOL }, { id: "GetIdPetStore", anonymous: true }),
  call("GetOpenIdToken", { IdentityId: ref("GetId.output.IdentityId") }, { anonymous: true }),
  call(
    "GetCredentialsForIdentity",
    { IdentityId: ref("GetIdPetStore.output.IdentityId") },
    { anonymous: true },
  ),
  call(
    "GetCredentialsForIdentity",
    { IdentityId: ref("GetId.output.IdentityId") },
    {
      id: "GetCredentialsForIdentity.untrusted",
      anonymous: true,
      error: "InvalidIdentityPoolConfigurationException",
    },
  ),
  call(
    "GetCredentialsForIdentity",
    {
      IdentityId: ref("GetIdPetStore.output.IdentityId"),
      Logins: { [DEVELOPER_PROVIDER]: "claimed" },
    },
    { id: "GetCredentialsForIdentity.unsupported", anonymous: true, error: "NotAuthorizedException" },
  ),
  call(
    "UnlinkIdentity",
    {
      IdentityId: ref("GetOpenIdTokenForDeveloperIdentity.output.IdentityId"),
      Logins: { "cognito-identity.amazonaws.com": ref("GetOpenIdTokenForDeveloperIdentity.output.Token") },
      LoginsToRemove: ["login.sweep"],
    },
    { anonymous: true },
  ),
  call("ListIdentities", { IdentityPoolId: POOL, MaxResults: 10 }),
  call("DescribeIdentity", { IdentityId: ref("GetOpenIdTokenForDeveloperIdentity.output.IdentityId") }),
  call("DeleteIdentities", { IdentityIdsToDelete: [ref("GetId.output.IdentityId")] }),
  call("DeleteIdentityPool", { IdentityPoolId: POOL }),
];

function runDriver(endpoint: string, calls: unknown[], env: NodeJS.ProcessEnv): Promise<SweepResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [DRIVER, endpoint, "cognito-identity"], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0)
        reject(
          new Error(`botocore-json-sweep.py exited with ${code} (is python3-boto3 installed?):\n${stderr}`),
        );
      else resolve(JSON.parse(stdout) as SweepResult[]);
    });
    child.stdin.end(JSON.stringify(calls));
  });
}

describe("botocore (boto3, with AWS's service model) reads every Cognito Identity answer fedsim gives", () => {
  let fedsim: TestFedsim;
  let results: Map<string, SweepResult>;
  beforeAll(async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: install Debian's python3-boto3`).toBe(true);
    fedsim = await startTestFedsim();
    const calls = SWEEP.map((c) => ({
      id: c.id,
      operation: c.operation,
      params: c.params ?? {},
      credentials: c.anonymous ? null : ADMIN,
    }));
    const env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
      AWS_DEFAULT_REGION: REGION,
    };
    results = new Map((await runDriver(fedsim.url, calls, env)).map((r) => [r.id, r]));
  }, 120_000);
  afterAll(() => fedsim?.stop());

  it("has a call for every operation fedsim serves", async () => {
    const deps = {
      store: fedsim.store,
      clock: fedsim.clock.now,
      settings: { ...fedsim.config.settings, region: fedsim.config.region },
      publicUrl: fedsim.url,
    };
    const service = cognitoIdentityService(deps, discardDecisions, {
      signingKey: await generateSigningKey("RS512"),
      logins: { oidcJwks: () => undefined },
    });
    expect([...new Set(SWEEP.map((c) => c.operation))].sort()).toEqual([...service.operations.keys()].sort());
    expect(service.operations.size).toBe(23);
  });

  it("gives each call its own id", () => {
    expect(new Set(SWEEP.map((c) => c.id)).size).toBe(SWEEP.length);
  });

  for (const operation of [...new Set(SWEEP.map((c) => c.operation))]) {
    it(`${operation}: every answer parses in botocore as AWS's model describes it`, () => {
      for (const c of SWEEP.filter((s) => s.operation === operation)) {
        const r = results.get(c.id);
        expect(r, `${c.id} did not run`).toBeDefined();
        if (c.error) {
          expect({
            id: r!.id,
            status: r!.status,
            code: r!.code,
            modeled: r!.modeled,
            detail: r!.detail,
          }).toEqual({
            id: c.id,
            status: "error",
            code: c.error,
            modeled: true,
            detail: undefined,
          });
        } else {
          expect({
            id: r!.id,
            status: r!.status,
            message: r!.message,
            detail: r!.detail,
            unmodeled: r!.unmodeled,
            missingRequired: r!.missingRequired,
          }).toEqual({
            id: c.id,
            status: "ok",
            message: undefined,
            detail: undefined,
            unmodeled: [],
            missingRequired: [],
          });
        }
      }
    });
  }
});
