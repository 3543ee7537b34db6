import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discardDecisions } from "../../src/authz/decisionRecord.js";
import { buildSamlResponseBase64 } from "../../src/core/saml/buildResponse.js";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { idpMetadataXml } from "../../src/core/saml/idpMetadataXml.js";
import { BUILTIN_IDP_ENTITY_ID } from "../../src/idp/constants.js";
import { iamOperations } from "../../src/services/iam/index.js";
import { stsOperations } from "../../src/services/sts/index.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import {
  ACCOUNT_ID,
  ADMIN,
  ADMIN_ARN,
  AUDITOR,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  REGION,
  SAML_PROVIDER,
} from "../helpers/petstore.js";

/** Debian's python3 with python3-boto3: botocore parses every answer with AWS's own service models. */
const PYTHON = "/usr/bin/python3";
const DRIVER = "test/conformance/botocore-sweep.py";

/** A value filled in once fedsim is running (a signed SAML assertion, IdP metadata, an encoded denial). */
type Late = { $late: "assertion" | "metadata" | "newMetadata" | "encodedMessage" | "webIdentityToken" };

interface SweepCall {
  id: string;
  service: "iam" | "sts";
  operation: string;
  params?: Record<string, unknown>;
  /** Unsigned, for AssumeRoleWithSAML and AssumeRoleWithWebIdentity; every other call is signed by the pet-store admin. */
  anonymous?: true;
  /** The AWS error this call must answer, parsed as one the operation's model lists. */
  error?: string;
}

