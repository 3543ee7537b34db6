import { join } from "node:path";
import { GetIdCommand } from "@aws-sdk/client-cognito-identity";
import {
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PoolKeys } from "../../src/services/cognito-idp/poolKeys.js";
import { cognitoClient, PETSTORE_POOL } from "../helpers/cognito.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { secretHashOf } from "../helpers/secretHash.js";
import { adminIdp, CLIENT, codeOf, POOL, publicIdp, USER_POOL_LOGIN } from "../helpers/userPool.js";

describe("user pool calls made with an access token, through the real SDK", () => {
  let fedsim: TestFedsim;
  let idp: CognitoIdentityProviderClient;
  let admin: CognitoIdentityProviderClient;
  const signIn = async (USERNAME: string, PASSWORD: string, ClientId = CLIENT, secret?: string) =>
    (
      await idp.send(
        new InitiateAuthCommand({
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId,
          AuthParameters: {
            USERNAME,
            PASSWORD,
            ...(secret ? { SECRET_HASH: secretHashOf(secret, USERNAME, ClientId) } : {}),
          },
        }),
      )
    ).AuthenticationResult!;
  const refused = async (fn: () => Promise<unknown>) => {
    const e = await awsError(fn);
    return [e.name, e.message];
  };
  const getUser = (AccessToken: string) => idp.send(new GetUserCommand({ AccessToken }));
  const refresh = (REFRESH_TOKEN: string, ClientId = CLIENT, extra: Record<string, string> = {}) =>
    idp.send(
      new InitiateAuthCommand({
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId,
        AuthParameters: { REFRESH_TOKEN, ...extra },
      }),
    );

  beforeAll(async () => {
    fedsim = await startTestFedsim();
    idp = publicIdp(fedsim);
    admin = adminIdp(fedsim);
  });
  afterAll(() => fedsim.stop());

  it("GetUser answers the signed-in user's name and attributes", async () => {
    const tokens = await signIn("alice", "alice-password");
    const out = await getUser(tokens.AccessToken!);
    expect(out.Username).toBe("alice");
    expect(out.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: "sub", Value: decodeJwt(tokens.IdToken!).sub },
        { Name: "email", Value: "alice@petstore.example" },
        { Name: "email_verified", Value: "true" },
      ]),
    );
  });

  it("never takes an ID token for an access token, nor an access token for an ID token", async () => {
    const tokens = await signIn("alice", "alice-password");
    expect(await refused(() => getUser(tokens.IdToken!))).toEqual([
      "NotAuthorizedException",
      "Invalid Access Token",
    ]);
    const identity = cognitoClient(fedsim);
    const e = await awsError(() =>
      identity.send(
        new GetIdCommand({
          IdentityPoolId: PETSTORE_POOL,
          Logins: { [USER_POOL_LOGIN]: tokens.AccessToken! },
        }),
      ),
    );
    expect([e.name, e.message]).toEqual([
      "NotAuthorizedException",
      "Invalid login token. Couldn't verify signed token.",
    ]);
  });

  it("requires the aws.cognito.signin.user.admin scope, and refuses an expired access token", async () => {
    const tokens = await signIn("bob", "bob-password");
    const { signing } = await new PoolKeys(join(fedsim.dir, "certs")).of(POOL);
    const { scope: _dropped, ...claims } = decodeJwt(tokens.AccessToken!);
    const unscoped = await new SignJWT({ ...claims, scope: "openid" })
      .setProtectedHeader({ alg: "RS256", kid: signing.kid })
      .sign(signing.privateKey);
    expect(await refused(() => getUser(unscoped))).toEqual([
      "NotAuthorizedException",
      "Access Token does not have required scopes",
    ]);
    fedsim.clock.advance(3_601_000);
    try {
      expect(await refused(() => getUser(tokens.AccessToken!))).toEqual([
        "NotAuthorizedException",
        "Access Token has expired",
      ]);
    } finally {
      fedsim.clock.advance(-3_601_000);
    }
  });

  it("UpdateUserAttributes: a new email is unverified until the code sent to it comes back", async () => {
    const tokens = await signIn("bob", "bob-password");
    const out = await idp.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken!,
        UserAttributes: [
          { Name: "email", Value: "robert@shop.example" },
          { Name: "given_name", Value: "Robert" },
        ],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { Destination: "r***@s***", DeliveryMedium: "EMAIL", AttributeName: "email" },
    ]);
    const attrs = async () =>
      new Map((await getUser(tokens.AccessToken!)).UserAttributes!.map((a) => [a.Name!, a.Value!]));
    expect((await attrs()).get("email_verified")).toBe("false");
    expect((await attrs()).get("given_name")).toBe("Robert");
    await idp.send(
      new VerifyUserAttributeCommand({
        AccessToken: tokens.AccessToken!,
        AttributeName: "email",
        Code: await codeOf(fedsim, "bob", "attribute"),
      }),
    );
    expect((await attrs()).get("email_verified")).toBe("true");
    expect(
      await refused(() =>
        idp.send(
          new UpdateUserAttributesCommand({
            AccessToken: tokens.AccessToken!,
            UserAttributes: [{ Name: "sub", Value: "someone-else" }],
          }),
        ),
      ),
    ).toEqual(["InvalidParameterException", "Cannot modify an immutable attribute: sub"]);
  });

  it("ChangePassword: needs the current password and one the policy accepts", async () => {
    const { AccessToken } = await signIn("alice", "alice-password");
    const change = (PreviousPassword: string, ProposedPassword: string) =>
      idp.send(new ChangePasswordCommand({ AccessToken, PreviousPassword, ProposedPassword }));
    expect(await refused(() => change("not-alices", "alice-new-password"))).toEqual([
      "NotAuthorizedException",
      "Incorrect username or password.",
    ]);
    expect(await refused(() => change("alice-password", "short"))).toEqual([
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    ]);
    await change("alice-password", "alice-new-password");
    expect(await refused(() => signIn("alice", "alice-password"))).toEqual([
      "NotAuthorizedException",
      "Incorrect username or password.",
    ]);
    await signIn("alice", "alice-new-password");
    await idp.send(
      new ChangePasswordCommand({
        AccessToken,
        PreviousPassword: "alice-new-password",
        ProposedPassword: "alice-password",
      }),
    );
  });

  it("GlobalSignOut revokes every sign-in of the user: access tokens, refresh tokens and ID tokens at the identity pool", async () => {
    const first = await signIn("bob", "bob-password");
    const second = await signIn("bob", "bob-password");
    const other = await signIn("alice", "alice-password");
    await idp.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
    for (const t of [first, second]) {
      expect(await refused(() => getUser(t.AccessToken!))).toEqual([
        "NotAuthorizedException",
        "Access Token has been revoked",
      ]);
      expect(await refused(() => refresh(t.RefreshToken!))).toEqual([
        "NotAuthorizedException",
        "Refresh Token has been revoked",
      ]);
    }
    const e = await awsError(() =>
      cognitoClient(fedsim).send(
        new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: { [USER_POOL_LOGIN]: first.IdToken! } }),
      ),
    );
    expect([e.name, e.message]).toEqual([
      "NotAuthorizedException",
      "Invalid login token. Couldn't verify signed token.",
    ]);
    // Alice's sign-in and Bob's next one are untouched.
    expect((await getUser(other.AccessToken!)).Username).toBe("alice");
    expect((await getUser((await signIn("bob", "bob-password")).AccessToken!)).Username).toBe("bob");
  });

  it("AdminUserGlobalSignOut does the same for an administrator", async () => {
    const t = await signIn("bob", "bob-password");
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: POOL, Username: "bob" }));
    expect(await refused(() => getUser(t.AccessToken!))).toEqual([
      "NotAuthorizedException",
      "Access Token has been revoked",
    ]);
  });

  it("RevokeToken revokes one refresh token and the tokens issued from it, not the user's other sign-ins", async () => {
    const revoked = await signIn("alice", "alice-password");
    const kept = await signIn("alice", "alice-password");
    await idp.send(new RevokeTokenCommand({ Token: revoked.RefreshToken!, ClientId: CLIENT }));
    expect(await refused(() => refresh(revoked.RefreshToken!))).toEqual([
      "NotAuthorizedException",
      "Refresh Token has been revoked",
    ]);
    expect(await refused(() => getUser(revoked.AccessToken!))).toEqual([
      "NotAuthorizedException",
      "Access Token has been revoked",
    ]);
    expect((await getUser(kept.AccessToken!)).Username).toBe("alice");
    await refresh(kept.RefreshToken!);
  });

  it("RevokeToken refuses an access token, and a client with a secret needs it", async () => {
    const tokens = await signIn("alice", "alice-password");
    expect(
      await refused(() => idp.send(new RevokeTokenCommand({ Token: tokens.AccessToken!, ClientId: CLIENT }))),
    ).toEqual(["UnsupportedTokenTypeException", "Unsupported token type."]);
    const { UserPoolClient: client } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: POOL,
        ClientName: "petstore-server",
        GenerateSecret: true,
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    const withSecret = await signIn("alice", "alice-password", client!.ClientId!, client!.ClientSecret!);
    const revoke = (ClientSecret?: string, ClientId = client!.ClientId!) =>
      idp.send(new RevokeTokenCommand({ Token: withSecret.RefreshToken!, ClientId, ClientSecret }));
    expect(await refused(() => revoke())).toEqual(["UnauthorizedException", "Client authentication failed."]);
    expect(await refused(() => revoke("not-the-secret"))).toEqual([
      "UnauthorizedException",
      "Client authentication failed.",
    ]);
    // Another client cannot revoke it either.
    expect(await refused(() => revoke(undefined, CLIENT))).toEqual([
      "UnauthorizedException",
      "The token was not issued to this client.",
    ]);
    await revoke(client!.ClientSecret!);
    expect(
      await refused(() =>
        refresh(withSecret.RefreshToken!, client!.ClientId!, {
          SECRET_HASH: secretHashOf(client!.ClientSecret!, "alice", client!.ClientId!),
        }),
      ),
    ).toEqual(["NotAuthorizedException", "Refresh Token has been revoked"]);
  });
});
