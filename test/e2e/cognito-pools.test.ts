/**
 * Managing identity pools through the real @aws-sdk/client-cognito-identity: every call signed and
 * authorised by the policy engine as cognito-identity:<Operation> on the pool's ARN, errors as AWS words them.
 */
import {
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  GetPrincipalTagAttributeMapCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateIdentityPoolCommand,
} from "@aws-sdk/client-cognito-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoClient, PETSTORE_GUEST_ROLE, PETSTORE_POOL } from "../helpers/cognito.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import {
  ACCOUNT_ID,
  AUDITOR,
  PETSTORE_ADMIN_ROLE,
  PETSTORE_CUSTOMER_ROLE,
  SAML_PROVIDER,
} from "../helpers/petstore.js";

const poolArn = (id: string) => `arn:aws:cognito-identity:us-east-1:${ACCOUNT_ID}:identitypool/${id}`;

describe("identity pool management through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());
  const client = () => cognitoClient(fedsim);

  it("describes the pool the config seeds, with the id the config fixes", async () => {
    const pool = await client().send(new DescribeIdentityPoolCommand({ IdentityPoolId: PETSTORE_POOL }));
    expect(pool).toMatchObject({
      IdentityPoolId: PETSTORE_POOL,
      IdentityPoolName: "PetStore",
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
      DeveloperProviderName: "login.petstore",
      SamlProviderARNs: [SAML_PROVIDER],
      // The built-in OpenID issuer, whose name carries fedsim's port.
      OpenIdConnectProviderARNs: [`arn:aws:iam::123456789012:oidc-provider/${new URL(fedsim.url).host}/oidc`],
    });
    const roles = await client().send(new GetIdentityPoolRolesCommand({ IdentityPoolId: PETSTORE_POOL }));
    expect(roles.Roles).toEqual({
      authenticated: PETSTORE_CUSTOMER_ROLE,
      unauthenticated: PETSTORE_GUEST_ROLE,
    });
    expect(roles.RoleMappings?.[SAML_PROVIDER]).toEqual({
      Type: "Rules",
      AmbiguousRoleResolution: "AuthenticatedRole",
      RulesConfiguration: {
        Rules: [
          {
            Claim: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:team",
            MatchType: "Equals",
            Value: "admins",
            RoleARN: PETSTORE_ADMIN_ROLE,
          },
        ],
      },
    });
  });

  it("creates, lists page by page, updates and deletes a pool", async () => {
    const created = await client().send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: "Scratch pool",
        AllowUnauthenticatedIdentities: false,
        DeveloperProviderName: "login.scratch",
        IdentityPoolTags: { team: "mobile" },
      }),
    );
    expect(created.IdentityPoolId).toMatch(
      /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(created.IdentityPoolTags).toEqual({ team: "mobile" });
    const id = created.IdentityPoolId!;

    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client().send(new ListIdentityPoolsCommand({ MaxResults: 1, NextToken }));
      expect(page.IdentityPools!.length).toBeLessThanOrEqual(1);
      seen.push(...page.IdentityPools!.map((p) => p.IdentityPoolId!));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(seen.sort()).toEqual([id, PETSTORE_POOL].sort());

    const updated = await client().send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: id,
        IdentityPoolName: "Renamed pool",
        AllowUnauthenticatedIdentities: true,
        DeveloperProviderName: "login.scratch",
      }),
    );
    expect(updated).toMatchObject({ IdentityPoolName: "Renamed pool", AllowUnauthenticatedIdentities: true });
    const renamed = await awsError(() =>
      client().send(
        new UpdateIdentityPoolCommand({
          IdentityPoolId: id,
          IdentityPoolName: "Renamed pool",
          AllowUnauthenticatedIdentities: true,
          DeveloperProviderName: "login.other",
        }),
      ),
    );
    expect(renamed.name).toBe("InvalidParameterException");
    expect(renamed.message).toBe(
      "The developer provider name of an identity pool cannot be changed once set.",
    );

    await client().send(new DeleteIdentityPoolCommand({ IdentityPoolId: id }));
    const gone = await awsError(() => client().send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })));
    expect(gone.name).toBe("ResourceNotFoundException");
    expect(gone.message).toBe(`IdentityPool '${id}' not found.`);
  });

  it("refuses a malformed pool id with the model's constraint, and a missing one as null", async () => {
    const malformed = await awsError(() =>
      client().send(new DescribeIdentityPoolCommand({ IdentityPoolId: "not-a-pool-id" })),
    );
    expect(malformed.name).toBe("ValidationException");
    expect(malformed.message).toBe(
      "1 validation error detected: Value 'not-a-pool-id' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    );
    const tooLong = `us-east-1:${"a".repeat(50)}`;
    const long = await awsError(() =>
      client().send(new DescribeIdentityPoolCommand({ IdentityPoolId: tooLong })),
    );
    expect(long.message).toBe(
      `1 validation error detected: Value '${tooLong}' at 'identityPoolId' failed to satisfy constraint: Member must have length less than or equal to 55`,
    );
    const missing = await awsError(() =>
      client().send(new CreateIdentityPoolCommand({ IdentityPoolName: "x" } as never)),
    );
    expect(missing.name).toBe("ValidationException");
    expect(missing.message).toBe(
      "1 validation error detected: Value null at 'allowUnauthenticatedIdentities' failed to satisfy constraint: Member must not be null",
    );
  });

  it("answers ResourceNotFoundException for a pool that does not exist", async () => {
    const id = "us-east-1:00000000-0000-0000-0000-000000000000";
    const error = await awsError(() =>
      client().send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id })),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`IdentityPool '${id}' not found.`);
  });

  it("authorises each call as cognito-identity:<Operation> on the pool's ARN", async () => {
    const error = await awsError(() =>
      cognitoClient(fedsim, AUDITOR).send(new DescribeIdentityPoolCommand({ IdentityPoolId: PETSTORE_POOL })),
    );
    expect(error.name).toBe("AccessDeniedException");
    expect(error.message).toBe(
      `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: cognito-identity:DescribeIdentityPool on resource: ${poolArn(PETSTORE_POOL)} because no identity-based policy allows the cognito-identity:DescribeIdentityPool action`,
    );
    const [record] = fedsim.decisions.query({
      limit: 1,
      requestId: (error as { $metadata: { requestId?: string } }).$metadata.requestId!,
    });
    expect(record).toMatchObject({
      action: "cognito-identity:DescribeIdentityPool",
      decision: "implicit-deny",
    });
  });

  it("sets roles and role mappings, refusing a Rules mapping without rules", async () => {
    const { IdentityPoolId } = await client().send(
      new CreateIdentityPoolCommand({ IdentityPoolName: "Roles pool", AllowUnauthenticatedIdentities: true }),
    );
    await client().send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId,
        Roles: { unauthenticated: PETSTORE_GUEST_ROLE },
        RoleMappings: { "login.example": { Type: "Token", AmbiguousRoleResolution: "Deny" } },
      }),
    );
    const roles = await client().send(new GetIdentityPoolRolesCommand({ IdentityPoolId }));
    expect(roles).toMatchObject({
      IdentityPoolId,
      Roles: { unauthenticated: PETSTORE_GUEST_ROLE },
      RoleMappings: { "login.example": { Type: "Token", AmbiguousRoleResolution: "Deny" } },
    });
    const noRules = await awsError(() =>
      client().send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId,
          Roles: {},
          RoleMappings: { "login.example": { Type: "Rules", AmbiguousRoleResolution: "Deny" } },
        }),
      ),
    );
    expect(noRules.name).toBe("InvalidParameterException");
    expect(noRules.message).toBe(
      "RulesConfiguration is required for the Rules role mapping of login.example.",
    );
    const badKey = await awsError(() =>
      client().send(
        new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { admin: PETSTORE_GUEST_ROLE } }),
      ),
    );
    expect(badKey.name).toBe("ValidationException");
    expect(badKey.message).toBe(
      "1 validation error detected: Value 'admin' at 'roles' failed to satisfy constraint: Map key must satisfy constraint: [Member must satisfy regular expression pattern: (un)?authenticated]",
    );
  });

  it("tags a pool by its ARN and lists and removes the tags", async () => {
    const arn = poolArn(PETSTORE_POOL);
    await client().send(new TagResourceCommand({ ResourceArn: arn, Tags: { stage: "demo", owner: "pets" } }));
    await client().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["owner"] }));
    expect((await client().send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual({
      stage: "demo",
    });
    const other = await awsError(() =>
      client().send(new ListTagsForResourceCommand({ ResourceArn: poolArn("us-east-1:0000") })),
    );
    expect(other.name).toBe("ResourceNotFoundException");
  });

  it("keeps a principal tag map per provider of the pool", async () => {
    const set = await client().send(
      new SetPrincipalTagAttributeMapCommand({
        IdentityPoolId: PETSTORE_POOL,
        IdentityProviderName: "login.petstore",
        UseDefaults: true,
        PrincipalTags: { department: "dept" },
      }),
    );
    expect(set).toMatchObject({ UseDefaults: true, PrincipalTags: { department: "dept" } });
    const got = await client().send(
      new GetPrincipalTagAttributeMapCommand({
        IdentityPoolId: PETSTORE_POOL,
        IdentityProviderName: SAML_PROVIDER,
      }),
    );
    expect(got).toMatchObject({
      IdentityProviderName: SAML_PROVIDER,
      UseDefaults: false,
      PrincipalTags: { team: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:team" },
    });
    const unknown = await awsError(() =>
      client().send(
        new GetPrincipalTagAttributeMapCommand({
          IdentityPoolId: PETSTORE_POOL,
          IdentityProviderName: "accounts.google.com",
        }),
      ),
    );
    expect(unknown.name).toBe("InvalidParameterException");
  });
});