const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const S3_READ = doc({ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
const S3_ALL = doc({ Effect: "Allow", Action: "s3:*", Resource: "*" });
const TRUST = doc({ Effect: "Allow", Principal: { AWS: ACCOUNT_ID }, Action: "sts:AssumeRole" });
const POLICY = `arn:aws:iam::${ACCOUNT_ID}:policy/sweep/SweepPolicy`;
const OIDC = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.sweep.example`;
const SWEEP_IDP = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/sweep-idp`;
const THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280";
const late = (name: Late["$late"]): Late => ({ $late: name });
const ref = (path: string) => ({ $ref: path });

const iam = (operation: string, params: Record<string, unknown> = {}, extra: Partial<SweepCall> = {}) => ({
  id: extra.id ?? operation,
  service: "iam" as const,
  operation,
  params,
  ...extra,
});
const sts = (operation: string, params: Record<string, unknown> = {}, extra: Partial<SweepCall> = {}) => ({
  ...iam(operation, params, extra),
  service: "sts" as const,
});

/**
 * Every IAM and STS operation fedsim serves, in an order that makes each succeed: entities are created before
 * they are used and deleted once done. A few calls more show that AWS error answers parse as modeled errors.
 */
const SWEEP: SweepCall[] = [
  // Users, their inline and attached policies, boundary, tags and access keys.
  iam("CreateUser", { UserName: "sweep-user", Path: "/sweep/", Tags: [{ Key: "team", Value: "sweep" }] }),
  iam("CreateUser", { UserName: "sweep-user" }, { id: "CreateUser.duplicate", error: "EntityAlreadyExists" }),
  iam("GetUser", { UserName: "sweep-user" }),
  iam("GetUser", {}, { id: "GetUser.caller" }),
  iam("GetUser", { UserName: "nobody" }, { id: "GetUser.missing", error: "NoSuchEntity" }),
  iam("ListUsers", { PathPrefix: "/sweep/" }),
  iam("TagUser", { UserName: "sweep-user", Tags: [{ Key: "tier", Value: "gold" }] }),
  iam("ListUserTags", { UserName: "sweep-user" }),
  iam("UntagUser", { UserName: "sweep-user", TagKeys: ["tier"] }),
  iam("PutUserPolicy", { UserName: "sweep-user", PolicyName: "inline", PolicyDocument: S3_READ }),
  iam("GetUserPolicy", { UserName: "sweep-user", PolicyName: "inline" }),
  iam("ListUserPolicies", { UserName: "sweep-user" }),
  // Managed policies and their versions.
  iam("CreatePolicy", {
    PolicyName: "SweepPolicy",
    Path: "/sweep/",
    PolicyDocument: S3_READ,
    Description: "sweep",
  }),
  iam(
    "CreatePolicy",
    { PolicyName: "Broken", PolicyDocument: "{not json" },
    { id: "CreatePolicy.malformed", error: "MalformedPolicyDocument" },
  ),
  iam("GetPolicy", { PolicyArn: POLICY }),
  iam("CreatePolicyVersion", { PolicyArn: POLICY, PolicyDocument: S3_ALL, SetAsDefault: true }),
  iam("GetPolicyVersion", { PolicyArn: POLICY, VersionId: "v2" }),
  iam("ListPolicyVersions", { PolicyArn: POLICY }),
  iam("SetDefaultPolicyVersion", { PolicyArn: POLICY, VersionId: "v1" }),
  iam("DeletePolicyVersion", { PolicyArn: POLICY, VersionId: "v2" }),
  iam("ListPolicies", { Scope: "Local", PathPrefix: "/sweep/" }),
  iam("AttachUserPolicy", { UserName: "sweep-user", PolicyArn: POLICY }),
  iam("ListAttachedUserPolicies", { UserName: "sweep-user" }),
  iam("PutUserPermissionsBoundary", { UserName: "sweep-user", PermissionsBoundary: POLICY }),
  iam("DeleteUserPermissionsBoundary", { UserName: "sweep-user" }),
  iam("CreateAccessKey", { UserName: "sweep-user" }),
  iam("ListAccessKeys", { UserName: "sweep-user" }),
  iam("UpdateAccessKey", {
    UserName: "sweep-user",
    AccessKeyId: ref("CreateAccessKey.output.AccessKey.AccessKeyId"),
    Status: "Inactive",
  }),
  iam("DeleteUser", { UserName: "sweep-user" }, { id: "DeleteUser.withKeys", error: "DeleteConflict" }),
  iam("DeleteAccessKey", {
    UserName: "sweep-user",
    AccessKeyId: ref("CreateAccessKey.output.AccessKey.AccessKeyId"),
  }),
  iam("DetachUserPolicy", { UserName: "sweep-user", PolicyArn: POLICY }),
  iam("DeleteUserPolicy", { UserName: "sweep-user", PolicyName: "inline" }),
  iam("DeleteUser", { UserName: "sweep-user" }),
  // Roles.
  iam("CreateRole", {
    RoleName: "SweepRole",
    Path: "/sweep/",
    AssumeRolePolicyDocument: TRUST,
    Description: "sweep",
    MaxSessionDuration: 7200,
    PermissionsBoundary: POLICY,
    Tags: [{ Key: "team", Value: "sweep" }],
  }),
  iam("GetRole", { RoleName: "SweepRole" }),
  iam("GetRole", { RoleName: "NoSuchRole" }, { id: "GetRole.missing", error: "NoSuchEntity" }),
  iam("ListRoles", { PathPrefix: "/sweep/" }),
  iam("UpdateRole", { RoleName: "SweepRole", Description: "updated", MaxSessionDuration: 3600 }),
  iam("UpdateRoleDescription", { RoleName: "SweepRole", Description: "described" }),
  iam("UpdateAssumeRolePolicy", { RoleName: "SweepRole", PolicyDocument: TRUST }),
  iam("TagRole", { RoleName: "SweepRole", Tags: [{ Key: "tier", Value: "gold" }] }),
  iam("ListRoleTags", { RoleName: "SweepRole" }),
  iam("UntagRole", { RoleName: "SweepRole", TagKeys: ["tier"] }),
  iam("PutRolePolicy", { RoleName: "SweepRole", PolicyName: "inline", PolicyDocument: S3_READ }),
  iam("GetRolePolicy", { RoleName: "SweepRole", PolicyName: "inline" }),
  iam("ListRolePolicies", { RoleName: "SweepRole" }),
  iam("AttachRolePolicy", { RoleName: "SweepRole", PolicyArn: POLICY }),
  iam("ListAttachedRolePolicies", { RoleName: "SweepRole" }),
  iam("DeleteRole", { RoleName: "SweepRole" }, { id: "DeleteRole.attached", error: "DeleteConflict" }),
  iam("DeleteRolePermissionsBoundary", { RoleName: "SweepRole" }),
  iam("PutRolePermissionsBoundary", { RoleName: "SweepRole", PermissionsBoundary: POLICY }),
  iam("DetachRolePolicy", { RoleName: "SweepRole", PolicyArn: POLICY }),
  iam("DeleteRolePolicy", { RoleName: "SweepRole", PolicyName: "inline" }),
  iam(
    "DeleteRolePermissionsBoundary",
    { RoleName: "SweepRole" },
    { id: "DeleteRolePermissionsBoundary.again" },
  ),
  iam("DeleteRole", { RoleName: "SweepRole" }),
  iam("DeletePolicy", { PolicyArn: POLICY }),
  // Identity providers.
  iam("CreateSAMLProvider", { Name: "sweep-idp", SAMLMetadataDocument: late("metadata") }),
  iam("GetSAMLProvider", { SAMLProviderArn: SWEEP_IDP }),
  iam("ListSAMLProviders"),
  iam("UpdateSAMLProvider", { SAMLProviderArn: SWEEP_IDP, SAMLMetadataDocument: late("newMetadata") }),
  iam("DeleteSAMLProvider", { SAMLProviderArn: SWEEP_IDP }),
  iam("CreateOpenIDConnectProvider", {
    Url: "https://token.sweep.example",
    ClientIDList: ["sweep-client"],
    ThumbprintList: [THUMBPRINT],
  }),
  iam("GetOpenIDConnectProvider", { OpenIDConnectProviderArn: OIDC }),
  iam("ListOpenIDConnectProviders"),
  iam("AddClientIDToOpenIDConnectProvider", { OpenIDConnectProviderArn: OIDC, ClientID: "second-client" }),
  iam("RemoveClientIDFromOpenIDConnectProvider", {
    OpenIDConnectProviderArn: OIDC,
    ClientID: "sweep-client",
  }),
  iam("UpdateOpenIDConnectProviderThumbprint", {
    OpenIDConnectProviderArn: OIDC,
    ThumbprintList: [THUMBPRINT.replace(/^9/, "a")],
  }),
  iam("DeleteOpenIDConnectProvider", { OpenIDConnectProviderArn: OIDC }),
  // The policy simulator, with boundary, resources and context: every part of EvaluationResult.
  iam("SimulatePrincipalPolicy", {
    PolicySourceArn: ADMIN_ARN,
    ActionNames: ["iam:GetUser", "s3:GetObject"],
    ResourceArns: [ADMIN_ARN, "arn:aws:s3:::bucket/key"],
    MaxItems: 1,
  }),
  iam("SimulateCustomPolicy", {
    PolicyInputList: [
      doc({
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "*",
        Condition: { StringEquals: { "aws:username": "x" } },
      }),
    ],
    PermissionsBoundaryPolicyInputList: [S3_ALL],
    ActionNames: ["s3:GetObject", "s3:PutObject"],
    ResourceArns: ["arn:aws:s3:::bucket/key"],
    ContextEntries: [{ ContextKeyName: "aws:username", ContextKeyValues: ["x"], ContextKeyType: "string" }],
  }),
  // STS.
  sts("GetCallerIdentity"),
  sts("GetSessionToken", { DurationSeconds: 900 }),
  sts("AssumeRole", {
    RoleArn: PETSTORE_ADMIN_ROLE,
    RoleSessionName: "sweep",
    DurationSeconds: 900,
    Policy: S3_READ,
    PolicyArns: [{ arn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }],
    Tags: [{ Key: "team", Value: "sweep" }],
    SourceIdentity: "sweep-source",
  }),
  sts(
    "AssumeRole",
    { RoleArn: PETSTORE_ADMIN_ROLE, RoleSessionName: "sweep", Policy: "{not json" },
    { id: "AssumeRole.malformed", error: "MalformedPolicyDocument" },
  ),
  sts(
    "AssumeRoleWithSAML",
    { RoleArn: PETSTORE_CUSTOMER_ROLE, PrincipalArn: SAML_PROVIDER, SAMLAssertion: late("assertion") },
    { anonymous: true },
  ),
  sts(
    "AssumeRoleWithWebIdentity",
    { RoleArn: PETSTORE_CUSTOMER_ROLE, RoleSessionName: "bob", WebIdentityToken: late("webIdentityToken") },
    { anonymous: true },
  ),
  sts(
    "AssumeRoleWithWebIdentity",
    { RoleArn: PETSTORE_CUSTOMER_ROLE, RoleSessionName: "bob", WebIdentityToken: "not.a.token" },
    { id: "AssumeRoleWithWebIdentity.invalid", anonymous: true, error: "InvalidIdentityToken" },
  ),
  sts("GetFederationToken", { Name: "sweep", Policy: S3_READ, DurationSeconds: 900 }),
  sts("GetAccessKeyInfo", { AccessKeyId: ADMIN.accessKeyId }),
  sts("DecodeAuthorizationMessage", { EncodedMessage: late("encodedMessage") }),
];

interface SweepResult {
  id: string;
  operation: string;
  status: "ok" | "error" | "parse-error";
  code?: string;
  message?: string;
  modeled?: boolean;
  detail?: string;
  resultWrapper: string | null;
  hasResultElement: boolean;
  unmodeled: string[];
  missingRequired?: string[];
}

/** An ID token for the pet-store web app from the built-in OpenID issuer (its password grant). */
async function builtinIdToken(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/oidc/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", username, password, client_id: "petstore-web" }),
  });
  return ((await res.json()) as { id_token: string }).id_token;
}

