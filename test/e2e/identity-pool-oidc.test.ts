import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { fromCognitoIdentityPool } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { REGION } from "../helpers/petstore.js";

const POOL = "us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18";

/** An ID token from the built-in OpenID issuer's password grant. */
async function idToken(fedsim: TestFedsim, username: string, password: string): Promise<string> {
  const res = await fetch(`${fedsim.url}/oidc/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", username, password }),
  });
  return ((await res.json()) as { id_token: string }).id_token;
}

describe("the PetStore identity pool with logins from the built-in OpenID issuer", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  const whoAmI = async (logins?: Record<string, string>) => {
    const credentials = fromCognitoIdentityPool({
      identityPoolId: POOL,
      logins,
      clientConfig: { region: REGION, endpoint: fedsim.url },
    });
    const sts = new STSClient({ region: REGION, endpoint: fedsim.url, credentials, maxAttempts: 1 });
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  };
  const issuerKey = () => `${new URL(fedsim.url).host}/oidc`;

  it("maps alice (group admins) to PetStoreAdmin and bob to PetStoreCustomer, a guest to PetStoreGuest", async () => {
    expect(await whoAmI({ [issuerKey()]: await idToken(fedsim, "alice", "alice-password") })).toMatch(
      /:assumed-role\/PetStoreAdmin\/CognitoIdentityCredentials$/,
    );
    expect(await whoAmI({ [issuerKey()]: await idToken(fedsim, "bob", "bob-password") })).toMatch(
      /:assumed-role\/PetStoreCustomer\/CognitoIdentityCredentials$/,
    );
    expect(await whoAmI()).toMatch(/:assumed-role\/PetStoreGuest\/CognitoIdentityCredentials$/);
  });

  it("refuses a tampered token as an invalid login", async () => {
    const token = await idToken(fedsim, "bob", "bob-password");
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, groups: ["admins"] })).toString("base64url")}.${s}`;
    await expect(whoAmI({ [issuerKey()]: forged })).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });
});
