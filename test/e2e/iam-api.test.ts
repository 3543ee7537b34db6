import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetSAMLProviderCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  ListSAMLProvidersCommand,
  ListUserTagsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { idpMetadataXml } from "../../src/core/saml/idpMetadataXml.js";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR, REGION } from "../helpers/petstore.js";

const trust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: ACCOUNT_ID }, Action: "sts:AssumeRole" }],
});
const readS3 = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }],
});

describe("IAM API through the real @aws-sdk/client-iam", () => {
  let fedsim: TestFedsim;
  let iam: IAMClient;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
  });
  afterAll(() => fedsim.stop());

  it("sees config-seeded roles as ordinary rows", async () => {
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "PetStoreAdmin" }));
    expect(Role).toMatchObject({
      RoleName: "PetStoreAdmin",
      Arn: `arn:aws:iam::${ACCOUNT_ID}:role/PetStoreAdmin`,
      MaxSessionDuration: 43200,
    });
    expect(Role?.Tags).toContainEqual({ Key: "app", Value: "petstore" });
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Sid).toBe(
      "ViaBuiltInIdP",
    );
  });

  it("runs a role's whole life: create, policies, attach, refuse delete while attached, delete", async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: "Lifecycle",
        Path: "/team/",
        AssumeRolePolicyDocument: trust,
        Description: "d",
        Tags: [{ Key: "k", Value: "v" }],
      }),
    );
    expect(Role?.RoleId).toMatch(/^AROA[A-Z2-7]{16}$/);
    expect(Role?.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:role/team/Lifecycle`);
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(trust);

    await iam.send(
      new PutRolePolicyCommand({ RoleName: "Lifecycle", PolicyName: "read", PolicyDocument: readS3 }),
    );
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: "Lifecycle", PolicyName: "read" }));
    expect(decodeURIComponent(inline.PolicyDocument!)).toBe(readS3);

    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "LifecyclePolicy", PolicyDocument: readS3 }),
    );
    expect(Policy).toMatchObject({ DefaultVersionId: "v1", AttachmentCount: 0, IsAttachable: true });
    await iam.send(new AttachRolePolicyCommand({ RoleName: "Lifecycle", PolicyArn: Policy!.Arn }));
    expect(
      (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "Lifecycle" }))).AttachedPolicies,
    ).toEqual([{ PolicyName: "LifecyclePolicy", PolicyArn: Policy!.Arn }]);

    const conflict = await awsError(() => iam.send(new DeleteRoleCommand({ RoleName: "Lifecycle" })));
    expect(conflict.name).toBe("DeleteConflictException");
    expect(conflict.message).toBe("Cannot delete entity, must detach all policies first.");
    expect(
      (await awsError(() => iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })))).message,
    ).toBe("Cannot delete a policy attached to entities.");

    await iam.send(new DetachRolePolicyCommand({ RoleName: "Lifecycle", PolicyArn: Policy!.Arn }));
    expect((await awsError(() => iam.send(new DeleteRoleCommand({ RoleName: "Lifecycle" })))).message).toBe(
      "Cannot delete entity, must delete policies first.",
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "Lifecycle", PolicyName: "read" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "Lifecycle" }));
    const gone = await awsError(() => iam.send(new GetRoleCommand({ RoleName: "Lifecycle" })));
    expect(gone.name).toBe("NoSuchEntityException");
    expect(gone.message).toBe("The role with name Lifecycle cannot be found.");
    expect(gone.$metadata.httpStatusCode).toBe(404);
  });

  it("refuses a duplicate role name, ignoring case", async () => {
    const error = await awsError(() =>
      iam.send(new CreateRoleCommand({ RoleName: "petstoreadmin", AssumeRolePolicyDocument: trust })),
    );
    expect(error.name).toBe("EntityAlreadyExistsException");
    expect(error.message).toBe("Role with name petstoreadmin already exists.");
  });

  it("rejects malformed policy documents with MalformedPolicyDocument", async () => {
    const bad = await awsError(() =>
      iam.send(
        new CreateRoleCommand({
          RoleName: "Bad",
          AssumeRolePolicyDocument:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}',
        }),
      ),
    );
    expect(bad.name).toBe("MalformedPolicyDocumentException");
    expect(bad.message).toBe("Missing required field Principal");
    const syntax = await awsError(() =>
      iam.send(
        new PutRolePolicyCommand({ RoleName: "PetStoreAdmin", PolicyName: "x", PolicyDocument: "{oops" }),
      ),
    );
    expect(syntax.message).toBe("Syntax errors in policy.");
  });

  it("rejects a role description with control characters, which IAM's pattern excludes", async () => {
    const error = await awsError(() =>
      iam.send(
        new CreateRoleCommand({ RoleName: "Ctl", AssumeRolePolicyDocument: trust, Description: "a\u0001b" }),
      ),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toMatch(
      /at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    expect((await iam.send(new ListRolesCommand({}))).Roles?.some((r) => r.RoleName === "Ctl")).toBe(false);
  });

  it("rejects names IAM does not allow with ValidationError", async () => {
    const error = await awsError(() =>
      iam.send(new CreateRoleCommand({ RoleName: "has space", AssumeRolePolicyDocument: trust })),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      "1 validation error detected: Value 'has space' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
  });

  it("keeps at most five policy versions", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "Versioned", PolicyDocument: readS3 }),
    );
    for (let i = 0; i < 4; i++)
      await iam.send(
        new CreatePolicyVersionCommand({
          PolicyArn: Policy!.Arn,
          PolicyDocument: readS3,
          SetAsDefault: i === 3,
        }),
      );
    const v5 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: "v5" }));
    expect(v5.PolicyVersion).toMatchObject({ VersionId: "v5", IsDefaultVersion: true });
    const error = await awsError(() =>
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: readS3 })),
    );
    expect(error.name).toBe("LimitExceededException");
    expect(error.message).toBe(
      "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    );
  });

  it("pages ListRoles with MaxItems and Marker", async () => {
    const first = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(first.Roles).toHaveLength(1);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new ListRolesCommand({ MaxItems: 1, Marker: first.Marker }));
    expect(second.Roles![0]!.RoleName).not.toBe(first.Roles![0]!.RoleName);
  });

  it("creates users whose new access keys sign STS calls, at most two keys each", async () => {
    await iam.send(new CreateUserCommand({ UserName: "carol" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "carol" }));
    expect(AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(AccessKey?.SecretAccessKey).toHaveLength(40);
    const identity = await stsClient(fedsim, {
      accessKeyId: AccessKey!.AccessKeyId!,
      secretAccessKey: AccessKey!.SecretAccessKey!,
    }).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/carol`);
    await iam.send(new CreateAccessKeyCommand({ UserName: "carol" }));
    const limit = await awsError(() => iam.send(new CreateAccessKeyCommand({ UserName: "carol" })));
    expect(limit.name).toBe("LimitExceededException");
    expect(limit.message).toBe("Cannot exceed quota for AccessKeysPerUser: 2");
    const conflict = await awsError(() => iam.send(new DeleteUserCommand({ UserName: "carol" })));
    expect(conflict.message).toBe("Cannot delete entity, must delete access keys first.");
    await iam.send(new DeleteAccessKeyCommand({ UserName: "carol", AccessKeyId: AccessKey!.AccessKeyId }));
    const revoked = await awsError(() =>
      stsClient(fedsim, {
        accessKeyId: AccessKey!.AccessKeyId!,
        secretAccessKey: AccessKey!.SecretAccessKey!,
      }).send(new GetCallerIdentityCommand({})),
    );
    expect(revoked.name).toBe("InvalidClientTokenId");
  });

  it("answers GetUser without a name with the calling user", async () => {
    expect((await iam.send(new GetUserCommand({}))).User?.Arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/admin`);
  });

  it("denies a user without iam:CreateRole with AWS's AccessDenied message", async () => {
    const auditor = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: AUDITOR,
      maxAttempts: 1,
    });
    const error = await awsError(() =>
      auditor.send(new CreateRoleCommand({ RoleName: "Sneaky", AssumeRolePolicyDocument: trust })),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(
      /^User: arn:aws:iam::123456789012:user\/auditor is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role\/Sneaky because no identity-based policy allows the iam:CreateRole action/,
    );
    // Reading is within IAMReadOnlyAccess.
    expect((await auditor.send(new GetRoleCommand({ RoleName: "PetStoreAdmin" }))).Role?.RoleName).toBe(
      "PetStoreAdmin",
    );
  });

  it("authorises calls naming a user or role against its ARN with its path, so path-scoped policies apply", async () => {
    await iam.send(
      new CreateRoleCommand({ RoleName: "Scoped", Path: "/team/", AssumeRolePolicyDocument: trust }),
    );
    await iam.send(new CreateRoleCommand({ RoleName: "Outside", AssumeRolePolicyDocument: trust }));
    await iam.send(new CreateUserCommand({ UserName: "teamlead", Path: "/team/" }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "teamlead",
        PolicyName: "TeamOnly",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: [
                "iam:GetRole",
                "iam:TagRole",
                "iam:ListRolePolicies",
                "iam:GetUser",
                "iam:ListAccessKeys",
              ],
              Resource: [`arn:aws:iam::${ACCOUNT_ID}:role/team/*`, `arn:aws:iam::${ACCOUNT_ID}:user/team/*`],
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "teamlead" }));
    const lead = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      maxAttempts: 1,
    });
    expect((await lead.send(new GetRoleCommand({ RoleName: "Scoped" }))).Role?.Arn).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:role/team/Scoped`,
    );
    await lead.send(new TagRoleCommand({ RoleName: "Scoped", Tags: [{ Key: "owner", Value: "team" }] }));
    expect((await lead.send(new GetUserCommand({ UserName: "teamlead" }))).User?.Path).toBe("/team/");
    const outside = await awsError(() => lead.send(new GetRoleCommand({ RoleName: "Outside" })));
    expect(outside.name).toBe("AccessDenied");
    expect(outside.message).toContain(`on resource: arn:aws:iam::${ACCOUNT_ID}:role/Outside `);
  });

  it("simulates a principal's policies: allowed, explicitDeny and implicitDeny with the matched statements", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "Simulated", AssumeRolePolicyDocument: trust }));
    const policy = JSON.stringify(
      {
        Version: "2012-10-17",
        Statement: [
          { Sid: "Read", Effect: "Allow", Action: "s3:*", Resource: "*" },
          { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
        ],
      },
      null,
      2,
    );
    await iam.send(
      new PutRolePolicyCommand({ RoleName: "Simulated", PolicyName: "inline", PolicyDocument: policy }),
    );
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/Simulated`,
        ActionNames: ["s3:GetObject", "s3:DeleteObject", "ec2:RunInstances"],
      }),
    );
    const byAction = Object.fromEntries(out.EvaluationResults!.map((r) => [r.EvalActionName, r]));
    expect(byAction["s3:GetObject"]).toMatchObject({
      EvalDecision: "allowed",
      EvalResourceName: "*",
      MatchedStatements: [
        { SourcePolicyId: "inline", SourcePolicyType: "role", StartPosition: { Line: 4, Column: 5 } },
      ],
    });
    expect(byAction["s3:DeleteObject"]).toMatchObject({
      EvalDecision: "explicitDeny",
      MatchedStatements: [{ SourcePolicyId: "inline" }],
    });
    expect(byAction["ec2:RunInstances"]).toMatchObject({
      EvalDecision: "implicitDeny",
      MatchedStatements: [],
    });
  });

  it("simulates with a permissions boundary and reports it", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "OnlyS3Read", PolicyDocument: readS3 }),
    );
    await iam.send(new CreateRoleCommand({ RoleName: "Bounded", AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "Bounded",
        PolicyName: "all",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
      }),
    );
    await iam.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: "Bounded", PermissionsBoundary: Policy!.Arn }),
    );
    expect(
      (await iam.send(new GetRoleCommand({ RoleName: "Bounded" }))).Role?.PermissionsBoundary
        ?.PermissionsBoundaryArn,
    ).toBe(Policy!.Arn);
    const out = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/Bounded`,
        ActionNames: ["s3:GetObject", "iam:CreateUser"],
      }),
    );
    expect(
      out.EvaluationResults!.map((r) => [
        r.EvalDecision,
        r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
      ]),
    ).toEqual([
      ["allowed", true],
      ["implicitDeny", false],
    ]);
    const conflict = await awsError(() => iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })));
    expect(conflict.message).toBe("Cannot delete a policy that is used as a permissions boundary.");
  });

  it("simulates custom policies with context entries", async () => {
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalTag/team": "ops" } },
              },
            ],
          }),
        ],
        ActionNames: ["s3:GetObject"],
        ContextEntries: [
          { ContextKeyName: "aws:PrincipalTag/team", ContextKeyValues: ["ops"], ContextKeyType: "string" },
        ],
      }),
    );
    expect(out.EvaluationResults![0]).toMatchObject({
      EvalDecision: "allowed",
      MatchedStatements: [{ SourcePolicyId: "PolicyInputList.1", SourcePolicyType: "none" }],
    });
    const missing = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalTag/team": "ops" } },
              },
            ],
          }),
        ],
        ActionNames: ["s3:GetObject"],
      }),
    );
    expect(missing.EvaluationResults![0]).toMatchObject({
      EvalDecision: "implicitDeny",
      MissingContextValues: ["aws:PrincipalTag/team"],
    });
  });

  it("answers one result per action with each resource's decision in ResourceSpecificResults, paged by MaxItems", async () => {
    const homeOnly = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Home",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::home/${aws:username}/*",
        },
        { Sid: "NoSecrets", Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/*/secret" },
      ],
    });
    const resources = [
      "arn:aws:s3:::home/carol/notes",
      "arn:aws:s3:::home/carol/secret",
      "arn:aws:s3:::other/x",
    ];
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [homeOnly],
        ActionNames: ["s3:GetObject", "s3:PutObject"],
        ResourceArns: resources,
        ContextEntries: [
          { ContextKeyName: "aws:username", ContextKeyValues: ["carol"], ContextKeyType: "string" },
        ],
      }),
    );
    expect(out.EvaluationResults).toHaveLength(2);
    const get = out.EvaluationResults![0]!;
    // The most restrictive decision is the aggregate; each resource keeps its own.
    expect(get).toMatchObject({
      EvalActionName: "s3:GetObject",
      EvalResourceName: "*",
      EvalDecision: "explicitDeny",
    });
    expect(get.ResourceSpecificResults!.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([
      [resources[0], "allowed"],
      [resources[1], "explicitDeny"],
      [resources[2], "implicitDeny"],
    ]);
    const paged = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [homeOnly],
        ActionNames: ["s3:GetObject", "s3:PutObject"],
        MaxItems: 1,
      }),
    );
    expect(paged).toMatchObject({
      IsTruncated: true,
      EvaluationResults: [{ EvalActionName: "s3:GetObject" }],
    });
    // Without aws:username the Resource variable cannot be resolved: a missing context value.
    expect(paged.EvaluationResults![0]!.MissingContextValues).toEqual(["aws:username"]);
    const rest = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [homeOnly],
        ActionNames: ["s3:GetObject", "s3:PutObject"],
        MaxItems: 1,
        Marker: paged.Marker,
      }),
    );
    expect(rest).toMatchObject({
      IsTruncated: false,
      EvaluationResults: [{ EvalActionName: "s3:PutObject" }],
    });
  });

  it("reports the permissions boundary per resource, and on top allows only what it allows for every resource", async () => {
    const everything = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    });
    const bucketOnly = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::bucket/*" }],
    });
    const simulate = (resources: string[]) =>
      iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [everything],
          PermissionsBoundaryPolicyInputList: [bucketOnly],
          ActionNames: ["s3:GetObject"],
          ResourceArns: resources,
        }),
      );
    // Both resources are inside the boundary: the aggregate says so too, not "denied by the boundary".
    const inside = (await simulate(["arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/b"]))
      .EvaluationResults![0]!;
    expect(inside.EvalDecision).toBe("allowed");
    expect(inside.PermissionsBoundaryDecisionDetail).toEqual({ AllowedByPermissionsBoundary: true });
    expect(
      inside.ResourceSpecificResults!.map(
        (r) => r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
      ),
    ).toEqual([true, true]);
    const mixed = (await simulate(["arn:aws:s3:::bucket/a", "arn:aws:s3:::other/b"])).EvaluationResults![0]!;
    expect(mixed.EvalDecision).toBe("implicitDeny");
    expect(mixed.PermissionsBoundaryDecisionDetail).toEqual({ AllowedByPermissionsBoundary: false });
    expect(
      mixed.ResourceSpecificResults!.map((r) => [
        r.EvalResourceDecision,
        r.PermissionsBoundaryDecisionDetail?.AllowedByPermissionsBoundary,
      ]),
    ).toEqual([
      ["allowed", true],
      ["implicitDeny", false],
    ]);
  });

  it("names a missing context key once on top, however each resource's statements spell it", async () => {
    const byBucket = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::a/*",
          Condition: { StringEquals: { "aws:UserName": "carol" } },
        },
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::b/*",
          Condition: { StringEquals: { "AWS:USERNAME": "carol" } },
        },
      ],
    });
    const out = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [byBucket],
        ActionNames: ["s3:GetObject"],
        ResourceArns: ["arn:aws:s3:::a/1", "arn:aws:s3:::b/1"],
      }),
    );
    const result = out.EvaluationResults![0]!;
    expect(result.ResourceSpecificResults!.map((r) => r.MissingContextValues)).toEqual([
      ["aws:UserName"],
      ["AWS:USERNAME"],
    ]);
    expect(result.MissingContextValues).toEqual(["aws:UserName"]);
  });

  it("requires a CallerArn to simulate custom policies against a resource policy", async () => {
    const resourcePolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/carol` },
          Action: "s3:GetObject",
          Resource: "*",
        },
      ],
    });
    const simulate = (callerArn?: string) =>
      iam.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [readS3],
          ActionNames: ["s3:GetObject"],
          ResourcePolicy: resourcePolicy,
          CallerArn: callerArn,
        }),
      );
    const noCaller = await awsError(() => simulate());
    expect(noCaller.name).toBe("InvalidInputException");
    expect(noCaller.message).toBe("CallerArn is required if you include a ResourcePolicy.");
    expect(noCaller.$metadata.httpStatusCode).toBe(400);
    const out = await simulate(`arn:aws:iam::${ACCOUNT_ID}:user/carol`);
    expect(out.EvaluationResults![0]!.EvalDecision).toBe("allowed");
  });

  it("requires a CallerArn, and only a user's, to simulate a role's policies against a resource policy", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "OnlyEc2",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }],
        }),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: "BoundedReader",
        AssumeRolePolicyDocument: trust,
        PermissionsBoundary: Policy!.Arn,
      }),
    );
    const resourcePolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/BoundedReader` },
          Action: "s3:GetObject",
          Resource: "*",
        },
      ],
    });
    const noCaller = await awsError(() =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/BoundedReader`,
          ActionNames: ["s3:GetObject"],
          ResourcePolicy: resourcePolicy,
        }),
      ),
    );
    expect(noCaller.name).toBe("InvalidInputException");
    expect(noCaller.message).toMatch(/^CallerArn is required if you include a ResourcePolicy/);
    const badCaller = await awsError(() =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:role/BoundedReader`,
          ActionNames: ["s3:GetObject"],
          CallerArn: `arn:aws:iam::${ACCOUNT_ID}:role/BoundedReader`,
        }),
      ),
    );
    expect(badCaller.message).toMatch(/It must be the ARN of an IAM user\.$/);
  });

  it("updates a trust policy and tags a role", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "Retrust", AssumeRolePolicyDocument: trust }));
    const next = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "Retrust", PolicyDocument: next }));
    await iam.send(new TagRoleCommand({ RoleName: "Retrust", Tags: [{ Key: "owner", Value: "ci" }] }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: "Retrust" }));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(next);
    expect(Role?.Tags).toEqual([{ Key: "owner", Value: "ci" }]);
  });

  it("manages SAML providers from IdP metadata and rejects bad metadata with InvalidInput", async () => {
    const { certificatePem } = await generateSigningCertificate({ commonName: "partner idp" });
    const metadata = idpMetadataXml({
      entityId: "https://idp.partner.example",
      certificatePem,
      ssoUrl: "https://idp.partner.example/sso",
    });
    const { SAMLProviderArn } = await iam.send(
      new CreateSAMLProviderCommand({ Name: "partner", SAMLMetadataDocument: metadata }),
    );
    expect(SAMLProviderArn).toBe(`arn:aws:iam::${ACCOUNT_ID}:saml-provider/partner`);
    expect((await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn }))).SAMLMetadataDocument).toBe(
      metadata,
    );
    const arns = (await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList!.map((p) => p.Arn);
    expect(arns).toEqual(
      expect.arrayContaining([SAMLProviderArn, `arn:aws:iam::${ACCOUNT_ID}:saml-provider/fedsim-idp`]),
    );
    const bad = await awsError(() =>
      iam.send(new CreateSAMLProviderCommand({ Name: "broken", SAMLMetadataDocument: "<nope/>" })),
    );
    expect(bad.name).toBe("InvalidInputException");
  });

  it("manages OpenID Connect providers", async () => {
    const { OpenIDConnectProviderArn } = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: "https://token.actions.example.com",
        ClientIDList: ["sts.amazonaws.com"],
        ThumbprintList: ["a".repeat(40)],
      }),
    );
    expect(OpenIDConnectProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.example.com`,
    );
    expect(await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn }))).toMatchObject({
      Url: "token.actions.example.com",
      ClientIDList: ["sts.amazonaws.com"],
    });
    const dup = await awsError(() =>
      iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://token.actions.example.com",
          ThumbprintList: [],
        }),
      ),
    );
    expect(dup.name).toBe("EntityAlreadyExistsException");
  });

  it("exposes request tags to conditions: CreateRole allowed only with team=ops", async () => {
    await iam.send(new CreateUserCommand({ UserName: "tagger" }));
    const policy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "iam:CreateRole",
          Resource: "*",
          Condition: {
            StringEquals: { "aws:RequestTag/team": "ops" },
            "ForAllValues:StringEquals": { "aws:TagKeys": ["team"] },
          },
        },
      ],
    };
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "tagger",
        PolicyName: "tagged-only",
        PolicyDocument: JSON.stringify(policy),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "tagger" }));
    const tagger = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      maxAttempts: 1,
    });
    const ok = await tagger.send(
      new CreateRoleCommand({
        RoleName: "OpsOwned",
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: "team", Value: "ops" }],
      }),
    );
    expect(ok.Role?.Tags).toEqual([{ Key: "team", Value: "ops" }]);
    for (const Tags of [
      undefined,
      [{ Key: "team", Value: "dev" }],
      [
        { Key: "team", Value: "ops" },
        { Key: "cost", Value: "1" },
      ],
    ]) {
      const error = await awsError(() =>
        tagger.send(new CreateRoleCommand({ RoleName: "NotOps", AssumeRolePolicyDocument: trust, Tags })),
      );
      expect(error.name).toBe("AccessDenied");
    }
  });

  it("tags and untags users and roles alike", async () => {
    await iam.send(new CreateUserCommand({ UserName: "tagged-user", Tags: [{ Key: "a", Value: "1" }] }));
    await iam.send(
      new TagUserCommand({
        UserName: "tagged-user",
        Tags: [
          { Key: "b", Value: "2" },
          { Key: "a", Value: "3" },
        ],
      }),
    );
    expect((await iam.send(new ListUserTagsCommand({ UserName: "tagged-user" }))).Tags).toEqual([
      { Key: "a", Value: "3" },
      { Key: "b", Value: "2" },
    ]);
    await iam.send(new UntagUserCommand({ UserName: "tagged-user", TagKeys: ["a"] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: "tagged-user" }))).Tags).toEqual([
      { Key: "b", Value: "2" },
    ]);
    await iam.send(new UntagRoleCommand({ RoleName: "PetStoreAdmin", TagKeys: ["tier"] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "PetStoreAdmin" }))).Tags).toEqual([
      { Key: "app", Value: "petstore" },
    ]);
    const missing = await awsError(() =>
      iam.send(new TagUserCommand({ UserName: "nobody", Tags: [{ Key: "a", Value: "1" }] })),
    );
    expect(missing.message).toBe("The user with name nobody cannot be found.");
  });

  it("enforces IAM's policy size quotas with LimitExceeded", async () => {
    const many = (n: number) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/*`),
          },
        ],
      });
    const managed = await awsError(() =>
      iam.send(new CreatePolicyCommand({ PolicyName: "Huge", PolicyDocument: many(300) })),
    );
    expect(managed.name).toBe("LimitExceededException");
    expect(managed.message).toBe("Cannot exceed quota for PolicySize: 6144");
    // A new version of an existing policy is held to the same quota.
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "Growing", PolicyDocument: readS3 }),
    );
    const version = await awsError(() =>
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: many(300) })),
    );
    expect(version.name).toBe("LimitExceededException");
    expect(version.message).toBe("Cannot exceed quota for PolicySize: 6144");
    await iam.send(new CreateRoleCommand({ RoleName: "Quota", AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: "Quota", PolicyName: "a", PolicyDocument: many(200) }),
    );
    const inline = await awsError(() =>
      iam.send(new PutRolePolicyCommand({ RoleName: "Quota", PolicyName: "b", PolicyDocument: many(200) })),
    );
    expect(inline.message).toBe("Maximum policy size of 10240 bytes exceeded for role Quota");
    // Replacing the same policy does not count it twice.
    await iam.send(
      new PutRolePolicyCommand({ RoleName: "Quota", PolicyName: "a", PolicyDocument: many(250) }),
    );
    const bigTrust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            AWS: Array.from({ length: 60 }, (_, i) => `arn:aws:iam::123456789012:user/user-number-${i}`),
          },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const trustError = await awsError(() =>
      iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "Quota", PolicyDocument: bigTrust })),
    );
    expect(trustError.message).toBe("Cannot exceed quota for ACLSizePerRole: 2048");
  });

  it("refuses an access key made Inactive, and accepts it again once Active", async () => {
    await iam.send(new CreateUserCommand({ UserName: "dormant" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "dormant" }));
    const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: "dormant", AccessKeyId: creds.accessKeyId, Status: "Inactive" }),
    );
    expect((await awsError(() => stsClient(fedsim, creds).send(new GetCallerIdentityCommand({})))).name).toBe(
      "InvalidClientTokenId",
    );
    await iam.send(
      new UpdateAccessKeyCommand({ UserName: "dormant", AccessKeyId: creds.accessKeyId, Status: "Active" }),
    );
    expect((await stsClient(fedsim, creds).send(new GetCallerIdentityCommand({}))).Arn).toContain(
      "user/dormant",
    );
  });

  it("refuses to change or delete AWS-managed policies", async () => {
    const error = await awsError(() =>
      iam.send(new DeletePolicyCommand({ PolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe(
      "Policy arn:aws:iam::aws:policy/AdministratorAccess is managed by AWS and cannot be changed.",
    );
  });

  it("validates OpenID Connect provider URLs and thumbprints", async () => {
    const url = await awsError(() =>
      iam.send(
        new CreateOpenIDConnectProviderCommand({ Url: "http://insecure.example.com", ThumbprintList: [] }),
      ),
    );
    expect(url.name).toBe("ValidationError");
    expect(url.message).toBe(
      "The URL must begin with https:// and must not contain a query string or fragment.",
    );
    const thumb = await awsError(() =>
      iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: "https://ok.example.com",
          ThumbprintList: ["not-hex"],
        }),
      ),
    );
    expect(thumb.name).toBe("ValidationError");
  });

  it("takes an http:// provider on a loopback host with a port (a fedsim deviation), keeping the port in its name", async () => {
    const created = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: "http://localhost:8080/realms/demo/",
        ClientIDList: ["app"],
      }),
    );
    expect(created.OpenIDConnectProviderArn).toBe(
      `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/localhost:8080/realms/demo`,
    );
    expect(
      await iam.send(
        new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: created.OpenIDConnectProviderArn }),
      ),
    ).toMatchObject({ Url: "localhost:8080/realms/demo", ClientIDList: ["app"] });
    const noPort = await awsError(() =>
      iam.send(new CreateOpenIDConnectProviderCommand({ Url: "http://127.0.0.1/realms/demo" })),
    );
    expect(noPort.name).toBe("ValidationError");
    expect(noPort.message).toBe(
      "fedsim accepts http:// only for a loopback issuer with an explicit port (http://127.0.0.1:PORT); without one, use https://.",
    );
  });
});
