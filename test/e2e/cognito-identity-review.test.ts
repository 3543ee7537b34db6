/**
 * The independent review of issue 10 (Cognito identity pools): the holes it found, each shown through the wire
 * with the code and message the SDK sees and, for refusals, the decision-log record. The basic (classic) flow
 * end to end (GetOpenIdToken's token exchanged by AssumeRoleWithWebIdentity), Object.prototype names wherever a
 * client names a key, management calls unsigned, unpermitted or from another account, and
 * ${cognito-identity.amazonaws.com:sub} limiting a person to their own resources through the gateway.
 */
import {
  CreateIdentityPoolCommand,
  DeleteIdentitiesCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityCommand,
  DescribeIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
  ListIdentitiesCommand,
  ListIdentityPoolsCommand,
  ListTagsForResourceCommand,
  LookupDeveloperIdentityCommand,
  SetIdentityPoolRolesCommand,
} from "@aws-sdk/client-cognito-identity";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callGateway, petstoreUrl } from "../../src/cli/gatewayCall.js";
import { parseConfigText } from "../../src/config/load.js";
import {
  COGNITO_LOGIN,
  cognitoClient,
  jwtClaims,
  PETSTORE_POOL,
  poolCredentials,
  samlLogin,
} from "../helpers/cognito.js";
import {
  CLASSIC_POOL,
  cognitoTestConfig,
  EXAMPLE_POOL,
  OIDC_NAME,
  role,
  TestIssuer,
} from "../helpers/cognitoConfig.js";
import { asCreds, awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR, REGION } from "../helpers/petstore.js";
import { rawRequest, signQuery } from "../helpers/signedRequest.js";

type SdkError = Awaited<ReturnType<typeof awsError>> & { $metadata: { requestId?: string } };

const COGNITO_ISSUER = "https://cognito-identity.amazonaws.com";
const poolArn = (id: string, account = ACCOUNT_ID) =>
  `arn:aws:cognito-identity:${REGION}:${account}:identitypool/${id}`;

/** A trust policy for the pool's identities of one kind, as the Cognito console writes it. */
const cognitoTrust = (pool: string, amr: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: "cognito-identity.amazonaws.com" },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "cognito-identity.amazonaws.com:aud": pool },
          "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr },
        },
      },
    ],
  });

