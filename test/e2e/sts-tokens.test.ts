import {
  AssumeRoleCommand,
  type Credentials,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
} from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  asCreds,
  awsError,
  startTestFedsim,
  stsClient,
  type TestFedsim,
  validationMessage,
} from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR } from "../helpers/petstore.js";
import { queryError, signedQuery } from "../helpers/signedRequest.js";

const ROOT = {
  accessKeyId: "AKIAROOTROOTEXAMPLE0",
  secretAccessKey: "rootrootrootrootrootrootrootrootrootroot",
};
const PROBES = `arn:aws:iam::${ACCOUNT_ID}:role/Probes`;
const invalid = validationMessage;

describe("GetSessionToken, GetFederationToken, GetAccessKeyInfo and DecodeAuthorizationMessage through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "test/fixtures/sts-roles.yaml" });
  });
  afterAll(() => fedsim.stop());

  const sts = (creds: Parameters<typeof stsClient>[1]) => stsClient(fedsim, creds);
  /** Whole seconds from now to the expiration (Query timestamps may carry no milliseconds). */
  const expiresIn = (c: Credentials | undefined) =>
    Math.ceil((c!.Expiration!.getTime() - fedsim.clock.now().getTime()) / 1000);
  const roleSession = async () =>
    asCreds(
      (await sts(ADMIN).send(new AssumeRoleCommand({ RoleArn: PROBES, RoleSessionName: "tokens" })))
        .Credentials,
    );

  describe("the root user's sessions", () => {
    it.each([undefined, 900, 7200, 129_600])(
      "last at most an hour, DurationSeconds %s included (AWS: longer requests default to one hour)",
      async (DurationSeconds) => {
        const token = await sts(ROOT).send(new GetSessionTokenCommand({ DurationSeconds }));
        expect(expiresIn(token.Credentials)).toBe(Math.min(DurationSeconds ?? 3600, 3600));
        const federation = await sts(ROOT).send(
          new GetFederationTokenCommand({ Name: "root-fed", DurationSeconds }),
        );
        expect(expiresIn(federation.Credentials)).toBe(Math.min(DurationSeconds ?? 3600, 3600));
      },
    );

    it("still reject DurationSeconds outside 900..129600", async () => {
      for (const [DurationSeconds, constraint] of [
        [899, "Member must have value greater than or equal to 900"],
        [129_601, "Member must have value less than or equal to 129600"],
      ] as const) {
        for (const command of [
          new GetSessionTokenCommand({ DurationSeconds }),
          new GetFederationTokenCommand({ Name: "root-fed", DurationSeconds }),
        ]) {
          const error = await awsError(() => sts(ROOT).send(command as GetSessionTokenCommand));
          expect(error.name).toBe("ValidationError");
          expect(error.message).toBe(
            `1 validation error detected: Value '${DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: ${constraint}`,
          );
        }
      }
    });
  });

  it("gives an IAM user's GetSessionToken and GetFederationToken 12 hours by default, up to 36", async () => {
    expect(expiresIn((await sts(ADMIN).send(new GetSessionTokenCommand({}))).Credentials)).toBe(43_200);
    const long = await sts(ADMIN).send(
      new GetFederationTokenCommand({ Name: "long", DurationSeconds: 129_600 }),
    );
    expect(expiresIn(long.Credentials)).toBe(129_600);
  });

  it("refuses GetSessionToken and GetFederationToken called with a role session's credentials", async () => {
    const session = sts(await roleSession());
    const token = await awsError(() => session.send(new GetSessionTokenCommand({})));
    expect(token.name).toBe("AccessDenied");
    expect(token.$metadata.httpStatusCode).toBe(403);
    expect(token.message).toBe("Cannot call GetSessionToken with session credentials");
    const federation = await awsError(() =>
      session.send(new GetFederationTokenCommand({ Name: "from-role" })),
    );
    expect(federation.name).toBe("AccessDenied");
    expect(federation.message).toBe("Cannot call GetFederationToken with session credentials");
  });

  it("ignores TransitiveTagKeys in GetFederationToken, which has no such parameter", async () => {
    // The SDK has no TransitiveTagKeys member for this operation, so the request is sent by hand.
    const res = await signedQuery(
      fedsim.url,
      ADMIN,
      "Action=GetFederationToken&Version=2011-06-15&Name=tagged&Tags.member.1.Key=team&Tags.member.1.Value=pets" +
        "&TransitiveTagKeys.member.1=not-a-tag",
    );
    expect(queryError(res.body)).toEqual({ code: undefined, message: undefined });
    expect(res.status).toBe(200);
    expect(res.body).toContain(`<Arn>arn:aws:sts::${ACCOUNT_ID}:federated-user/tagged</Arn>`);
  });

  it("refuses GetFederationToken managed session policies of another account", async () => {
    const arn = "arn:aws:iam::222222222222:policy/OtherAccountPolicy";
    const error = await awsError(() =>
      sts(ADMIN).send(new GetFederationTokenCommand({ Name: "fed", PolicyArns: [{ arn }] })),
    );
    expect(error.name).toBe("InvalidParameterValue");
    expect(error.message).toBe(
      `The policy ${arn} is not in account ${ACCOUNT_ID}: managed session policies must exist in the same account as the IAM user.`,
    );
  });

  describe("GetAccessKeyInfo", () => {
    it("answers the account of temporary (ASIA) keys too", async () => {
      const { accessKeyId } = await roleSession();
      expect(accessKeyId).toMatch(/^ASIA/);
      expect((await sts(ADMIN).send(new GetAccessKeyInfoCommand({ AccessKeyId: accessKeyId }))).Account).toBe(
        ACCOUNT_ID,
      );
    });

    it("answers the account encoded in a new-generation key id it never issued, as AWS does", async () => {
      const out = await sts(ADMIN).send(new GetAccessKeyInfoCommand({ AccessKeyId: "ASIAY34FZKBOKMUTVV7A" }));
      expect(out.Account).toBe("609629065308");
    });

    it("answers InvalidParameterValue for an unknown old-generation key, which carries no account", async () => {
      const error = await awsError(() =>
        sts(ADMIN).send(new GetAccessKeyInfoCommand({ AccessKeyId: "AKIAIOSFODNN7EXAMPLX" })),
      );
      expect(error.name).toBe("InvalidParameterValue");
      expect(error.message).toBe(
        "The access key ID AKIAIOSFODNN7EXAMPLX is not known to this fedsim and carries no account number.",
      );
    });

    it.each([
      ["AKIA12345678901", "Member must have length greater than or equal to 16"],
      ["AKIA1234567890-12", "Member must satisfy regular expression pattern: [\\w]*"],
    ])("rejects %s with ValidationError", async (AccessKeyId, constraint) => {
      const error = await awsError(() => sts(ADMIN).send(new GetAccessKeyInfoCommand({ AccessKeyId })));
      expect(error.name).toBe("ValidationError");
      expect(error.message).toBe(invalid(AccessKeyId, "accessKeyId", constraint));
    });
  });

  describe("DecodeAuthorizationMessage", () => {
    const encodedDenial = async (fn: () => Promise<unknown>) => {
      const denial = await awsError(fn);
      return /Encoded authorization failure message: (\S+)$/.exec(denial.message)![1]!;
    };
    const decode = async (EncodedMessage: string) =>
      JSON.parse(
        (await sts(ADMIN).send(new DecodeAuthorizationMessageCommand({ EncodedMessage }))).DecodedMessage!,
      );

    it("decodes to AWS's shape: the principal with id, name and ARN, plus fedsim's note of the denying policy type", async () => {
      const decoded = await decode(
        await encodedDenial(() =>
          sts(AUDITOR).send(new AssumeRoleCommand({ RoleArn: PROBES, RoleSessionName: "x1" })),
        ),
      );
      expect(Object.keys(decoded)).toEqual([
        "allowed",
        "explicitDeny",
        "matchedStatements",
        "failures",
        "context",
        "fedsimDeniedBy",
      ]);
      expect(decoded).toMatchObject({
        allowed: false,
        explicitDeny: false,
        fedsimDeniedBy: "identity-based",
        context: {
          principal: {
            id: expect.stringMatching(/^AIDA/),
            name: "auditor",
            arn: `arn:aws:iam::${ACCOUNT_ID}:user/auditor`,
          },
          action: "sts:AssumeRole",
          resource: PROBES,
        },
      });
    });

    it("gives a role session's principal no name, as AWS does", async () => {
      const session = sts(await roleSession());
      const decoded = await decode(
        await encodedDenial(() =>
          session.send(
            new AssumeRoleCommand({
              RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/AuditorOnly`,
              RoleSessionName: "x2",
            }),
          ),
        ),
      );
      expect(decoded.context.principal).toEqual({
        id: expect.stringMatching(/^AROA[A-Z2-7]{16}:tokens$/),
        arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Probes/tokens`,
      });
    });

    it("rejects an EncodedMessage over 10,240 characters with ValidationError", async () => {
      const EncodedMessage = "a".repeat(10_241);
      const error = await awsError(() =>
        sts(ADMIN).send(new DecodeAuthorizationMessageCommand({ EncodedMessage })),
      );
      expect(error.name).toBe("ValidationError");
      expect(error.message).toBe(
        invalid(EncodedMessage, "encodedMessage", "Member must have length less than or equal to 10240"),
      );
      const atLimit = await awsError(() =>
        sts(ADMIN).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "a".repeat(10_240) })),
      );
      expect(atLimit.name).toBe("InvalidAuthorizationMessageException");
    });
  });
});
