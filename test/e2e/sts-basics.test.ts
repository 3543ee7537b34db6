import { createHash } from "node:crypto";
import { Sha256 } from "@aws-crypto/sha256-js";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN } from "../helpers/petstore.js";
import { queryError, rawRequest } from "../helpers/signedRequest.js";

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

  it("rejects a request signed with a clock 16 minutes slow: SignatureDoesNotMatch, Signature expired", async () => {
    const client = stsClient(fedsim, ADMIN);
    // The SDK would correct its own clock skew on retry; one attempt shows fedsim's answer.
    client.config.systemClockOffset = -16 * 60_000;
    const error = await awsError(() => client.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("SignatureDoesNotMatch");
    expect(error.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
  });

  it("accepts a presigned GetCallerIdentity URL for 15 minutes whatever X-Amz-Expires says, as STS does", async () => {
    const { hostname, port } = new URL(fedsim.url);
    const signer = new SignatureV4({
      credentials: ADMIN,
      region: "us-east-1",
      service: "sts",
      sha256: Sha256,
    });
    const presign = (signingDate: Date) =>
      signer.presign(
        new HttpRequest({
          method: "GET",
          protocol: "http:",
          hostname,
          port: Number(port),
          path: "/",
          query: { Action: "GetCallerIdentity", Version: "2011-06-15" },
          headers: { host: `${hostname}:${port}` },
        }),
        { expiresIn: 60, signingDate },
      );
    const url = (r: Awaited<ReturnType<typeof presign>>) =>
      `/?${new URLSearchParams(r.query as Record<string, string>).toString().replace(/\+/g, "%20")}`;
    const ok = await rawRequest(fedsim.url, {
      method: "GET",
      path: url(await presign(fedsim.clock.now())),
      headers: {},
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
    // X-Amz-Expires=60 and signed two minutes ago: STS ignores X-Amz-Expires, so still good.
    const later = await rawRequest(fedsim.url, {
      method: "GET",
      path: url(await presign(new Date(fedsim.clock.now().getTime() - 120_000))),
      headers: {},
    });
    expect(later.status).toBe(200);
    const old = await rawRequest(fedsim.url, {
      method: "GET",
      path: url(await presign(new Date(fedsim.clock.now().getTime() - 16 * 60_000))),
      headers: {},
    });
    expect(old.status).toBe(403);
    expect(queryError(old.body).code).toBe("SignatureDoesNotMatch");
    expect(queryError(old.body).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
  });

  it("rejects a body that does not match its declared x-amz-content-sha256", async () => {
    const { hostname, port } = new URL(fedsim.url);
    const signer = new SignatureV4({
      credentials: ADMIN,
      region: "us-east-1",
      service: "sts",
      sha256: Sha256,
    });
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signed = await signer.sign(
      new HttpRequest({
        method: "POST",
        protocol: "http:",
        hostname,
        port: Number(port),
        path: "/",
        headers: {
          host: `${hostname}:${port}`,
          "content-type": "application/x-www-form-urlencoded",
          "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"),
        },
        body,
      }),
    );
    const res = await rawRequest(fedsim.url, {
      headers: signed.headers as Record<string, string>,
      body: `${body}&Extra=1`,
    });
    // STS hashes the body it receives, so the signature no longer matches (S3 alone checks the header).
    expect(res.status).toBe(403);
    expect(queryError(res.body).code).toBe("SignatureDoesNotMatch");
  });
});
