import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { adminIdp, CLIENT, codeOf, POOL, publicIdp } from "../helpers/userPool.js";

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
});
