/**
 * Attacks on Cognito identity pools, each through the real @aws-sdk/client-cognito-identity: what the SDK
 * sees (AWS's error code and message) and what the decision log says about it (fedsim's reason). Other
 * emulators hand out credentials for every one of these.
 */
import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from "@aws-sdk/client-cognito-identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../src/authz/decisionRecord.js";
import {
  COGNITO_LOGIN,
  cognitoClient,
  DEVELOPER_PROVIDER,
  PETSTORE_POOL,
  samlLogin,
} from "../helpers/cognito.js";
import {
  cognitoTestConfig,
  EXAMPLE_POOL,
  OIDC_NAME,
  role,
  STRICT_POOL,
  TestIssuer,
} from "../helpers/cognitoConfig.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, SAML_PROVIDER } from "../helpers/petstore.js";

type SdkError = Awaited<ReturnType<typeof awsError>> & { $metadata: { requestId?: string } };

describe("attacks on identity pools are refused with AWS's error and recorded with fedsim's reason", () => {
  let fedsim: TestFedsim;
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.create();
    fedsim = await startTestFedsim({ config: cognitoTestConfig(issuer.key.publicJwk) });
  });
  afterAll(() => fedsim.stop());
  const client = () => cognitoClient(fedsim);

  const refused = async (fn: () => Promise<unknown>) => {
    const error = (await awsError(fn)) as SdkError;
    const records = fedsim.decisions.query({ limit: 10, requestId: error.$metadata.requestId! });
    return { error, records };
  };
  const refusal = (records: DecisionRecord[]) => {
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ service: "cognito-identity", decision: "refused" });
    return records[0]!;
  };
  const getId = (IdentityPoolId: string, Logins?: Record<string, string>) =>
    client().send(new GetIdCommand({ IdentityPoolId, Logins }));
  const credentialsFor = (IdentityId: string, Logins?: Record<string, string>) =>
    client().send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));

  it("refuses a Cognito token issued for another pool", async () => {
    const other = await client().send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: PETSTORE_POOL,
        Logins: { [DEVELOPER_PROVIDER]: "mallory" },
      }),
    );
    const { IdentityId } = await getId(EXAMPLE_POOL);
    const { error, records } = await refused(() =>
      credentialsFor(IdentityId!, { [COGNITO_LOGIN]: other.Token! }),
    );
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Invalid login token. Incorrect token audience.");
    const record = refusal(records);
    expect(record).toMatchObject({
      principal: IdentityId,
      action: "cognito-identity:GetCredentialsForIdentity",
      resource: `arn:aws:cognito-identity:us-east-1:${ACCOUNT_ID}:identitypool/${EXAMPLE_POOL}`,
    });
    expect(record.reason).toContain(`"${PETSTORE_POOL}"`);
  });

  it("refuses an OIDC token for another audience", async () => {
    const token = await issuer.token(fedsim.clock.now(), { aud: "someone-elses-app" });
    const { error, records } = await refused(() => getId(EXAMPLE_POOL, { [OIDC_NAME]: token }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Invalid login token. Incorrect token audience.");
    expect(refusal(records).reason).toContain("names none of the provider's client ids");
  });

  it("refuses an expired login", async () => {
    const token = await issuer.token(new Date(fedsim.clock.now().getTime() - 7200_000), {}, 3600);
    const { error, records } = await refused(() => getId(EXAMPLE_POOL, { [OIDC_NAME]: token }));
    const now = Math.floor(fedsim.clock.now().getTime() / 1000);
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe(`Invalid login token. Token expired: ${now} >= ${now - 3600}`);
    expect(refusal(records).reason).toContain("The token expired at");
  });

  it("refuses a tampered OIDC login: the claims changed, the signature kept", async () => {
    const token = await issuer.token(fedsim.clock.now(), { groups: ["customers"] });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    claims.groups = ["admins"];
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    const { error, records } = await refused(() => getId(EXAMPLE_POOL, { [OIDC_NAME]: forged }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Invalid login token. Couldn't verify signed token.");
    expect(refusal(records).reason).toContain("signature does not verify");
  });

  it("refuses a tampered SAML login", async () => {
    const xml = Buffer.from(samlLogin(fedsim, "bob")[SAML_PROVIDER]!, "base64").toString("utf8");
    const forged = Buffer.from(xml.replace(">customers<", ">admins<")).toString("base64");
    expect(forged).not.toBe(samlLogin(fedsim, "bob")[SAML_PROVIDER]);
    const { error, records } = await refused(() => getId(EXAMPLE_POOL, { [SAML_PROVIDER]: forged }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Invalid login token. Couldn't verify signed token.");
    expect(refusal(records).reason).toContain(SAML_PROVIDER);
  });

  it("refuses an unsigned (alg none) token", async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(fedsim.clock.now().getTime() / 1000);
    const none = `${part({ alg: "none" })}.${part({ iss: "https://login.example.test", aud: "petstore-web", sub: "x", iat: now, exp: now + 60 })}.`;
    const { error, records } = await refused(() => getId(EXAMPLE_POOL, { [OIDC_NAME]: none }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toMatch(/^Invalid login token\. The token header says alg "none"/);
    refusal(records);
  });

  it("refuses guests on a pool that does not allow them", async () => {
    const { error, records } = await refused(() => getId(STRICT_POOL));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Unauthenticated access is not supported for this identity pool.");
    expect(refusal(records).action).toBe("cognito-identity:GetId");
  });

  it("refuses a login whose rules match nothing when the mapping says Deny", async () => {
    const logins = { [OIDC_NAME]: await issuer.token(fedsim.clock.now(), { groups: ["customers"] }) };
    const { IdentityId } = await getId(STRICT_POOL, logins);
    const { error, records } = await refused(() => credentialsFor(IdentityId!, logins));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe(`The ambiguous role mapping rules for: ${OIDC_NAME} denied this request.`);
    expect(refusal(records).reason).toContain("none of the 1 rules matched");
  });

  it("refuses a role whose trust policy names another pool, with the trust evaluation in the log", async () => {
    const logins = { [OIDC_NAME]: await issuer.token(fedsim.clock.now(), { sub: "gold-1", tier: "gold" }) };
    const { IdentityId } = await getId(EXAMPLE_POOL, logins);
    const { error, records } = await refused(() => credentialsFor(IdentityId!, logins));
    expect(error.name).toBe("InvalidIdentityPoolConfigurationException");
    expect(error.message).toBe(
      "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      service: "sts",
      action: "sts:AssumeRoleWithWebIdentity",
      resource: role("PetStoreAdmin"),
      principal: IdentityId,
      decision: "implicit-deny",
    });
    expect(records[0]!.reason).toContain(`"${PETSTORE_POOL}"`);
    expect(records[0]!.context["cognito-identity.amazonaws.com:aud"]).toBe(EXAMPLE_POOL);
  });

  it("refuses logins that do not match the identity", async () => {
    const alice = await getId(EXAMPLE_POOL, samlLogin(fedsim, "alice"));
    const { error, records } = await refused(() =>
      credentialsFor(alice.IdentityId!, samlLogin(fedsim, "bob")),
    );
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe(
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    expect(refusal(records).reason).toContain("is linked to");
  });

  it("refuses a signed-in identity asked for without its logins", async () => {
    const alice = await getId(EXAMPLE_POOL, samlLogin(fedsim, "alice"));
    const { error, records } = await refused(() => credentialsFor(alice.IdentityId!));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe(`Access to Identity '${alice.IdentityId}' is forbidden.`);
    refusal(records);
  });

  it("refuses a developer user claimed through unsigned Logins instead of the signed developer call", async () => {
    const { error, records } = await refused(() => getId(PETSTORE_POOL, { [DEVELOPER_PROVIDER]: "alice" }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Token is not from a supported provider of this identity pool.");
    expect(refusal(records).reason).toContain("GetOpenIdTokenForDeveloperIdentity");
  });

  it("refuses a provider the pool does not name", async () => {
    const token = await issuer.token(fedsim.clock.now());
    const { error } = await refused(() => getId(PETSTORE_POOL, { [OIDC_NAME]: token }));
    expect(error.name).toBe("NotAuthorizedException");
    expect(error.message).toBe("Token is not from a supported provider of this identity pool.");
  });

  it("answers an identity that does not exist as AWS does", async () => {
    const id = "us-east-1:00000000-0000-4000-8000-000000000000";
    const { error, records } = await refused(() => credentialsFor(id));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`Identity '${id}' not found.`);
    refusal(records);
  });
});
