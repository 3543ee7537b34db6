/**
 * The enhanced flow end to end with the real SDK: the SDK's own identity-pool credential provider and
 * explicit @aws-sdk/client-cognito-identity calls against the PetStore pool of data/petstore.yaml, and
 * GetCallerIdentity with the credentials showing the role the pool's mapping chose.
 */
import {
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from "@aws-sdk/client-cognito-identity";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  COGNITO_LOGIN,
  cognitoClient,
  DEVELOPER_PROVIDER,
  jwtClaims,
  PETSTORE_POOL,
  poolCredentials,
  samlLogin,
} from "../helpers/cognito.js";
import { startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN } from "../helpers/petstore.js";

const assumed = (role: string) =>
  `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/CognitoIdentityCredentials`;

describe("Cognito identity pools: GetId and GetCredentialsForIdentity through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const callerOf = async (credentials: Awaited<ReturnType<ReturnType<typeof poolCredentials>>>) =>
    stsClient(fedsim, credentials).send(new GetCallerIdentityCommand({}));

  it("gives a guest the pool's unauthenticated role, through fromCognitoIdentityPool", async () => {
    const credentials = await poolCredentials(fedsim)();
    expect(credentials.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.expiration!.getTime() - fedsim.clock.now().getTime()).toBe(3600_000);
    expect((await callerOf(credentials)).Arn).toBe(assumed("PetStoreGuest"));
  });

  it("maps alice's admins team to PetStoreAdmin and bob to the authenticated role, signed in with SAML", async () => {
    const alice = await poolCredentials(fedsim, { logins: samlLogin(fedsim, "alice") })();
    const bob = await poolCredentials(fedsim, { logins: samlLogin(fedsim, "bob") })();
    expect((await callerOf(alice)).Arn).toBe(assumed("PetStoreAdmin"));
    expect((await callerOf(bob)).Arn).toBe(assumed("PetStoreCustomer"));
    expect(alice.identityId).not.toBe(bob.identityId);
  });

  it("gives the same person the same identity id on every sign-in", async () => {
    const first = await cognitoClient(fedsim).send(
      new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: samlLogin(fedsim, "bob") }),
    );
    fedsim.clock.advance(60_000);
    const again = await cognitoClient(fedsim).send(
      new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: samlLogin(fedsim, "bob") }),
    );
    expect(again.IdentityId).toBe(first.IdentityId);
  });

  it("signs in a developer identity: the app's server gets a token, the device exchanges it for credentials", async () => {
    const issued = await cognitoClient(fedsim, ADMIN).send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: PETSTORE_POOL,
        Logins: { [DEVELOPER_PROVIDER]: "carol" },
      }),
    );
    const claims = jwtClaims(issued.Token!);
    expect(claims).toMatchObject({
      iss: "https://cognito-identity.amazonaws.com",
      aud: PETSTORE_POOL,
      sub: issued.IdentityId,
      amr: ["authenticated", DEVELOPER_PROVIDER, `${DEVELOPER_PROVIDER}:${PETSTORE_POOL}:carol`],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    const out = await cognitoClient(fedsim).send(
      new GetCredentialsForIdentityCommand({
        IdentityId: issued.IdentityId,
        Logins: { [COGNITO_LOGIN]: issued.Token! },
      }),
    );
    expect(out.IdentityId).toBe(issued.IdentityId);
    const caller = await stsClient(fedsim, {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretKey!,
      sessionToken: out.Credentials!.SessionToken!,
    }).send(new GetCallerIdentityCommand({}));
    expect(caller.Arn).toBe(assumed("PetStoreCustomer"));
  });

  it("gives the developer flow's token to fromCognitoIdentityPool, which resolves the same identity", async () => {
    const issued = await cognitoClient(fedsim, ADMIN).send(
      new GetOpenIdTokenForDeveloperIdentityCommand({
        IdentityPoolId: PETSTORE_POOL,
        Logins: { [DEVELOPER_PROVIDER]: "dave" },
      }),
    );
    const credentials = await poolCredentials(fedsim, { logins: { [COGNITO_LOGIN]: issued.Token! } })();
    expect(credentials.identityId).toBe(issued.IdentityId);
    expect((await callerOf(credentials)).Arn).toBe(assumed("PetStoreCustomer"));
  });
});