function runDriver(endpoint: string, calls: unknown[], env: NodeJS.ProcessEnv): Promise<SweepResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [DRIVER, endpoint], { env, stdio: ["pipe", "pipe", "pipe"] });
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
        reject(new Error(`botocore-sweep.py exited with ${code} (is python3-boto3 installed?):\n${stderr}`));
      else resolve(JSON.parse(stdout) as SweepResult[]);
    });
    child.stdin.end(JSON.stringify(calls));
  });
}

describe("botocore (boto3, with AWS's service models) reads every IAM and STS answer fedsim gives", () => {
  let fedsim: TestFedsim;
  let results: Map<string, SweepResult>;
  beforeAll(async () => {
    expect(existsSync(PYTHON), `${PYTHON} is missing: install Debian's python3-boto3`).toBe(true);
    fedsim = await startTestFedsim();
    const certs = join(fedsim.dir, "certs");
    const keys = {
      privateKeyPem: readFileSync(join(certs, "idp-signing.key"), "utf8"),
      certificatePem: readFileSync(join(certs, "idp-signing.pem"), "utf8"),
    };
    const metadataFor = async (commonName: string) =>
      idpMetadataXml({
        entityId: `https://${commonName}.example`,
        certificatePem: (await generateSigningCertificate({ commonName })).certificatePem,
        ssoUrl: `https://${commonName}.example/sso`,
      });
    // A real denial to decode: the read-only auditor may not create users.
    const denied = await awsError(() =>
      new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: AUDITOR, maxAttempts: 1 }).send(
        new CreateUserCommand({ UserName: "not-allowed" }),
      ),
    );
    const values: Record<Late["$late"], string> = {
      assertion: buildSamlResponseBase64({
        issuer: BUILTIN_IDP_ENTITY_ID,
        ...keys,
        nameId: "bob@petstore.example",
        recipient: "https://signin.aws.amazon.com/saml",
        attributes: {
          "https://aws.amazon.com/SAML/Attributes/Role": [`${PETSTORE_CUSTOMER_ROLE},${SAML_PROVIDER}`],
          "https://aws.amazon.com/SAML/Attributes/RoleSessionName": ["bob"],
        },
        now: fedsim.clock.now(),
      }),
      metadata: await metadataFor("sweep-idp"),
      newMetadata: await metadataFor("sweep-idp-rotated"),
      encodedMessage: denied.message.split("Encoded authorization failure message: ")[1] ?? "",
      webIdentityToken: await builtinIdToken(fedsim.url, "bob", "bob-password"),
    };
    const fill = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(fill);
      if (value !== null && typeof value === "object") {
        if (Object.hasOwn(value, "$late")) return values[(value as Late).$late];
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
      }
      return value;
    };
    const calls = SWEEP.map((c) => ({
      id: c.id,
      service: c.service,
      operation: c.operation,
      params: fill(c.params ?? {}),
      credentials: c.anonymous ? null : ADMIN,
    }));
    const env = {
      PATH: process.env.PATH,
      HOME: fedsim.dir,
      AWS_CONFIG_FILE: join(fedsim.dir, "no-config"),
      AWS_SHARED_CREDENTIALS_FILE: join(fedsim.dir, "no-credentials"),
      AWS_DEFAULT_REGION: REGION,
    };
    const report = await runDriver(fedsim.url, calls, env);
    results = new Map(report.map((r) => [r.id, r]));
  }, 120_000);
  afterAll(() => fedsim?.stop());

  it("has a call for every operation fedsim serves, and none for an operation it does not", () => {
    const deps = {
      store: fedsim.store,
      clock: fedsim.clock.now,
      settings: { ...fedsim.config.settings, region: fedsim.config.region },
      publicUrl: fedsim.url,
    };
    const served = [
      ...[...iamOperations(deps, discardDecisions).keys()].map((op) => `iam:${op}`),
      ...[...stsOperations(deps, discardDecisions).keys()].map((op) => `sts:${op}`),
    ].sort();
    const swept = [...new Set(SWEEP.map((c) => `${c.service}:${c.operation}`))].sort();
    expect(swept).toEqual(served);
  });

  it("gives each call its own id", () => {
    expect(new Set(SWEEP.map((c) => c.id)).size).toBe(SWEEP.length);
  });

  const operations = [...new Set(SWEEP.map((c) => `${c.service}:${c.operation}`))];
  for (const operation of operations) {
    it(`${operation}: every answer parses in botocore as AWS's model describes it`, () => {
      for (const call of SWEEP.filter((c) => `${c.service}:${c.operation}` === operation)) {
        const r = results.get(call.id);
        expect(r, `${call.id} did not run`).toBeDefined();
        if (call.error) {
          expect({
            id: r!.id,
            status: r!.status,
            code: r!.code,
            modeled: r!.modeled,
            detail: r!.detail,
          }).toEqual({
            id: call.id,
            status: "error",
            code: call.error,
            modeled: true,
            detail: undefined,
          });
        } else {
          expect({
            id: r!.id,
            status: r!.status,
            code: r!.code,
            message: r!.message,
            detail: r!.detail,
          }).toEqual({
            id: call.id,
            status: "ok",
            code: undefined,
            message: undefined,
            detail: undefined,
          });
          // An output AWS wraps in <XResult> has that element even when it is empty (botocore looks it up);
          // an operation without output has none.
          expect({ id: r!.id, hasResultElement: r!.hasResultElement }).toEqual({
            id: call.id,
            hasResultElement: r!.resultWrapper !== null,
          });
          expect({ id: r!.id, unmodeled: r!.unmodeled, missingRequired: r!.missingRequired }).toEqual({
            id: call.id,
            unmodeled: [],
            missingRequired: [],
          });
        }
      }
    });
  }
});
