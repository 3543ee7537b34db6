import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN } from "../helpers/petstore.js";

describe("STS over the wire with the real AWS SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("answers GetCallerIdentity for the admin user's long-term keys", async () => {
    const identity = await stsClient(fedsim, ADMIN).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(ADMIN_ARN);
    expect(identity.Account).toBe(ACCOUNT_ID);
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{16}$/);
  });

  it("issues session-token credentials that work for a second GetCallerIdentity", async () => {
    const { Credentials } = await stsClient(fedsim, ADMIN).send(
      new GetSessionTokenCommand({ DurationSeconds: 900 }),
    );
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Credentials?.SecretAccessKey).toHaveLength(40);
    expect(Credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(Credentials?.Expiration?.getTime()).toBe(fedsim.clock.now().getTime() + 900_000);

    const session = stsClient(fedsim, {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken!,
    });
    const identity = await session.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(ADMIN_ARN);
  });

  it("rejects a wrong secret with SignatureDoesNotMatch", async () => {
    const error = await awsError(() =>
      stsClient(fedsim, { ...ADMIN, secretAccessKey: `${ADMIN.secretAccessKey.slice(0, -1)}X` }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(error.name).toBe("SignatureDoesNotMatch");
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided/,
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("rejects an unknown access key with InvalidClientTokenId", async () => {
    const error = await awsError(() =>
      stsClient(fedsim, { accessKeyId: "AKIAZZZZZZZZZZZZZZZZ", secretAccessKey: ADMIN.secretAccessKey }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(error.name).toBe("InvalidClientTokenId");
    expect(error.message).toBe("The security token included in the request is invalid.");
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it("rejects a session key presented with the wrong session token", async () => {
    const { Credentials } = await stsClient(fedsim, ADMIN).send(new GetSessionTokenCommand({}));
    const error = await awsError(() =>
      stsClient(fedsim, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: `${Credentials!.SessionToken!}x`,
      }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe("InvalidClientTokenId");
  });

  it("rejects a long-term key that carries a session token", async () => {
    const error = await awsError(() =>
      stsClient(fedsim, { ...ADMIN, sessionToken: "not-a-session" }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe("InvalidClientTokenId");
  });

  it("answers ExpiredToken once session credentials pass their expiration", async () => {
    const { Credentials } = await stsClient(fedsim, ADMIN).send(
      new GetSessionTokenCommand({ DurationSeconds: 900 }),
    );
    fedsim.clock.advance(901_000);
    try {
      // Sign with the same moved clock, so the request itself is within the skew window.
      const session = stsClient(fedsim, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      });
      session.config.systemClockOffset = 901_000;
      const error = await awsError(() => session.send(new GetCallerIdentityCommand({})));
      expect(error.name).toBe("ExpiredToken");
      expect(error.message).toBe("The security token included in the request is expired");
      expect(error.$metadata.httpStatusCode).toBe(403);
    } finally {
      fedsim.clock.advance(-901_000);
    }
  });

  it("refuses GetSessionToken called with session credentials", async () => {
    const { Credentials } = await stsClient(fedsim, ADMIN).send(new GetSessionTokenCommand({}));
    const error = await awsError(() =>
      stsClient(fedsim, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      }).send(new GetSessionTokenCommand({})),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe("Cannot call GetSessionToken with session credentials");
  });

  it.each([
    [899, "greater than or equal to 900"],
    [129_601, "less than or equal to 129600"],
  ])("rejects GetSessionToken DurationSeconds %i with ValidationError", async (seconds, text) => {
    const error = await awsError(() =>
      stsClient(fedsim, ADMIN).send(new GetSessionTokenCommand({ DurationSeconds: seconds })),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toContain(text);
  });
});
