import {
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PETSTORE_POOL } from "../helpers/cognito.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, REGION } from "../helpers/petstore.js";
import { CLIENT, codeOf, POOL, publicIdp, USER_POOL_LOGIN } from "../helpers/userPool.js";

/**
 * Issue 12's first "What must show", as one story: an app signs a new person up and confirms them, signs in
 * with USER_PASSWORD_AUTH; Alice and Bob sign in with USER_SRP_AUTH through amazon-cognito-identity-js (an
 * SRP client fedsim did not write), which also refreshes; the refreshed ID tokens go through the SDK's own
 * fromCognitoIdentityPool to credentials, and GetCallerIdentity names the role each one's groups chose.
 */
describe("the pet-store app's user pool story, end to end with real clients", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const callerArn = async (idToken: string) => {
    const credentials = fromCognitoIdentityPool({
      identityPoolId: PETSTORE_POOL,
      logins: { [USER_POOL_LOGIN]: idToken },
      clientConfig: { region: REGION, endpoint: fedsim.url, maxAttempts: 1 },
    });
    const sts = new STSClient({ region: REGION, endpoint: fedsim.url, credentials, maxAttempts: 1 });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  };
  const role = (name: string) => `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${name}/CognitoIdentityCredentials`;

  /** USER_SRP_AUTH, then a refresh, both by amazon-cognito-identity-js; the refreshed ID token. */
  const srpThenRefresh = async (username: string, password: string) => {
    const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint: fedsim.url });
    const user = new CognitoUser({ Username: username, Pool: pool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: resolve,
        onFailure: reject,
      }),
    );
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (error: Error | null, s: CognitoUserSession) =>
        error ? reject(error) : resolve(s),
      ),
    );
    const before = decodeJwt(session.getIdToken().getJwtToken());
    const after = decodeJwt(refreshed.getIdToken().getJwtToken());
    // A refresh is the same sign-in with new tokens.
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.jti).not.toBe(before.jti);
    return refreshed.getIdToken().getJwtToken();
  };

  it("signs up and confirms a new user, signs in, and gives Alice PetStoreAdmin and Bob PetStoreCustomer", async () => {
    const idp = publicIdp(fedsim);
    const signedUp = await idp.send(
      new SignUpCommand({
        ClientId: CLIENT,
        Username: "erin",
        Password: "erins-password",
        UserAttributes: [{ Name: "email", Value: "erin@example.org" }],
      }),
    );
    expect(signedUp.CodeDeliveryDetails?.Destination).toBe("e***@e***");
    await idp.send(
      new ConfirmSignUpCommand({
        ClientId: CLIENT,
        Username: "erin",
        ConfirmationCode: await codeOf(fedsim, "erin", "signup"),
      }),
    );
    const erin = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: CLIENT,
        AuthParameters: { USERNAME: "erin", PASSWORD: "erins-password" },
      }),
    );
    const erinId = erin.AuthenticationResult!.IdToken!;
    expect(decodeJwt(erinId)).toMatchObject({ "cognito:username": "erin", email_verified: true });
    // No groups: the identity pool's authenticated role.
    expect(await callerArn(erinId)).toBe(role("PetStoreCustomer"));

    expect(await callerArn(await srpThenRefresh("alice", "alice-password"))).toBe(role("PetStoreAdmin"));
    expect(await callerArn(await srpThenRefresh("bob", "bob-password"))).toBe(role("PetStoreCustomer"));
  });
});
