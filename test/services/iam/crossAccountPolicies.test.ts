import {
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListAttachedUserPoliciesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  SetDefaultPolicyVersionCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { REGION } from "../../helpers/petstore.js";

/** From test/fixtures/two-accounts.yaml. */
const ADMIN_A = { accessKeyId: "AKIAACCOUNTAADMIN000", secretAccessKey: "a".repeat(40) };
const ADMIN_B = { accessKeyId: "AKIAACCOUNTBADMIN000", secretAccessKey: "b".repeat(40) };
const TEAM_A = "arn:aws:iam::111111111111:policy/TeamA";
const TEAM_B = "arn:aws:iam::222222222222:policy/TeamB";
const AWS_READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
const DOCUMENT = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
});
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "sts:AssumeRole" }],
});

const notFound = (arn: string) => `Policy ${arn} was not found.`;
const notAttachable = (arn: string) => `Policy ${arn} does not exist or is not attachable.`;

/**
 * Every operation that takes a PolicyArn or a PermissionsBoundary, called by account B's administrator with
 * account A's policy; each must answer exactly as for a policy that does not exist at all.
 */
const CASES: {
  action: string;
  call: (iam: IAMClient, arn: string) => Promise<unknown>;
  message: (arn: string) => string;
}[] = [
  {
    action: "GetPolicy",
    call: (iam, arn) => iam.send(new GetPolicyCommand({ PolicyArn: arn })),
    message: notFound,
  },
  {
    action: "GetPolicyVersion",
    call: (iam, arn) => iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })),
    message: notAttachable,
  },
  {
    action: "ListPolicyVersions",
    call: (iam, arn) => iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
    message: notAttachable,
  },
  {
    action: "CreatePolicyVersion",
    call: (iam, arn) =>
      iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: DOCUMENT, SetAsDefault: true }),
      ),
    message: notFound,
  },
  {
    action: "SetDefaultPolicyVersion",
    call: (iam, arn) => iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" })),
    message: notFound,
  },
  {
    action: "DeletePolicyVersion",
    call: (iam, arn) => iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })),
    message: notFound,
  },
  {
    action: "DeletePolicy",
    call: (iam, arn) => iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
    message: notFound,
  },
  {
    action: "AttachUserPolicy",
    call: (iam, arn) => iam.send(new AttachUserPolicyCommand({ UserName: "admin", PolicyArn: arn })),
    message: notAttachable,
  },
  {
    action: "AttachRolePolicy",
    call: (iam, arn) => iam.send(new AttachRolePolicyCommand({ RoleName: "Worker", PolicyArn: arn })),
    message: notAttachable,
  },
  {
    action: "PutUserPermissionsBoundary",
    call: (iam, arn) =>
      iam.send(new PutUserPermissionsBoundaryCommand({ UserName: "admin", PermissionsBoundary: arn })),
    message: notAttachable,
  },
  {
    action: "PutRolePermissionsBoundary",
    call: (iam, arn) =>
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "Worker", PermissionsBoundary: arn })),
    message: notAttachable,
  },
  {
    action: "CreateUser with a PermissionsBoundary",
    call: (iam, arn) => iam.send(new CreateUserCommand({ UserName: "bounded", PermissionsBoundary: arn })),
    message: notAttachable,
  },
  {
    action: "CreateRole with a PermissionsBoundary",
    call: (iam, arn) =>
      iam.send(
        new CreateRoleCommand({
          RoleName: "Bounded",
          AssumeRolePolicyDocument: TRUST,
          PermissionsBoundary: arn,
        }),
      ),
    message: notAttachable,
  },
];

describe("a customer-managed policy exists only in its own account", () => {
  let fedsim: TestFedsim;
  let adminA: IAMClient;
  let adminB: IAMClient;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "test/fixtures/two-accounts.yaml" });
    adminA = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN_A, maxAttempts: 1 });
    adminB = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN_B, maxAttempts: 1 });
  });
  afterAll(() => fedsim.stop());

  for (const c of CASES) {
    it(`${c.action}: account B is told NoSuchEntity for account A's policy, as for a policy that does not exist`, async () => {
      const foreign = await awsError(() => c.call(adminB, TEAM_A));
      expect(foreign.name).toBe("NoSuchEntityException");
      expect(foreign.message).toBe(c.message(TEAM_A));
      expect(foreign.$metadata.httpStatusCode).toBe(404);
      const missing = "arn:aws:iam::222222222222:policy/Missing";
      const absent = await awsError(() => c.call(adminB, missing));
      expect(absent.name).toBe("NoSuchEntityException");
      expect(absent.message).toBe(c.message(missing));
    });
  }

  it("leaves account A's policy as it was, and A still sees it", async () => {
    const { Policy } = await adminA.send(new GetPolicyCommand({ PolicyArn: TEAM_A }));
    expect(Policy).toMatchObject({ Arn: TEAM_A, DefaultVersionId: "v1", AttachmentCount: 0 });
    const { Versions } = await adminA.send(new ListPolicyVersionsCommand({ PolicyArn: TEAM_A }));
    expect(Versions?.map((v) => v.VersionId)).toEqual(["v1"]);
  });

  it("lets account B attach its own policies and AWS-managed ones", async () => {
    await adminB.send(new AttachUserPolicyCommand({ UserName: "admin", PolicyArn: TEAM_B }));
    await adminB.send(new AttachRolePolicyCommand({ RoleName: "Worker", PolicyArn: AWS_READ_ONLY }));
    await adminB.send(
      new PutRolePermissionsBoundaryCommand({ RoleName: "Worker", PermissionsBoundary: TEAM_B }),
    );
    const { AttachedPolicies } = await adminB.send(
      new ListAttachedUserPoliciesCommand({ UserName: "admin" }),
    );
    expect(AttachedPolicies?.map((p) => p.PolicyArn).sort()).toEqual(
      ["arn:aws:iam::aws:policy/AdministratorAccess", TEAM_B].sort(),
    );
    expect((await adminB.send(new GetPolicyCommand({ PolicyArn: AWS_READ_ONLY }))).Policy?.Arn).toBe(
      AWS_READ_ONLY,
    );
  });

  it("lists only the account's own customer policies next to AWS's", async () => {
    const { Policies } = await adminB.send(new ListPoliciesCommand({ Scope: "Local" }));
    expect(Policies?.map((p) => p.Arn)).toEqual([TEAM_B]);
  });
});
