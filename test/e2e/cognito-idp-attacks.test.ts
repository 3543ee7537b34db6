import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  type ExplicitAuthFlowsType,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { parseConfigText } from "../../src/config/load.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, AUDITOR, REGION } from "../helpers/petstore.js";
import { secretHashOf } from "../helpers/secretHash.js";
import { rawRequest } from "../helpers/signedRequest.js";
import { adminIdp, codeOf, POOL, publicIdp } from "../helpers/userPool.js";

const OTHER_ACCOUNT = "210987654321";
const OTHER_ADMIN = {
  accessKeyId: "AKIAOTHERACCOUNT0001",
  secretAccessKey: "otherAccountSecretKey0000000000000000000",
};
const INCORRECT = ["NotAuthorizedException", "Incorrect username or password."];
const MISMATCH = ["CodeMismatchException", "Invalid verification code provided, please try again."];
const MASKED_EMAIL = /^.\*\*\*@.\*\*\*$/;

/** data/petstore.yaml plus a second account with its own administrator. */
function twoAccounts() {
  const file = resolve("data/petstore.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  doc.accounts.push({
    id: OTHER_ACCOUNT,
    users: [
      {
        name: "admin",
        accessKeys: [{ id: OTHER_ADMIN.accessKeyId, secret: OTHER_ADMIN.secretAccessKey }],
        attachedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
      },
    ],
  });
  return { file, config: parseConfigText(stringify(doc), "two accounts") };
}

