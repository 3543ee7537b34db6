import { readFileSync } from "node:fs";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { rawRequest } from "../helpers/signedRequest.js";
import { adminIdp, CLIENT, codeOf, codesOf, POOL, publicIdp } from "../helpers/userPool.js";

const MISMATCH = ["CodeMismatchException", "Invalid verification code provided, please try again."];
const EXPIRED = ["ExpiredCodeException", "Invalid code provided, please request a code again."];
const LIMIT = ["LimitExceededException", "Attempt limit exceeded, please try after some time."];

describe("user pool sign-up, confirmation and password reset through the real SDK", () => {
  let fedsim: TestFedsim;
  let idp: CognitoIdentityProviderClient;
  let admin: CognitoIdentityProviderClient;
  const signUp = (Username: string, Password = "carols-password", email = `${Username}@example.org`) =>
    idp.send(
      new SignUpCommand({
        ClientId: CLIENT,
        Username,
        Password,
        UserAttributes: [{ Name: "email", Value: email }],
      }),
    );
  const confirm = (Username: string, ConfirmationCode: string) =>
    idp.send(new ConfirmSignUpCommand({ ClientId: CLIENT, Username, ConfirmationCode }));
  const signIn = (USERNAME: string, PASSWORD: string) =>
    idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: CLIENT,
        AuthParameters: { USERNAME, PASSWORD },
      }),
    );
  const wrongCode = (code: string) => (code === "000000" ? "000001" : "000000");
  const codeError = async (fn: () => Promise<unknown>) => {
    const e = await awsError(fn);
    return [e.name, e.message];
  };

  beforeAll(async () => {
    fedsim = await startTestFedsim();
    idp = publicIdp(fedsim);
    admin = adminIdp(fedsim);
  });
  afterAll(() => fedsim.stop());

  it("signs carol up UNCONFIRMED, says where the code went, and confirms her with the code from the admin endpoint", async () => {
    const out = await signUp("carol", "carols-password", "carol@example.org");
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "c***@e***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [issued] = await codesOf(fedsim, "carol");
    expect(issued!.purpose).toBe("signup");
    expect(issued!.code).toMatch(/^\d{6}$/);
    // A confirmation code lives 24 hours.
    expect(Date.parse(issued!.expiresAt) - fedsim.clock.now().getTime()).toBe(24 * 3_600_000);

    expect(await codeError(() => signIn("carol", "carols-password"))).toEqual([
      "UserNotConfirmedException",
      "User is not confirmed.",
    ]);
    expect(await codeError(() => confirm("carol", wrongCode(issued!.code)))).toEqual(MISMATCH);
    await confirm("carol", issued!.code);

    const id = decodeJwt((await signIn("carol", "carols-password")).AuthenticationResult!.IdToken!);
    expect(id).toMatchObject({
      "cognito:username": "carol",
      email: "carol@example.org",
      email_verified: true,
    });
    expect(id.sub).toBe(out.UserSub);
    // The code is spent.
    expect(await codesOf(fedsim, "carol")).toEqual([]);
    expect(await codeError(() => confirm("carol", issued!.code))).toEqual([
      "NotAuthorizedException",
      "User cannot be confirmed. Current status is CONFIRMED",
    ]);
    expect(
      await codeError(() =>
        idp.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT, Username: "carol" })),
      ),
    ).toEqual(["InvalidParameterException", "User is already confirmed."]);
  });

  it("refuses a taken username with UsernameExistsException", async () => {
    expect(await codeError(() => signUp("alice", "another-password"))).toEqual([
      "UsernameExistsException",
      "User already exists",
    ]);
  });

  it("holds the password to the pool's policy (InvalidPasswordException)", async () => {
    expect(await codeError(() => signUp("dan", "short"))).toEqual([
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    ]);
    expect(await codeError(() => signUp("dan", "ALLUPPERCASE"))).toEqual([
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have lowercase characters",
    ]);
    expect(
      await codeError(() => admin.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "dan" }))),
    ).toEqual(["UserNotFoundException", "User does not exist."]);
  });

  it("refuses attributes the pool does not have, and sub", async () => {
    const attempt = (Name: string) =>
      codeError(() =>
        idp.send(
          new SignUpCommand({
            ClientId: CLIENT,
            Username: "erin",
            Password: "erins-password",
            UserAttributes: [{ Name, Value: "x" }],
          }),
        ),
      );
    expect(await attempt("shoe_size")).toEqual([
      "InvalidParameterException",
      "Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema.",
    ]);
    expect(await attempt("sub")).toEqual([
      "InvalidParameterException",
      "Cannot modify an immutable attribute: sub",
    ]);
  });

  it("expires a confirmation code after 24 hours; ResendConfirmationCode sends one that works", async () => {
    await signUp("frank");
    const first = await codeOf(fedsim, "frank", "signup");
    fedsim.clock.advance(24 * 3_600_000);
    try {
      expect(await codeError(() => confirm("frank", first))).toEqual(EXPIRED);
      const resent = await idp.send(
        new ResendConfirmationCodeCommand({ ClientId: CLIENT, Username: "frank" }),
      );
      expect(resent.CodeDeliveryDetails).toEqual({
        Destination: "f***@e***",
        DeliveryMedium: "EMAIL",
        AttributeName: "email",
      });
      const second = await codeOf(fedsim, "frank", "signup");
      await confirm("frank", second);
    } finally {
      fedsim.clock.advance(-24 * 3_600_000);
    }
  });

  it("spends a code after 5 wrong tries (LimitExceededException), and a fresh one works", async () => {
    await signUp("gina");
    const code = await codeOf(fedsim, "gina", "signup");
    for (let i = 0; i < 4; i++)
      expect(await codeError(() => confirm("gina", wrongCode(code)))).toEqual(MISMATCH);
    expect(await codeError(() => confirm("gina", wrongCode(code)))).toEqual(LIMIT);
    expect(await codeError(() => confirm("gina", code))).toEqual(EXPIRED);
    await idp.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT, Username: "gina" }));
    await confirm("gina", await codeOf(fedsim, "gina", "signup"));
  });

  it("resets a forgotten password with a code that lives an hour", async () => {
    const out = await idp.send(new ForgotPasswordCommand({ ClientId: CLIENT, Username: "bob" }));
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: "b***@p***",
      DeliveryMedium: "EMAIL",
      AttributeName: "email",
    });
    const [issued] = (await codesOf(fedsim, "bob")).filter((c) => c.purpose === "forgot-password");
    expect(Date.parse(issued!.expiresAt) - fedsim.clock.now().getTime()).toBe(3_600_000);
    const reset = (ConfirmationCode: string, Password = "bobs-new-password") =>
      idp.send(
        new ConfirmForgotPasswordCommand({ ClientId: CLIENT, Username: "bob", ConfirmationCode, Password }),
      );
    expect(await codeError(() => reset(issued!.code, "short"))).toEqual([
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    ]);
    expect(await codeError(() => reset(wrongCode(issued!.code)))).toEqual(MISMATCH);
    await reset(issued!.code);
    expect(await codeError(() => signIn("bob", "bob-password"))).toEqual([
      "NotAuthorizedException",
      "Incorrect username or password.",
    ]);
    expect((await signIn("bob", "bobs-new-password")).AuthenticationResult?.IdToken).toBeDefined();
  });

  it("expires a password-reset code after an hour, and answers a reset never asked for as expired", async () => {
    const reset = (ConfirmationCode: string) =>
      idp.send(
        new ConfirmForgotPasswordCommand({
          ClientId: CLIENT,
          Username: "alice",
          ConfirmationCode,
          Password: "alices-new-password",
        }),
      );
    expect(await codeError(() => reset("123456"))).toEqual(EXPIRED);
    await idp.send(new ForgotPasswordCommand({ ClientId: CLIENT, Username: "alice" }));
    const code = await codeOf(fedsim, "alice", "forgot-password");
    fedsim.clock.advance(3_600_000);
    try {
      expect(await codeError(() => reset(code))).toEqual(EXPIRED);
    } finally {
      fedsim.clock.advance(-3_600_000);
    }
    expect((await signIn("alice", "alice-password")).AuthenticationResult?.IdToken).toBeDefined();
  });

  it("refuses a reset for a user with no verified email or phone, and an unknown user under LEGACY", async () => {
    await signUp("hank");
    expect(
      await codeError(() => idp.send(new ForgotPasswordCommand({ ClientId: CLIENT, Username: "hank" }))),
    ).toEqual([
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ]);
    expect(
      await codeError(() => idp.send(new ForgotPasswordCommand({ ClientId: CLIENT, Username: "nobody" }))),
    ).toEqual(["UserNotFoundException", "User does not exist."]);
    expect(await codeError(() => confirm("nobody", "123456"))).toEqual([
      "UserNotFoundException",
      "User does not exist.",
    ]);
  });

  it("sends at most 5 codes an hour to one user (LimitExceededException)", async () => {
    await signUp("ivy");
    for (let i = 0; i < 4; i++)
      await idp.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT, Username: "ivy" }));
    expect(
      await codeError(() =>
        idp.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT, Username: "ivy" })),
      ),
    ).toEqual(LIMIT);
  });

  it("AdminResetUserPassword: sign-in answers PasswordResetRequiredException until the reset code is used", async () => {
    await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: POOL, Username: "carol" }));
    expect(
      (await admin.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "carol" }))).UserStatus,
    ).toBe("RESET_REQUIRED");
    expect(await codeError(() => signIn("carol", "carols-password"))).toEqual([
      "PasswordResetRequiredException",
      "Password reset required for the user",
    ]);
    await idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: CLIENT,
        Username: "carol",
        ConfirmationCode: await codeOf(fedsim, "carol", "forgot-password"),
        Password: "carols-second-password",
      }),
    );
    expect((await signIn("carol", "carols-second-password")).AuthenticationResult?.IdToken).toBeDefined();
  });

  it("serves AdminCreateUser's temporary password on the admin endpoint until it is changed, and only behind the guard", async () => {
    await admin.send(
      new AdminCreateUserCommand({ UserPoolId: POOL, Username: "jo", TemporaryPassword: "temporary-pass" }),
    );
    expect(await codeOf(fedsim, "jo", "temporary-password")).toBe("temporary-pass");
    // A page that rebinds its own name to 127.0.0.1 sends that name as Host: not loopback to the guard.
    const outside = await rawRequest(fedsim.url, {
      method: "GET",
      path: `/_fedsim/cognito-idp/${POOL}/codes?username=jo`,
      headers: { host: "fedsim.example.com" },
    });
    expect(outside.status).toBe(403);
    expect((JSON.parse(outside.body) as { __type: string }).__type).toBe("AccessDenied");
    expect(outside.body).not.toContain("temporary-pass");
    const challenge = await signIn("jo", "temporary-pass");
    await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: CLIENT,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: "jo", NEW_PASSWORD: "jos-own-password" },
      }),
    );
    expect(await codesOf(fedsim, "jo")).toEqual([]);
  });

  it("keeps no sign-up or reset password in the database file", () => {
    fedsim.store.db.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(`${fedsim.dir}/fedsim.sqlite`);
    for (const password of ["carols-password", "carols-second-password", "bobs-new-password"])
      expect(bytes.includes(Buffer.from(password))).toBe(false);
  });
});
