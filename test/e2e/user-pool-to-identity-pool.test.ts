import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { REGION } from "../helpers/petstore.js";

const IDENTITY_POOL = "us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18";
const USER_POOL = "cognito-idp.us-east-1.amazonaws.com/us-east-1_PetStore1";
const CLIENT = "petstorewebclient000000001";

describe("a user pool sign-in through the identity pool to AWS credentials, as an app does", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const signIn = async (username: string, password: string) => {
    const idp = new CognitoIdentityProviderClient({ region: REGION, endpoint: fedsim.url, maxAttempts: 1 });
    const out = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: CLIENT,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return out.AuthenticationResult!.IdToken!;
  };
  const roleOf = async (idToken: string) => {
    const credentials = fromCognitoIdentityPool({
      identityPoolId: IDENTITY_POOL,
      logins: { [USER_POOL]: idToken },
      clientConfig: { region: REGION, endpoint: fedsim.url },
    });
    const sts = new STSClient({ region: REGION, endpoint: fedsim.url, credentials, maxAttempts: 1 });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  };

  it("gives Alice PetStoreAdmin (her group with the lowest precedence) and Bob PetStoreCustomer", async () => {
    expect(await roleOf(await signIn("alice", "alice-password"))).toMatch(
      /:assumed-role\/PetStoreAdmin\/CognitoIdentityCredentials$/,
    );
    expect(await roleOf(await signIn("bob", "bob-password"))).toMatch(
      /:assumed-role\/PetStoreCustomer\/CognitoIdentityCredentials$/,
    );
  });

  it("refuses a tampered ID token as an invalid login", async () => {
    const [h, p, s] = (await signIn("bob", "bob-password")).split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, "cognito:preferred_role": "arn:aws:iam::123456789012:role/PetStoreAdmin" })).toString("base64url")}.${s}`;
    await expect(roleOf(forged)).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });
});