describe("user pool refusals an attacker meets, through the real SDK", () => {
  let fedsim: TestFedsim;
  let idp: CognitoIdentityProviderClient;
  let admin: CognitoIdentityProviderClient;
  let hidingClient: string;
  let secretClient: { id: string; secret: string };
  const refused = async (fn: () => Promise<unknown>) => {
    const e = await awsError(fn);
    return [e.name, e.message];
  };
  const passwordAuth = (
    ClientId: string,
    USERNAME: string,
    PASSWORD: string,
    extra: Record<string, string> = {},
  ) =>
    idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId,
        AuthParameters: { USERNAME, PASSWORD, ...extra },
      }),
    );

  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: twoAccounts() });
    idp = publicIdp(fedsim);
    admin = adminIdp(fedsim);
    const flows: ExplicitAuthFlowsType[] = [
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ];
    const hiding = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: POOL,
        ClientName: "hiding",
        ExplicitAuthFlows: flows,
        PreventUserExistenceErrors: "ENABLED",
      }),
    );
    hidingClient = hiding.UserPoolClient!.ClientId!;
    const withSecret = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: POOL,
        ClientName: "server",
        ExplicitAuthFlows: flows,
        GenerateSecret: true,
      }),
    );
    secretClient = {
      id: withSecret.UserPoolClient!.ClientId!,
      secret: withSecret.UserPoolClient!.ClientSecret!,
    };
  });
  afterAll(() => fedsim.stop());

  describe("PreventUserExistenceErrors ENABLED", () => {
    it("answers an unknown user exactly as a wrong password, in USER_PASSWORD_AUTH", async () => {
      expect(await refused(() => passwordAuth(hidingClient, "mallory", "guess-one"))).toEqual(INCORRECT);
      expect(await refused(() => passwordAuth(hidingClient, "bob", "guess-one"))).toEqual(INCORRECT);
    });

    it("answers an unknown user exactly as a wrong password in USER_SRP_AUTH, through amazon-cognito-identity-js", async () => {
      const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: hidingClient, endpoint: fedsim.url });
      const attempt = (Username: string) =>
        new Promise<{ code: string; message: string }>((done, fail) =>
          new CognitoUser({ Username, Pool: pool }).authenticateUser(
            new AuthenticationDetails({ Username, Password: "guess-two" }),
            { onSuccess: () => fail(new Error("signed in")), onFailure: done },
          ),
        );
      const unknown = await attempt("mallory");
      const wrong = await attempt("alice");
      expect([unknown.code, unknown.message]).toEqual(INCORRECT);
      expect([wrong.code, wrong.message]).toEqual(INCORRECT);
    });

    it("gives an unknown user's ForgotPassword and ResendConfirmationCode a delivery shaped like a real one, the same every time", async () => {
      const forgot = (Username: string) =>
        idp.send(new ForgotPasswordCommand({ ClientId: hidingClient, Username }));
      const real = (await forgot("bob")).CodeDeliveryDetails!;
      const made = (await forgot("mallory")).CodeDeliveryDetails!;
      expect(real.Destination).toMatch(MASKED_EMAIL);
      expect(made.Destination).toMatch(MASKED_EMAIL);
      expect(made).toMatchObject({ DeliveryMedium: "EMAIL", AttributeName: "email" });
      expect((await forgot("mallory")).CodeDeliveryDetails).toEqual(made);
      const resent = await idp.send(
        new ResendConfirmationCodeCommand({ ClientId: hidingClient, Username: "mallory" }),
      );
      expect(resent.CodeDeliveryDetails!.Destination).toMatch(MASKED_EMAIL);
    });

    it("answers ConfirmForgotPassword and ConfirmSignUp for an unknown user as for a real one with a wrong code", async () => {
      const other = (code: string) => (code === "000000" ? "000001" : "000000");
      const reset = (Username: string, ConfirmationCode: string) =>
        idp.send(
          new ConfirmForgotPasswordCommand({
            ClientId: hidingClient,
            Username,
            ConfirmationCode,
            Password: "a-new-password",
          }),
        );
      await idp.send(new ForgotPasswordCommand({ ClientId: hidingClient, Username: "alice" }));
      const wrongReset = other(await codeOf(fedsim, "alice", "forgot-password"));
      expect(await refused(() => reset("alice", wrongReset))).toEqual(MISMATCH);
      expect(await refused(() => reset("mallory", wrongReset))).toEqual(MISMATCH);

      await idp.send(
        new SignUpCommand({
          ClientId: hidingClient,
          Username: "kim",
          Password: "kims-password",
          UserAttributes: [{ Name: "email", Value: "kim@example.org" }],
        }),
      );
      const confirm = (Username: string, ConfirmationCode: string) =>
        idp.send(new ConfirmSignUpCommand({ ClientId: hidingClient, Username, ConfirmationCode }));
      const wrongConfirm = other(await codeOf(fedsim, "kim", "signup"));
      expect(await refused(() => confirm("kim", wrongConfirm))).toEqual(MISMATCH);
      expect(await refused(() => confirm("mallory", wrongConfirm))).toEqual(MISMATCH);
    });
  });

  describe("SECRET_HASH for a client with a secret", () => {
    it("refuses a sign-in without it, and with a wrong one", async () => {
      expect(await refused(() => passwordAuth(secretClient.id, "bob", "bob-password"))).toEqual([
        "NotAuthorizedException",
        `Client ${secretClient.id} is configured for secret but secret was not received`,
      ]);
      const wrong = secretHashOf("not-the-secret", "bob", secretClient.id);
      expect(
        await refused(() => passwordAuth(secretClient.id, "bob", "bob-password", { SECRET_HASH: wrong })),
      ).toEqual(["NotAuthorizedException", `Unable to verify secret hash for client ${secretClient.id}`]);
      // A hash for another user is a wrong hash too.
      const alices = secretHashOf(secretClient.secret, "alice", secretClient.id);
      expect(
        await refused(() => passwordAuth(secretClient.id, "bob", "bob-password", { SECRET_HASH: alices })),
      ).toEqual(["NotAuthorizedException", `Unable to verify secret hash for client ${secretClient.id}`]);
      const right = secretHashOf(secretClient.secret, "bob", secretClient.id);
      const out = await passwordAuth(secretClient.id, "bob", "bob-password", { SECRET_HASH: right });
      expect(out.AuthenticationResult?.AccessToken).toBeDefined();
    });

    it("holds SignUp and ForgotPassword to it too (SecretHash)", async () => {
      expect(
        await refused(() =>
          idp.send(
            new SignUpCommand({ ClientId: secretClient.id, Username: "lee", Password: "lees-password" }),
          ),
        ),
      ).toEqual([
        "NotAuthorizedException",
        `Client ${secretClient.id} is configured for secret but secret was not received`,
      ]);
      expect(
        await refused(() =>
          idp.send(
            new ForgotPasswordCommand({
              ClientId: secretClient.id,
              Username: "bob",
              SecretHash: secretHashOf("not-the-secret", "bob", secretClient.id),
            }),
          ),
        ),
      ).toEqual(["NotAuthorizedException", `Unable to verify secret hash for client ${secretClient.id}`]);
      const out = await idp.send(
        new SignUpCommand({
          ClientId: secretClient.id,
          Username: "lee",
          Password: "lees-password",
          SecretHash: secretHashOf(secretClient.secret, "lee", secretClient.id),
        }),
      );
      expect(out.UserConfirmed).toBe(false);
    });
  });

  describe("management calls", () => {
    it("refuses an unsigned management call", async () => {
      const res = await rawRequest(fedsim.url, {
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.ListUsers",
        },
        body: JSON.stringify({ UserPoolId: POOL }),
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual({
        __type: "MissingAuthenticationTokenException",
        message: "Request is missing Authentication Token",
      });
      expect(res.body).not.toContain("alice");
    });

    it("refuses a principal without cognito-idp permissions AccessDeniedException, naming the pool's ARN", async () => {
      const e = await awsError(() =>
        adminIdp(fedsim, AUDITOR).send(new ListUsersCommand({ UserPoolId: POOL })),
      );
      expect([e.name, e.message]).toEqual([
        "AccessDeniedException",
        `User: arn:aws:iam::${ACCOUNT_ID}:user/auditor is not authorized to perform: cognito-idp:ListUsers on resource: arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${POOL} because no identity-based policy allows the cognito-idp:ListUsers action`,
      ]);
      const c = await awsError(() =>
        adminIdp(fedsim, AUDITOR).send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: "sneaky" })),
      );
      expect(c.name).toBe("AccessDeniedException");
    });

    it("keeps one account's user pools invisible to another", async () => {
      const other = adminIdp(fedsim, OTHER_ADMIN);
      const { UserPool } = await other.send(new CreateUserPoolCommand({ PoolName: "OtherUsers" }));
      expect(UserPool!.Arn).toBe(`arn:aws:cognito-idp:${REGION}:${OTHER_ACCOUNT}:userpool/${UserPool!.Id}`);
      const mine = (await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map(
        (p) => p.Id,
      );
      expect(mine).toContain(POOL);
      expect(mine).not.toContain(UserPool!.Id);
      const theirs = (await other.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.map(
        (p) => p.Id,
      );
      expect(theirs).toEqual([UserPool!.Id]);
      for (const [client, pool] of [
        [admin, UserPool!.Id!],
        [other, POOL],
      ] as const) {
        expect(await refused(() => client.send(new DescribeUserPoolCommand({ UserPoolId: pool })))).toEqual([
          "ResourceNotFoundException",
          `User pool ${pool} does not exist.`,
        ]);
        expect(await refused(() => client.send(new ListUsersCommand({ UserPoolId: pool })))).toEqual([
          "ResourceNotFoundException",
          `User pool ${pool} does not exist.`,
        ]);
      }
    });
  });
});
