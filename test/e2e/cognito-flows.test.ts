/**
 * The rest of the Cognito Identity flows through the real SDK: an IAM OIDC provider's logins (verified with
 * the config's inline keys) and their role rules and principal tags, the keys Cognito credentials carry into
 * later requests, the basic (classic) flow, the identity operations, and identities surviving a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  ListIdentitiesCommand,
  LookupDeveloperIdentityCommand,
  MergeDeveloperIdentitiesCommand,
  SetIdentityPoolRolesCommand,
  UnlinkDeveloperIdentityCommand,
  UnlinkIdentityCommand,
} from "@aws-sdk/client-cognito-identity";
import { IAMClient, ListRolesCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyToken } from "../../src/core/oidc/verifyToken.js";
import { cognitoClient, jwtClaims, PETSTORE_POOL, poolCredentials, samlLogin } from "../helpers/cognito.js";
import {
  CLASSIC_POOL,
  cognitoTestConfig,
  EXAMPLE_POOL,
  OIDC_NAME,
  TestIssuer,
} from "../helpers/cognitoConfig.js";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, REGION, SAML_PROVIDER } from "../helpers/petstore.js";

const assumed = (role: string) =>
  `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/CognitoIdentityCredentials`;

describe("Cognito Identity flows through the real SDK", () => {
  let fedsim: TestFedsim;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create();
    fedsim = await startTestFedsim({ config: cognitoTestConfig(issuer.key.publicJwk) });
  });
  afterAll(() => fedsim.stop());
  const client = () => cognitoClient(fedsim);

  it("signs in with an IAM OIDC provider: rules pick the role, the tag map gives session tags", async () => {
    const token = await issuer.token(fedsim.clock.now(), {
      sub: "oidc-admin",
      groups: ["staff", "admins"],
      department: "kennels",
    });
    const credentials = await poolCredentials(fedsim, {
      identityPoolId: EXAMPLE_POOL,
      logins: { [OIDC_NAME]: token },
    })();
    const caller = await stsClient(fedsim, credentials).send(new GetCallerIdentityCommand({}));
    expect(caller.Arn).toBe(assumed("ExampleAdmin"));
    const session = fedsim.store.sessions.get(credentials.accessKeyId)!;
    expect(session.tags).toEqual([
      { key: "username", value: "oidc-admin" },
      { key: "client", value: "petstore-web" },
      { key: "dept", value: "kennels" },
    ]);
    expect(session.federationKeys).toEqual({
      "cognito-identity.amazonaws.com:aud": [EXAMPLE_POOL],
      "cognito-identity.amazonaws.com:amr": ["authenticated", OIDC_NAME, `${OIDC_NAME}:oidc-admin`],
      "cognito-identity.amazonaws.com:sub": [credentials.identityId],
    });
  });

  it("falls back to the authenticated role when no rule matches (AmbiguousRoleResolution AuthenticatedRole)", async () => {
    const token = await issuer.token(fedsim.clock.now(), { sub: "oidc-plain" });
    const credentials = await poolCredentials(fedsim, {
      identityPoolId: EXAMPLE_POOL,
      logins: { [OIDC_NAME]: token },
    })();
    expect((await stsClient(fedsim, credentials).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      assumed("ExampleUser"),
    );
  });

  it("carries cognito-identity.amazonaws.com:sub into later requests, so a policy can single out one person", async () => {
    const person = async (sub: string) =>
      poolCredentials(fedsim, {
        identityPoolId: EXAMPLE_POOL,
        logins: { [OIDC_NAME]: await issuer.token(fedsim.clock.now(), { sub }) },
      })();
    const mine = await person("ruth");
    const theirs = await person("sam");
    await new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: ADMIN,
      maxAttempts: 1,
    }).send(
      new PutRolePolicyCommand({
        RoleName: "ExampleUser",
        PolicyName: "OnlyRuthListsRoles",
        PolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "iam:ListRoles",
              Resource: "*",
              Condition: { StringEquals: { "cognito-identity.amazonaws.com:sub": mine.identityId } },
            },
          ],
        }),
      }),
    );
    const iam = (c: typeof mine) =>
      new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: c, maxAttempts: 1 });
    expect((await iam(mine).send(new ListRolesCommand({}))).Roles!.length).toBeGreaterThan(0);
    const denied = await awsError(() => iam(theirs).send(new ListRolesCommand({})));
    expect(denied.name).toBe("AccessDenied");
  });

  it("runs the basic flow: GetOpenIdToken gives an RS512 token that verifies with the served JWKS", async () => {
    const { IdentityId } = await client().send(new GetIdCommand({ IdentityPoolId: CLASSIC_POOL }));
    const { Token } = await client().send(new GetOpenIdTokenCommand({ IdentityId }));
    const jwks = await (await fetch(`${fedsim.url}/cognito-identity/.well-known/jwks_uri`)).json();
    const verified = await verifyToken(Token!, {
      jwks,
      issuer: "https://cognito-identity.amazonaws.com",
      audience: { oneOf: [CLASSIC_POOL] },
      now: fedsim.clock.now(),
    });
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.header.alg).toBe("RS512");
    expect(verified.claims).toMatchObject({ sub: IdentityId, aud: CLASSIC_POOL, amr: ["unauthenticated"] });
    expect(verified.claims.exp - verified.claims.iat).toBe(600);
  });

  it("refuses the basic flow on a pool without AllowClassicFlow, and on one that maps roles", async () => {
    const { IdentityId } = await client().send(new GetIdCommand({ IdentityPoolId: PETSTORE_POOL }));
    const disabled = await awsError(() => client().send(new GetOpenIdTokenCommand({ IdentityId })));
    expect(disabled.name).toBe("InvalidParameterException");
    expect(disabled.message).toBe("Basic (classic) flow is not enabled, please use enhanced flow.");
    const mapped = await client().send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: "Classic with mappings",
        AllowUnauthenticatedIdentities: true,
        AllowClassicFlow: true,
      }),
    );
    await client().send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: mapped.IdentityPoolId,
        Roles: {},
        RoleMappings: { [OIDC_NAME]: { Type: "Token", AmbiguousRoleResolution: "AuthenticatedRole" } },
      }),
    );
    const guest = await client().send(new GetIdCommand({ IdentityPoolId: mapped.IdentityPoolId }));
    const withMappings = await awsError(() =>
      client().send(new GetOpenIdTokenCommand({ IdentityId: guest.IdentityId })),
    );
    expect(withMappings.name).toBe("InvalidParameterException");
    expect(withMappings.message).toBe(
      "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow.",
    );
  });

  it("gives developer tokens the TokenDuration asked for, within 1 to 86,400 seconds", async () => {
    const issued = await client().send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: CLASSIC_POOL,
        Logins: { "login.classic": "erin" },
        TokenDuration: 86_400,
      }),
    );
    const claims = jwtClaims(issued.Token!);
    expect((claims.exp as number) - (claims.iat as number)).toBe(86_400);
    const tooLong = await awsError(() =>
      client().send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: CLASSIC_POOL,
          Logins: { "login.classic": "erin" },
          TokenDuration: 86_401,
        }),
      ),
    );
    expect(tooLong.name).toBe("ValidationException");
    expect(tooLong.message).toBe(
      "1 validation error detected: Value '86401' at 'tokenDuration' failed to satisfy constraint: Member must have value less than or equal to 86400",
    );
  });

  it("looks up, merges and unlinks developer identities", async () => {
    const token = (user: string) =>
      client().send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: CLASSIC_POOL,
          Logins: { "login.classic": user },
        }),
      );
    const frank = await token("frank");
    const grace = await token("grace");
    expect(frank.IdentityId).not.toBe(grace.IdentityId);
    expect((await token("frank")).IdentityId).toBe(frank.IdentityId);
    const merged = await client().send(
      new MergeDeveloperIdentitiesCommand({
        IdentityPoolId: CLASSIC_POOL,
        DeveloperProviderName: "login.classic",
        SourceUserIdentifier: "grace",
        DestinationUserIdentifier: "frank",
      }),
    );
    expect(merged.IdentityId).toBe(frank.IdentityId);
    const lookup = await client().send(
      new LookupDeveloperIdentityCommand({ IdentityPoolId: CLASSIC_POOL, DeveloperUserIdentifier: "grace" }),
    );
    expect(lookup).toMatchObject({
      IdentityId: frank.IdentityId,
      DeveloperUserIdentifierList: ["frank", "grace"],
    });
    await client().send(
      new UnlinkDeveloperIdentityCommand({
        IdentityPoolId: CLASSIC_POOL,
        IdentityId: frank.IdentityId,
        DeveloperProviderName: "login.classic",
        DeveloperUserIdentifier: "grace",
      }),
    );
    const after = await client().send(
      new LookupDeveloperIdentityCommand({ IdentityPoolId: CLASSIC_POOL, IdentityId: frank.IdentityId }),
    );
    expect(after.DeveloperUserIdentifierList).toEqual(["frank"]);
    const unknown = await awsError(() =>
      client().send(
        new LookupDeveloperIdentityCommand({
          IdentityPoolId: CLASSIC_POOL,
          DeveloperUserIdentifier: "grace",
        }),
      ),
    );
    expect(unknown.name).toBe("ResourceNotFoundException");
  });

  it("describes, lists, unlinks (disabling the identity) and deletes identities", async () => {
    const logins = samlLogin(fedsim, "bob");
    const { IdentityId } = await client().send(
      new GetIdCommand({ IdentityPoolId: EXAMPLE_POOL, Logins: logins }),
    );
    const described = await client().send(new DescribeIdentityCommand({ IdentityId }));
    expect(described.Logins).toEqual([SAML_PROVIDER]);
    expect(described.CreationDate?.getTime()).toBe(fedsim.clock.now().getTime());

    await client().send(
      new UnlinkIdentityCommand({ IdentityId, Logins: logins, LoginsToRemove: [SAML_PROVIDER] }),
    );
    const listed = async (HideDisabled: boolean) => {
      const ids: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client().send(
          new ListIdentitiesCommand({ IdentityPoolId: EXAMPLE_POOL, MaxResults: 2, NextToken, HideDisabled }),
        );
        ids.push(...page.Identities!.map((i) => i.IdentityId!));
        NextToken = page.NextToken;
      } while (NextToken);
      return ids;
    };
    expect(await listed(false)).toContain(IdentityId);
    expect(await listed(true)).not.toContain(IdentityId);
    const forbidden = await awsError(() =>
      client().send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins })),
    );
    expect(forbidden.name).toBe("NotAuthorizedException");
    expect(forbidden.message).toBe(`Access to Identity '${IdentityId}' is forbidden.`);
    // The unlinked login is new again: it gets a new identity.
    const fresh = await client().send(new GetIdCommand({ IdentityPoolId: EXAMPLE_POOL, Logins: logins }));
    expect(fresh.IdentityId).not.toBe(IdentityId);

    const deleted = await client().send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId!] }));
    expect(deleted.UnprocessedIdentityIds).toEqual([]);
    const gone = await awsError(() => client().send(new DescribeIdentityCommand({ IdentityId })));
    expect(gone.name).toBe("ResourceNotFoundException");
    expect(gone.message).toBe(`Identity '${IdentityId}' not found.`);
  });
});

describe("identities survive a restart", () => {
  it("gives the same login the same identity id after fedsim restarts on the same database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fedsim-cognito-restart-"));
    const options = { db: join(dir, "fedsim.sqlite"), certsDir: join(dir, "certs") };
    try {
      const first = await startTestFedsim(options);
      const login = samlLogin(first, "alice", { certsDir: options.certsDir });
      const before = await cognitoClient(first).send(
        new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: login }),
      );
      await first.stop();
      const second = await startTestFedsim(options);
      try {
        const after = await cognitoClient(second).send(
          new GetIdCommand({
            IdentityPoolId: PETSTORE_POOL,
            Logins: samlLogin(second, "alice", { certsDir: options.certsDir }),
          }),
        );
        expect(after.IdentityId).toBe(before.IdentityId);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
