import { createHmac } from "node:crypto";
import { GetIdCommand } from "@aws-sdk/client-cognito-identity";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognitoClient, PETSTORE_POOL } from "../helpers/cognito.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { adminIdp, CLIENT, codeOf, POOL, publicIdp, USER_POOL_LOGIN } from "../helpers/userPool.js";

const ADMIN_ROLE = "arn:aws:iam::123456789012:role/PetStoreAdmin";
const TARGET = "AWSCognitoIdentityProviderService";

/**
 * Holes the independent review of issue 12 found, each shown as an attacker meets it: a customer's password
 * in hand (or an account of their own), or an administrator's call a config trusts to be well-formed.
 */
describe("user pools hold against what the review of issue 12 tried", () => {
  let fedsim: TestFedsim;
  let idp: CognitoIdentityProviderClient;
  let admin: CognitoIdentityProviderClient;
  const refused = async (fn: () => Promise<unknown>) => {
    const e = await awsError(fn);
    return [e.name, e.message];
  };
  /** A CONFIRMED user of the pet-store pool with a permanent password, made for one test. */
  const confirmedUser = async (Username: string, Password: string) => {
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL,
        Username,
        UserAttributes: [
          { Name: "email", Value: `${Username}@petstore.example` },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await admin.send(
      new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username, Password, Permanent: true }),
    );
  };
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
    idp = publicIdp(fedsim);
    admin = adminIdp(fedsim);
  });
  afterAll(() => fedsim.stop());

  it("counts every wrong password of a burst sent at once toward the lockout", async () => {
    await confirmedUser("burst", "Burst-password-1");
    // Twelve guesses in flight together: each read the user before any scrypt finished.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => refused(() => passwordAuth("burst", `Wrong-guess-${i}`))),
    );
    for (const a of answers) expect(a[0]).toBe("NotAuthorizedException");
    // Twelve failures lock the user for minutes: the right password is refused now.
    expect(await refused(() => passwordAuth("burst", "Burst-password-1"))).toEqual([
      "NotAuthorizedException",
      "Password attempts exceeded",
    ]);
  });

  it("refuses a PASSWORD_VERIFIER answer replayed, so an overheard SRP sign-in cannot be run again", async () => {
    await confirmedUser("replayed", "Replayed-password-1");
    // amazon-cognito-identity-js calls the global fetch: record the answer it sends to the challenge.
    const original = globalThis.fetch;
    let captured: string | undefined;
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (headers.get("x-amz-target") === `${TARGET}.RespondToAuthChallenge`) captured = String(init?.body);
      return original(input, init);
    }) as typeof fetch;
    try {
      const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint: fedsim.url });
      await new Promise((resolve, reject) =>
        new CognitoUser({ Username: "replayed", Pool: pool }).authenticateUser(
          new AuthenticationDetails({ Username: "replayed", Password: "Replayed-password-1" }),
          { onSuccess: resolve, onFailure: reject },
        ),
      );
    } finally {
      globalThis.fetch = original;
    }
    expect(captured).toContain("PASSWORD_CLAIM_SIGNATURE");
    const replay = await fetch(fedsim.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `${TARGET}.RespondToAuthChallenge`,
      },
      body: captured,
    });
    const body = (await replay.json()) as {
      __type?: string;
      message?: string;
      AuthenticationResult?: unknown;
    };
    expect(replay.status).toBe(400);
    expect([body.__type, body.message]).toEqual([
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    ]);
  });

  it("verifies an attribute only with the code sent to that attribute", async () => {
    await confirmedUser("mallory", "Mallory-password-1");
    const signedIn = (await passwordAuth("mallory", "Mallory-password-1")).AuthenticationResult!;
    const AccessToken = signedIn.AccessToken!;
    // Mallory names a victim's address (its code goes to the victim) and her own phone (its code to her).
    await idp.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [
          { Name: "email", Value: "victim@petstore.example" },
          { Name: "phone_number", Value: "+12065550123" },
        ],
      }),
    );
    await idp.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "phone_number" }),
    );
    // The pending attribute code: the one for her phone (before the fix there was one, and it was that).
    const codes = (await fetchCodes("mallory")).filter((c) => c.purpose === "attribute");
    const phoneCode = (codes.find((c) => c.attribute === "phone_number") ?? codes.at(-1))?.code;
    expect(phoneCode).toMatch(/^\d{6}$/);
    // The code her phone received must not vouch for the victim's email.
    expect(
      await refused(() =>
        idp.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: phoneCode! })),
      ),
    ).toEqual(["CodeMismatchException", "Invalid verification code provided, please try again."]);
    const me = await idp.send(new GetUserCommand({ AccessToken }));
    expect(me.UserAttributes).toContainEqual({ Name: "email_verified", Value: "false" });
    // And it does verify her phone.
    await idp.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: "phone_number", Code: phoneCode! }),
    );
    const after = await idp.send(new GetUserCommand({ AccessToken }));
    expect(after.UserAttributes).toContainEqual({ Name: "phone_number_verified", Value: "true" });
  });

  /** The codes endpoint's answer, with the attribute an attribute code went to. */
  async function fetchCodes(username: string) {
    const res = await fetch(`${fedsim.url}/_fedsim/cognito-idp/${POOL}/codes?username=${username}`);
    return ((await res.json()) as { codes: { purpose: string; code: string; attribute?: string }[] }).codes;
  }

  it("refuses admin-set attributes the pool does not have, so no claim can be planted in an ID token", async () => {
    const schemaRefusal = (name: string) => [
      "InvalidParameterException",
      `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`,
    ];
    for (const Name of ["cognito:preferred_role", "cognito:roles", "token_use", "__proto__", "nbf"]) {
      expect(
        await refused(() =>
          admin.send(
            new AdminCreateUserCommand({
              UserPoolId: POOL,
              Username: `planted-${Name.replace(/\W/g, "")}`,
              UserAttributes: [{ Name, Value: ADMIN_ROLE }],
            }),
          ),
        ),
      ).toEqual(schemaRefusal(Name));
    }
    expect(
      await refused(() =>
        admin.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: POOL,
            Username: "bob",
            UserAttributes: [{ Name: "cognito:preferred_role", Value: ADMIN_ROLE }],
          }),
        ),
      ),
    ).toEqual(schemaRefusal("cognito:preferred_role"));
    // Bob's ID token still names only his own group's role.
    const bob = (await passwordAuth("bob", "bob-password")).AuthenticationResult!;
    const claims = JSON.parse(Buffer.from(bob.IdToken!.split(".")[1]!, "base64url").toString("utf8"));
    expect(claims["cognito:preferred_role"]).toBe("arn:aws:iam::123456789012:role/PetStoreCustomer");
  });

  it("bounds AdminCreateUser's username and CreateGroup's name, description and precedence as the model does", async () => {
    expect(
      await refused(() =>
        admin.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: "u".repeat(129) })),
      ),
    ).toEqual([
      "InvalidParameterException",
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    ]);
    expect(
      await refused(() =>
        admin.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: "two words" })),
      ),
    ).toEqual([
      "InvalidParameterException",
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    ]);
    const longName = "g".repeat(129);
    expect(
      await refused(() => admin.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: longName }))),
    ).toEqual([
      "InvalidParameterException",
      `1 validation error detected: Value '${longName}' at 'groupName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    ]);
    expect(
      await refused(() =>
        admin.send(
          new CreateGroupCommand({ UserPoolId: POOL, GroupName: "d", Description: "x".repeat(2049) }),
        ),
      ),
    ).toEqual([
      "InvalidParameterException",
      `1 validation error detected: Value '${"x".repeat(2049)}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048`,
    ]);
    expect(
      await refused(() =>
        admin.send(new CreateGroupCommand({ UserPoolId: POOL, GroupName: "first", Precedence: -1 })),
      ),
    ).toEqual([
      "InvalidParameterException",
      "1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ]);
  });

  it("keeps the codes endpoint's attribute codes readable with the helper tests use", async () => {
    // One pending attribute code still reads as purpose "attribute" (test/helpers/userPool.ts codeOf).
    const AccessToken = (await passwordAuth("bob", "bob-password")).AuthenticationResult!.AccessToken!;
    await idp.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    expect(await codeOf(fedsim, "bob", "attribute")).toMatch(/^\d{6}$/);
  });

  describe("tokens out of place", () => {
    const INVALID_LOGIN = ["NotAuthorizedException", "Invalid login token. Couldn't verify signed token."];
    const getId = (token: string) =>
      cognitoClient(fedsim).send(
        new GetIdCommand({ IdentityPoolId: PETSTORE_POOL, Logins: { [USER_POOL_LOGIN]: token } }),
      );
    const getUser = (AccessToken: string) => idp.send(new GetUserCommand({ AccessToken }));

    it("refuses an access token re-signed with alg none or HS256 (keyed with the pool's public key)", async () => {
      const access = (await passwordAuth("bob", "bob-password")).AuthenticationResult!.AccessToken!;
      const [, payload] = access.split(".");
      const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
      expect(await refused(() => getUser(none))).toEqual(["NotAuthorizedException", "Invalid Access Token"]);
      const jwks = (await (await fetch(`${fedsim.url}/${POOL}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string; n: string }[];
      };
      const header = Buffer.from(JSON.stringify({ alg: "HS256", kid: jwks.keys[0]!.kid })).toString(
        "base64url",
      );
      const mac = createHmac("sha256", Buffer.from(jwks.keys[0]!.n, "base64url"))
        .update(`${header}.${payload}`)
        .digest("base64url");
      expect(await refused(() => getUser(`${header}.${payload}.${mac}`))).toEqual([
        "NotAuthorizedException",
        "Invalid Access Token",
      ]);
    });

    it("refuses at the identity pool an ID token of another pool, and of a client the identity pool does not list", async () => {
      const other = await admin.send(new CreateUserPoolCommand({ PoolName: "elsewhere" }));
      const otherPool = other.UserPool!.Id!;
      const otherClient = (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: otherPool,
            ClientName: "app",
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
          }),
        )
      ).UserPoolClient!.ClientId!;
      await admin.send(new AdminCreateUserCommand({ UserPoolId: otherPool, Username: "bob" }));
      await admin.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: otherPool,
          Username: "bob",
          Password: "Other-pool-bob-1",
          Permanent: true,
        }),
      );
      const signIn = (ClientId: string, USERNAME: string, PASSWORD: string) =>
        idp.send(
          new InitiateAuthCommand({
            AuthFlow: "USER_PASSWORD_AUTH",
            ClientId,
            AuthParameters: { USERNAME, PASSWORD },
          }),
        );
      const elsewhere = (await signIn(otherClient, "bob", "Other-pool-bob-1")).AuthenticationResult!;
      expect(await refused(() => getId(elsewhere.IdToken!))).toEqual(INVALID_LOGIN);
      // The other pool's refresh token is no refresh token of the pet-store client.
      expect(
        await refused(() =>
          idp.send(
            new InitiateAuthCommand({
              AuthFlow: "REFRESH_TOKEN_AUTH",
              ClientId: CLIENT,
              AuthParameters: { REFRESH_TOKEN: elsewhere.RefreshToken! },
            }),
          ),
        ),
      ).toEqual(["NotAuthorizedException", "Invalid Refresh Token"]);
      const sideClient = (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: POOL,
            ClientName: "side",
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
          }),
        )
      ).UserPoolClient!.ClientId!;
      const side = (await signIn(sideClient, "bob", "bob-password")).AuthenticationResult!;
      expect(await refused(() => getId(side.IdToken!))).toEqual(INVALID_LOGIN);
    });

    it("refuses a deleted user's ID, access and refresh tokens, even once the name is taken again", async () => {
      await confirmedUser("leaver", "Leaver-password-1");
      const old = (await passwordAuth("leaver", "Leaver-password-1")).AuthenticationResult!;
      await admin.send(new AdminDeleteUserCommand({ UserPoolId: POOL, Username: "leaver" }));
      await confirmedUser("leaver", "Leaver-password-2");
      expect(await refused(() => getId(old.IdToken!))).toEqual(INVALID_LOGIN);
      expect(await refused(() => getUser(old.AccessToken!))).toEqual([
        "NotAuthorizedException",
        "Access Token has been revoked",
      ]);
      expect(
        await refused(() =>
          idp.send(
            new InitiateAuthCommand({
              AuthFlow: "REFRESH_TOKEN_AUTH",
              ClientId: CLIENT,
              AuthParameters: { REFRESH_TOKEN: old.RefreshToken! },
            }),
          ),
        ),
      ).toEqual(["NotAuthorizedException", "Invalid Refresh Token"]);
    });
  });

  describe("PreventUserExistenceErrors ENABLED: the limits", () => {
    let hiding: string;
    beforeAll(async () => {
      hiding = (
        await admin.send(
          new CreateUserPoolClientCommand({
            UserPoolId: POOL,
            ClientName: "hiding-limits",
            ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
            PreventUserExistenceErrors: "ENABLED",
          }),
        )
      ).UserPoolClient!.ClientId!;
    });
    const LIMIT = ["LimitExceededException", "Attempt limit exceeded, please try after some time."];
    /** What six ForgotPassword calls in a row answer for this name. */
    const sixResets = async (Username: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 6; i++) {
        try {
          await idp.send(new ForgotPasswordCommand({ ClientId: hiding, Username }));
          answers.push("sent");
        } catch (e) {
          answers.push((e as Error).name);
        }
      }
      return answers;
    };
    /** What five wrong reset codes in a row answer for this name. */
    const fiveWrongCodes = async (Username: string) => {
      const answers: string[] = [];
      for (let i = 0; i < 5; i++) {
        try {
          await idp.send(
            new ConfirmForgotPasswordCommand({
              ClientId: hiding,
              Username,
              ConfirmationCode: "000000",
              Password: "Some-new-password-1",
            }),
          );
          answers.push("reset");
        } catch (e) {
          answers.push((e as Error).name);
        }
      }
      return answers;
    };

    it("meets an unknown user with the same send limit as a real one, so the limit tells nobody who exists", async () => {
      await confirmedUser("limited", "Limited-password-1");
      const real = await sixResets("limited");
      expect(real.at(-1)).toBe(LIMIT[0]);
      expect(await sixResets("nobody-at-all")).toEqual(real);
    });

    it("spends an unknown user's made-up code after 5 wrong tries, as a real user's", async () => {
      await confirmedUser("guessed", "Guessed-password-1");
      await idp.send(new ForgotPasswordCommand({ ClientId: hiding, Username: "guessed" }));
      await idp.send(new ForgotPasswordCommand({ ClientId: hiding, Username: "nobody-guessed" }));
      const real = await fiveWrongCodes("guessed");
      expect(real).toEqual([...Array(4).fill("CodeMismatchException"), LIMIT[0]]);
      expect(await fiveWrongCodes("nobody-guessed")).toEqual(real);
    });
  });
});