describe("review of issue 10: the basic (classic) flow end to end", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    const issuer = await TestIssuer.create();
    fedsim = await startTestFedsim({ config: cognitoTestConfig(issuer.key.publicJwk) });
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    await iam.send(
      new CreateRoleCommand({
        RoleName: "ClassicMember",
        AssumeRolePolicyDocument: cognitoTrust(CLASSIC_POOL, "authenticated"),
      }),
    );
  });
  afterAll(() => fedsim.stop());
  const client = () => cognitoClient(fedsim);
  // AssumeRoleWithWebIdentity is unsigned: the SDK is given credentials it never uses.
  const sts = () =>
    new STSClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
      maxAttempts: 1,
    });
  const exchange = (RoleArn: string, WebIdentityToken: string) =>
    sts().send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: "classic-app", WebIdentityToken }),
    );

  it("exchanges a guest's GetOpenIdToken token with AssumeRoleWithWebIdentity for a role trusting cognito-identity.amazonaws.com", async () => {
    const { IdentityId } = await client().send(new GetIdCommand({ IdentityPoolId: CLASSIC_POOL }));
    const { Token } = await client().send(new GetOpenIdTokenCommand({ IdentityId }));
    const claims = jwtClaims(Token!);
    expect(claims).toMatchObject({ iss: COGNITO_ISSUER, aud: CLASSIC_POOL, sub: IdentityId });
    const assumed = await exchange(role("ClassicGuest"), Token!);
    expect(assumed).toMatchObject({
      SubjectFromWebIdentityToken: IdentityId,
      Audience: CLASSIC_POOL,
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/ClassicGuest/classic-app` },
    });
    const caller = await stsClient(fedsim, asCreds(assumed.Credentials)).send(
      new GetCallerIdentityCommand({}),
    );
    expect(caller.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/ClassicGuest/classic-app`);
    // The session carries the Cognito keys into its later requests, as the enhanced flow's do.
    const session = fedsim.store.sessions.get(assumed.Credentials!.AccessKeyId!)!;
    expect(session.federationKeys).toMatchObject({
      "cognito-identity.amazonaws.com:aud": [CLASSIC_POOL],
      "cognito-identity.amazonaws.com:sub": [IdentityId],
      "cognito-identity.amazonaws.com:amr": ["unauthenticated"],
    });
  });

  it("exchanges a developer identity's token (15 minutes by default) for a role trusting authenticated identities only", async () => {
    const issued = await client().send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: CLASSIC_POOL,
        Logins: { "login.classic": "heidi" },
      }),
    );
    const claims = jwtClaims(issued.Token!);
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    expect(claims.amr).toEqual(["authenticated", "login.classic", `login.classic:${CLASSIC_POOL}:heidi`]);
    const assumed = await exchange(role("ClassicMember"), issued.Token!);
    expect(assumed.AssumedRoleUser!.Arn).toBe(
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/ClassicMember/classic-app`,
    );
  });

  it("refuses the token for a role whose trust policy names another kind of identity or another pool, recording the trust evaluation", async () => {
    const issued = await client().send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: CLASSIC_POOL,
        Logins: { "login.classic": "ivan" },
      }),
    );
    for (const other of ["ClassicGuest", "ExampleUser"]) {
      const error = (await awsError(() => exchange(role(other), issued.Token!))) as SdkError;
      expect(error.name).toBe("AccessDenied");
      expect(error.message).toBe("Not authorized to perform sts:AssumeRoleWithWebIdentity");
      const [record] = fedsim.decisions.query({ limit: 5, requestId: error.$metadata.requestId! });
      expect(record).toMatchObject({
        action: "sts:AssumeRoleWithWebIdentity",
        resource: role(other),
        decision: "implicit-deny",
      });
    }
  });

  it("refuses a tampered or expired Cognito token", async () => {
    const { IdentityId } = await client().send(new GetIdCommand({ IdentityPoolId: CLASSIC_POOL }));
    const { Token } = await client().send(new GetOpenIdTokenCommand({ IdentityId }));
    const [h, p, s] = Token!.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
    claims.amr = ["authenticated"];
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    const tampered = (await awsError(() => exchange(role("ClassicMember"), forged))) as SdkError;
    expect(tampered.name).toBe("InvalidIdentityTokenException");
    expect(tampered.message).toMatch(/signature does not verify/);
    expect(fedsim.decisions.query({ limit: 5, requestId: tampered.$metadata.requestId! })).toHaveLength(1);

    fedsim.clock.advance(11 * 60_000);
    const expired = await awsError(() => exchange(role("ClassicGuest"), Token!));
    expect(expired.name).toBe("ExpiredTokenException");
    expect(expired.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/,
    );
  });
});

describe("review of issue 10: attacks the attack file does not cover", () => {
  let fedsim: TestFedsim;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create();
    fedsim = await startTestFedsim({ config: cognitoTestConfig(issuer.key.publicJwk) });
  });
  afterAll(() => fedsim.stop());
  const client = () => cognitoClient(fedsim);

  /** An unsigned JSON 1.1 call, as a browser or curl would send it. */
  const unsigned = (target: string, body: string) =>
    rawRequest(fedsim.url, {
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSCognitoIdentityService.${target}`,
      },
      body,
    });
  /** A signed JSON 1.1 call with a body written by hand (so that keys such as "__proto__" reach the wire). */
  const signed = async (target: string, body: string, credentials = ADMIN) => {
    const headers = {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityService.${target}`,
    };
    const s = await signQuery(fedsim.url, credentials, body, { service: "cognito-identity", headers });
    return rawRequest(fedsim.url, { headers: s.headers, body });
  };
  const errorOf = (reply: { status: number; body: string }) => {
    const parsed = JSON.parse(reply.body) as { __type?: string; message?: string };
    return { status: reply.status, type: parsed.__type, message: parsed.message };
  };
  const recordsOf = (reply: { headers: Record<string, unknown> }) =>
    fedsim.decisions.query({ limit: 5, requestId: String(reply.headers["x-amzn-requestid"]) });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])(
    "refuses %s as a Logins key as a provider the pool does not have, and records it",
    async (key) => {
      const reply = await unsigned("GetId", `{"IdentityPoolId":"${EXAMPLE_POOL}","Logins":{"${key}":"x"}}`);
      expect(errorOf(reply)).toEqual({
        status: 400,
        type: "NotAuthorizedException",
        message: "Token is not from a supported provider of this identity pool.",
      });
      const [record] = recordsOf(reply);
      expect(record).toMatchObject({ decision: "refused", action: "cognito-identity:GetId" });
      expect(record!.reason).toContain(`${key} is not a login provider of identity pool ${EXAMPLE_POOL}`);
    },
  );

  it.each(["__proto__", "constructor", "toString"])(
    "refuses %s as a pool id with the model's pattern",
    async (id) => {
      const reply = await unsigned("GetId", `{"IdentityPoolId":"${id}"}`);
      expect(errorOf(reply)).toEqual({
        status: 400,
        type: "ValidationException",
        message: `1 validation error detected: Value '${id}' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+`,
      });
    },
  );

  it("keeps __proto__ and constructor as ordinary tag keys", async () => {
    const created = JSON.parse(
      (
        await signed(
          "CreateIdentityPool",
          '{"IdentityPoolName":"Prototype tags","AllowUnauthenticatedIdentities":false,"IdentityPoolTags":{"__proto__":"a","constructor":"b"}}',
        )
      ).body,
    ) as { IdentityPoolId: string };
    const listed = await signed(
      "ListTagsForResource",
      JSON.stringify({ ResourceArn: poolArn(created.IdentityPoolId) }),
    );
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body)).toEqual(JSON.parse('{"Tags":{"__proto__":"a","constructor":"b"}}'));
  });

  it("matches a rule on a claim named constructor or __proto__ only when the token has that claim", async () => {
    const created = await client().send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: "Prototype claims",
        AllowUnauthenticatedIdentities: false,
        OpenIdConnectProviderARNs: [`arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${OIDC_NAME}`],
      }),
    );
    const rules = (claim: string) => ({
      Type: "Rules" as const,
      AmbiguousRoleResolution: "Deny" as const,
      RulesConfiguration: {
        Rules: [{ Claim: claim, MatchType: "NotEqual" as const, Value: "x", RoleARN: role("ExampleUser") }],
      },
    });
    for (const claim of ["constructor", "__proto__", "toString"]) {
      await client().send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: created.IdentityPoolId,
          Roles: { authenticated: role("ExampleUser") },
          RoleMappings: { [OIDC_NAME]: rules(claim) },
        }),
      );
      const logins = { [OIDC_NAME]: await issuer.token(fedsim.clock.now(), { sub: `proto-${claim}` }) };
      const { IdentityId } = await client().send(
        new GetIdCommand({ IdentityPoolId: created.IdentityPoolId, Logins: logins }),
      );
      const error = await awsError(() =>
        client().send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins })),
      );
      expect(error.name).toBe("NotAuthorizedException");
      expect(error.message).toBe(`The ambiguous role mapping rules for: ${OIDC_NAME} denied this request.`);
    }
  });

  it("bounds Logins: more than 10 entries, or a token over 50,000 characters, is a ValidationException", async () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`p${i}.example`, "t"]));
    const many = await awsError(() =>
      client().send(new GetIdCommand({ IdentityPoolId: EXAMPLE_POOL, Logins: eleven })),
    );
    expect(many.name).toBe("ValidationException");
    expect(many.message).toMatch(
      /^1 validation error detected: Value '\{p0\.example=t, .*' at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10$/,
    );
    const huge = await awsError(() =>
      client().send(
        new GetIdCommand({ IdentityPoolId: EXAMPLE_POOL, Logins: { [OIDC_NAME]: "a".repeat(50_001) } }),
      ),
    );
    expect(huge.name).toBe("ValidationException");
    // Unsigned calls carry no signature to blame: the oversized login is in the log, as STS logs an oversized token.
    const [record] = fedsim.decisions.query({
      limit: 5,
      requestId: (huge as SdkError).$metadata.requestId!,
    });
    expect(record).toMatchObject({ decision: "refused", action: "cognito-identity:GetId" });
    expect(record!.reason).toMatch(/^ValidationException: 1 validation error detected/);
    expect(huge.message).toMatch(
      /at 'logins' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 50000\]$/,
    );
  });

  it("refuses an unsigned management call, and one signed with an unknown key, with the JSON services' codes, and records them", async () => {
    const body = JSON.stringify({ IdentityPoolId: PETSTORE_POOL });
    const reply = await unsigned("DescribeIdentityPool", body);
    expect(errorOf(reply)).toEqual({
      status: 403,
      type: "MissingAuthenticationTokenException",
      message: "Request is missing Authentication Token",
    });
    expect(recordsOf(reply)).toHaveLength(1);
    const stranger = { accessKeyId: "AKIAIOSFODNN7UNKNOWN", secretAccessKey: "s".repeat(40) };
    const unknown = await signed("DescribeIdentityPool", body, stranger);
    expect(errorOf(unknown)).toEqual({
      status: 400,
      type: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
    });
    expect(recordsOf(unknown)).toHaveLength(1);
  });

  it("refuses a principal without cognito-identity permissions every management call, before it learns whether the pool exists", async () => {
    const auditor = cognitoClient(fedsim, AUDITOR);
    for (const id of [PETSTORE_POOL, "us-east-1:00000000-0000-4000-8000-000000000000"]) {
      const error = (await awsError(() =>
        auditor.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id })),
      )) as SdkError;
      expect(error.name).toBe("AccessDeniedException");
      expect(error.message).toBe(
        `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: cognito-identity:DeleteIdentityPool on resource: ${poolArn(id)} because no identity-based policy allows the cognito-identity:DeleteIdentityPool action`,
      );
      expect(fedsim.decisions.query({ limit: 5, requestId: error.$metadata.requestId! })[0]).toMatchObject({
        decision: "implicit-deny",
      });
    }
    const developer = await awsError(() =>
      auditor.send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: PETSTORE_POOL,
          Logins: { "login.petstore": "alice" },
        }),
      ),
    );
    expect(developer.name).toBe("AccessDeniedException");
  });

  it("refuses a Cognito token of the same pool that names another identity", async () => {
    const mallory = await client().send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: PETSTORE_POOL,
        Logins: { "login.petstore": "mallory-review" },
      }),
    );
    const alice = await client().send(
      new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: samlLogin(fedsim, "alice") }),
    );
    const error = (await awsError(() =>
      client().send(
        new GetCredentialsForIdentityCommand({
          IdentityId: alice.IdentityId,
          Logins: { [COGNITO_LOGIN]: mallory.Token! },
        }),
      ),
    )) as SdkError;
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe(
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    const [record] = fedsim.decisions.query({ limit: 5, requestId: error.$metadata.requestId! });
    expect(record).toMatchObject({ decision: "refused", principal: alice.IdentityId });
  });

  it("refuses developer calls naming an identity of another pool", async () => {
    const other = await client().send(new GetIdCommand({ IdentityPoolId: EXAMPLE_POOL }));
    const error = await awsError(() =>
      client().send(
        new GetOpenIdTokenForDeveloperIdentityCommand({
          IdentityPoolId: PETSTORE_POOL,
          IdentityId: other.IdentityId,
          Logins: { "login.petstore": "judy" },
        }),
      ),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`Identity '${other.IdentityId}' not found.`);
    const lookup = await awsError(() =>
      client().send(
        new LookupDeveloperIdentityCommand({ IdentityPoolId: PETSTORE_POOL, IdentityId: other.IdentityId }),
      ),
    );
    expect(lookup.name).toBe("ResourceNotFoundException");
  });
});

describe("review of issue 10: another account's pools and identities are invisible", () => {
  const A = { accessKeyId: "AKIAACCOUNTAADMIN000", secretAccessKey: "a".repeat(40) };
  const B = { accessKeyId: "AKIAACCOUNTBADMIN000", secretAccessKey: "b".repeat(40) };
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({
      config: {
        file: "two-accounts",
        config: parseConfigText(
          `region: us-east-1
accounts:
  - id: "111111111111"
    users:
      - name: admin
        accessKeys: [{ id: ${A.accessKeyId}, secret: ${A.secretAccessKey} }]
        attachedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
  - id: "222222222222"
    users:
      - name: admin
        accessKeys: [{ id: ${B.accessKeyId}, secret: ${B.secretAccessKey} }]
        attachedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]
`,
          "two accounts",
        ),
      },
    });
  });
  afterAll(() => fedsim.stop());

  it("answers account B about account A's pool and identity as about ones that do not exist", async () => {
    const a = cognitoClient(fedsim, A);
    const b = cognitoClient(fedsim, B);
    const { IdentityPoolId } = await a.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: "A only", AllowUnauthenticatedIdentities: true }),
    );
    const { IdentityId } = await a.send(new GetIdCommand({ IdentityPoolId }));
    const notFound = `IdentityPool '${IdentityPoolId}' not found.`;
    for (const call of [
      () => b.send(new DescribeIdentityPoolCommand({ IdentityPoolId })),
      () => b.send(new ListIdentitiesCommand({ IdentityPoolId, MaxResults: 10 })),
      () => b.send(new DeleteIdentityPoolCommand({ IdentityPoolId })),
      () => b.send(new ListTagsForResourceCommand({ ResourceArn: poolArn(IdentityPoolId!, "111111111111") })),
    ]) {
      const error = await awsError(call);
      expect(error.name).toBe("ResourceNotFoundException");
      expect(error.message).toBe(notFound);
    }
    expect((await b.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools).toEqual([]);
    const identity = await awsError(() => b.send(new DescribeIdentityCommand({ IdentityId })));
    expect(identity.name).toBe("ResourceNotFoundException");
    expect(identity.message).toBe(`Identity '${IdentityId}' not found.`);
    await b.send(new DeleteIdentitiesCommand({ IdentityIdsToDelete: [IdentityId!] }));
    expect((await a.send(new DescribeIdentityCommand({ IdentityId }))).IdentityId).toBe(IdentityId);
  });
});

describe("review of issue 10: ${cognito-identity.amazonaws.com:sub} limits a person to their own resources", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("lets a Cognito identity PUT and GET /accounts/<its identity id> through the gateway, and no one else's", async () => {
    const bob = await poolCredentials(fedsim, { logins: samlLogin(fedsim, "bob") })();
    const guest = await poolCredentials(fedsim)();
    const call = (credentials: typeof bob, method: string, id: string, body?: string) =>
      callGateway(
        { method, url: petstoreUrl(fedsim.url, `/accounts/${encodeURIComponent(id)}`), headers: {}, body },
        credentials,
        { region: REGION, now: fedsim.clock.now() },
      );
    const put = await call(bob, "PUT", bob.identityId, JSON.stringify({ address: "2 Leash Road" }));
    expect(put.status).toBe(200);
    expect(JSON.parse((await call(bob, "GET", bob.identityId)).body)).toEqual({
      id: bob.identityId,
      address: "2 Leash Road",
    });
    const theirs = await call(guest, "GET", bob.identityId);
    expect(theirs.status).toBe(403);
    const [record] = fedsim.decisions.query({ limit: 5, requestId: theirs.requestId! });
    expect(record).toMatchObject({ decision: "implicit-deny" });
    expect((await call(guest, "GET", guest.identityId)).status).not.toBe(403);
  });
});
