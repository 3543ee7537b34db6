import { readFileSync } from "node:fs";
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

const POOL = "us-east-1_PetStore1";
const CLIENT = "petstorewebclient000000001";
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/PetStoreAdmin";
const CUSTOMER_ROLE = "arn:aws:iam::123456789012:role/PetStoreCustomer";

describe("Cognito user pools sign-in through the real SDK", () => {
  let fedsim: TestFedsim;
  let idp: CognitoIdentityProviderClient;
  const passwordAuth = (USERNAME: string, PASSWORD: string) =>
    idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: CLIENT,
        AuthParameters: { USERNAME, PASSWORD },
      }),
    );
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    // Public calls are unsigned at AWS; the SDK signs anyway when it has credentials, which fedsim ignores.
    idp = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: ADMIN,
      maxAttempts: 1,
    });
  });
  afterAll(() => fedsim.stop());

  it("signs alice in with USER_PASSWORD_AUTH: groups, roles and her preferred role in the ID token", async () => {
    const out = await passwordAuth("alice", "alice-password");
    const id = decodeJwt(out.AuthenticationResult!.IdToken!);
    expect(id).toMatchObject({
      iss: `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`,
      aud: CLIENT,
      token_use: "id",
      "cognito:username": "alice",
      "cognito:groups": ["admins", "customers"],
      "cognito:roles": [ADMIN_ROLE, CUSTOMER_ROLE],
      "cognito:preferred_role": ADMIN_ROLE,
      email: "alice@petstore.example",
      email_verified: true,
    });
    const access = decodeJwt(out.AuthenticationResult!.AccessToken!);
    expect(access).toMatchObject({
      token_use: "access",
      client_id: CLIENT,
      scope: "aws.cognito.signin.user.admin",
      username: "alice",
    });
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(out.AuthenticationResult!.ExpiresIn).toBe(3600);
  });

  it("gives bob PetStoreCustomer as his preferred role", async () => {
    const id = decodeJwt((await passwordAuth("bob", "bob-password")).AuthenticationResult!.IdToken!);
    expect(id["cognito:preferred_role"]).toBe(CUSTOMER_ROLE);
  });

  it("refreshes with REFRESH_TOKEN_AUTH, keeping origin_jti and auth_time", async () => {
    const first = (await passwordAuth("alice", "alice-password")).AuthenticationResult!;
    const refreshed = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: CLIENT,
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
      }),
    );
    const a = decodeJwt(first.IdToken!);
    const b = decodeJwt(refreshed.AuthenticationResult!.IdToken!);
    expect(b.origin_jti).toBe(a.origin_jti);
    expect(b.auth_time).toBe(a.auth_time);
    expect(b.jti).not.toBe(a.jti);
    expect(refreshed.AuthenticationResult!.RefreshToken).toBeUndefined();
  });

  it("signs alice in with USER_SRP_AUTH through amazon-cognito-identity-js, an SRP client fedsim did not write", async () => {
    const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint: fedsim.url });
    const user = new CognitoUser({ Username: "alice", Pool: pool });
    const session = await new Promise<{ getIdToken(): { getJwtToken(): string } }>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: "alice", Password: "alice-password" }), {
        onSuccess: resolve,
        onFailure: reject,
      }),
    );
    expect(decodeJwt(session.getIdToken().getJwtToken())["cognito:preferred_role"]).toBe(ADMIN_ROLE);
  });

  it("refuses a wrong password in USER_SRP_AUTH as Cognito does", async () => {
    const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint: fedsim.url });
    const user = new CognitoUser({ Username: "bob", Pool: pool });
    const error = await new Promise<{ code: string; message: string }>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: "bob", Password: "not-bobs" }), {
        onSuccess: () => reject(new Error("signed in with a wrong password")),
        onFailure: resolve,
      }),
    );
    expect(error).toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("issues tokens AWS's own verifier accepts, with the JWKS fetched from fedsim, and refuses them tampered", async () => {
    const out = (await passwordAuth("alice", "alice-password")).AuthenticationResult!;
    // CognitoJwtVerifier derives the JWKS URI from the pool id (AWS's host); its fetcher is pointed at fedsim.
    const fetcher = {
      async fetch(uri: string) {
        const local = uri.replace(`https://cognito-idp.${REGION}.amazonaws.com`, fedsim.url);
        const res = await fetch(local);
        return (await res.arrayBuffer()) as ArrayBuffer;
      },
    };
    const cache = new SimpleJwksCache({ fetcher });
    const idVerifier = CognitoJwtVerifier.create(
      { userPoolId: POOL, tokenUse: "id", clientId: CLIENT },
      { jwksCache: cache },
    );
    const accessVerifier = CognitoJwtVerifier.create(
      { userPoolId: POOL, tokenUse: "access", clientId: CLIENT },
      { jwksCache: cache },
    );
    expect((await idVerifier.verify(out.IdToken!))["cognito:username"]).toBe("alice");
    expect((await accessVerifier.verify(out.AccessToken!)).username).toBe("alice");
    const [h, p, s] = out.IdToken!.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString("utf8"));
    claims["cognito:groups"] = ["admins", "root"];
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    await expect(idVerifier.verify(tampered)).rejects.toThrow(/signature/i);
    // An access token is not an ID token.
    await expect(idVerifier.verify(out.AccessToken!)).rejects.toThrow(
      "Token use not allowed: access. Expected: id",
    );
  });

  it("serves the pool's discovery document naming the tokens' issuer", async () => {
    const doc = (await (
      await fetch(`${fedsim.url}/${POOL}/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    expect(doc.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${POOL}`);
    expect(doc.jwks_uri).toBe(`${fedsim.url}/${POOL}/.well-known/jwks.json`);
  });

  it("answers a wrong password NotAuthorizedException 'Incorrect username or password.'", async () => {
    const e = await awsError(() => passwordAuth("bob", "wrong-password"));
    expect([e.name, e.message]).toEqual(["NotAuthorizedException", "Incorrect username or password."]);
  });

  it("answers an unknown user UserNotFoundException under LEGACY", async () => {
    const e = await awsError(() => passwordAuth("mallory", "whatever1"));
    expect([e.name, e.message]).toEqual(["UserNotFoundException", "User does not exist."]);
  });

  it("locks a user out after 5 wrong passwords, doubling, and forgets after 15 quiet minutes", async () => {
    for (let i = 0; i < 5; i++) {
      const e = await awsError(() => passwordAuth("carol-locked", "x"));
      expect(e.name).toBe("UserNotFoundException");
    }
    await idp.send(
      new AdminCreateUserCommand({ UserPoolId: POOL, Username: "dave", TemporaryPassword: "temporary-pass" }),
    );
    for (let i = 0; i < 5; i++) {
      const e = await awsError(() => passwordAuth("dave", "wrong-pass"));
      expect([e.name, e.message]).toEqual(["NotAuthorizedException", "Incorrect username or password."]);
    }
    const locked = await awsError(() => passwordAuth("dave", "temporary-pass"));
    expect([locked.name, locked.message]).toEqual(["NotAuthorizedException", "Password attempts exceeded"]);
    fedsim.clock.advance(1_000);
    // The next wrong password locks for 2 s.
    await awsError(() => passwordAuth("dave", "wrong-pass"));
    fedsim.clock.advance(1_000);
    expect((await awsError(() => passwordAuth("dave", "temporary-pass"))).message).toBe(
      "Password attempts exceeded",
    );
    fedsim.clock.advance(15 * 60_000);
    const challenge = await passwordAuth("dave", "temporary-pass");
    expect(challenge.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const done = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: CLIENT,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "dave", NEW_PASSWORD: "daves-new-password" },
      }),
    );
    expect(decodeJwt(done.AuthenticationResult!.IdToken!)["cognito:username"]).toBe("dave");
    // Back to about the real time: the SDK signs the next tests' admin calls with the wall clock, and a
    // server 15 minutes ahead would refuse them as expired whenever this test ran in under 2 s.
    fedsim.clock.advance(-15 * 60_000);
  });

  it("refuses a disabled user and its refresh tokens", async () => {
    const first = (await passwordAuth("bob", "bob-password")).AuthenticationResult!;
    await idp.send(new AdminDisableUserCommand({ UserPoolId: POOL, Username: "bob" }));
    const e = await awsError(() => passwordAuth("bob", "bob-password"));
    expect([e.name, e.message]).toEqual(["NotAuthorizedException", "User is disabled."]);
    const r = await awsError(() =>
      idp.send(
        new InitiateAuthCommand({
          AuthFlow: "REFRESH_TOKEN_AUTH",
          ClientId: CLIENT,
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
        }),
      ),
    );
    expect([r.name, r.message]).toEqual(["NotAuthorizedException", "Refresh Token has been revoked"]);
  });

  it("keeps no password in the database file", () => {
    fedsim.store.db.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(`${fedsim.dir}/fedsim.sqlite`);
    expect(bytes.includes(Buffer.from("alice-password"))).toBe(false);
    expect(bytes.includes(Buffer.from("daves-new-password"))).toBe(false);
    expect(bytes.includes(Buffer.from("scrypt$32768$8$1$"))).toBe(true);
  });
});
