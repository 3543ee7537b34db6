import { GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  type Credentials,
  DecodeAuthorizationMessageCommand,
  GetAccessKeyInfoCommand,
  GetCallerIdentityCommand,
  GetFederationTokenCommand,
  GetSessionTokenCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asCreds, awsError, startTestFedsim, stsClient, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR, REGION } from "../helpers/petstore.js";

const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;

describe("STS AssumeRole and friends through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "test/fixtures/sts-roles.yaml" });
  });
  afterAll(() => fedsim.stop());

  /** Whole seconds from now to the expiration (Query timestamps may carry no milliseconds). */
  const secondsLeft = (c: Credentials | undefined) =>
    Math.ceil((c!.Expiration!.getTime() - fedsim.clock.now().getTime()) / 1000);
  const assume = (
    creds: Parameters<typeof stsClient>[1],
    input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> & { RoleArn: string },
  ) => stsClient(fedsim, creds).send(new AssumeRoleCommand({ RoleSessionName: "test-session", ...input }));

  it("assumes a role whose trust policy delegates to the account, for a caller with sts:AssumeRole", async () => {
    const out = await assume(ADMIN, { RoleArn: role("Probes"), RoleSessionName: "alice-laptop" });
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/Probes/alice-laptop`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{16}:alice-laptop$/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(secondsLeft(out.Credentials)).toBe(3600);
    expect(out.PackedPolicySize).toBeUndefined();
    const identity = await stsClient(fedsim, asCreds(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Arn: out.AssumedRoleUser?.Arn,
      UserId: out.AssumedRoleUser?.AssumedRoleId,
      Account: ACCOUNT_ID,
    });
  });

  it("denies a caller without sts:AssumeRole when the trust policy only delegates to the account", async () => {
    const error = await awsError(() => assume(AUDITOR, { RoleArn: role("Probes") }));
    expect(error.name).toBe("AccessDenied");
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toMatch(
      /^User: arn:aws:iam::123456789012:user\/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/Probes because no identity-based policy allows the sts:AssumeRole action/,
    );
  });

  it("lets a trust policy that names the user grant on its own, and refuses everyone else", async () => {
    const out = await assume(AUDITOR, { RoleArn: role("AuditorOnly") });
    expect(out.AssumedRoleUser?.Arn).toContain("assumed-role/AuditorOnly/");
    const error = await awsError(() => assume(ADMIN, { RoleArn: role("AuditorOnly") }));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(
      /user\/admin is not authorized to perform: sts:AssumeRole on resource: .*role\/AuditorOnly because no resource-based policy allows/,
    );
  });

  it("answers AccessDenied, not NoSuchEntity, for a role that does not exist", async () => {
    const error = await awsError(() => assume(ADMIN, { RoleArn: role("Nope") }));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(
      /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/Nope/,
    );
  });

  it("requires the ExternalId the trust policy names, and accepts it", async () => {
    for (const ExternalId of [undefined, "wrong-partner-id"]) {
      const error = await awsError(() => assume(ADMIN, { RoleArn: role("NeedsExternalId"), ExternalId }));
      expect(error.name).toBe("AccessDenied");
    }
    const out = await assume(ADMIN, { RoleArn: role("NeedsExternalId"), ExternalId: "s3cr3t-partner-id" });
    expect(out.AssumedRoleUser?.Arn).toContain("assumed-role/NeedsExternalId/");
  });

  it("narrows the session to the intersection with an inline session policy", async () => {
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "sts:GetAccessKeyInfo", Resource: "*" }],
    });
    const out = await assume(ADMIN, { RoleArn: role("Probes"), Policy });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
    const session = stsClient(fedsim, asCreds(out.Credentials));
    expect(
      (await session.send(new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN.accessKeyId }))).Account,
    ).toBe(ACCOUNT_ID);
    const error = await awsError(() =>
      session.send(new DecodeAuthorizationMessageCommand({ EncodedMessage: "x".repeat(60) })),
    );
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toMatch(
      /assumed-role\/Probes\/test-session is not authorized to perform: sts:DecodeAuthorizationMessage because no session policy allows/,
    );
  });

  it("rejects a session policy that is not a valid policy with MalformedPolicyDocument", async () => {
    const error = await awsError(() =>
      assume(ADMIN, {
        RoleArn: role("Probes"),
        Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}',
      }),
    );
    // Wire code MalformedPolicyDocument; the SDK names the modeled STS exception class, as it does against AWS.
    expect(error.name).toBe("MalformedPolicyDocumentException");
    expect(error.message).toBe("Invalid effect: Maybe");
  });

  it("chains from one role session to a role that trusts the first role, capped at one hour", async () => {
    const first = await assume(ADMIN, { RoleArn: role("Probes"), RoleSessionName: "hop1" });
    const chained = await assume(asCreds(first.Credentials), {
      RoleArn: role("ChainTarget"),
      RoleSessionName: "hop2",
    });
    expect(chained.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/ChainTarget/hop2`);
    const error = await awsError(() =>
      assume(asCreds(first.Credentials), { RoleArn: role("ChainTarget"), DurationSeconds: 3601 }),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
    // The admin user itself is not trusted by ChainTarget.
    expect((await awsError(() => assume(ADMIN, { RoleArn: role("ChainTarget") }))).name).toBe("AccessDenied");
  });

  it.each([
    [
      899,
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    ],
    [7201, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."],
    [
      43_201,
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    ],
  ])("rejects DurationSeconds %i with ValidationError", async (DurationSeconds, message) => {
    const error = await awsError(() => assume(ADMIN, { RoleArn: role("Probes"), DurationSeconds }));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(message);
  });

  it("accepts DurationSeconds up to the role's MaxSessionDuration", async () => {
    const out = await assume(ADMIN, { RoleArn: role("Probes"), DurationSeconds: 7200 });
    expect(secondsLeft(out.Credentials)).toBe(7200);
  });

  it("rejects a bad RoleSessionName with AWS's ValidationError", async () => {
    const error = await awsError(() =>
      assume(ADMIN, { RoleArn: role("Probes"), RoleSessionName: "has spaces" }),
    );
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      "1 validation error detected: Value 'has spaces' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  it("makes session tags visible to policies as aws:PrincipalTag", async () => {
    const tagged = await assume(ADMIN, {
      RoleArn: role("TaggedOnly"),
      Tags: [{ Key: "team", Value: "admins" }],
    });
    const untagged = await assume(ADMIN, {
      RoleArn: role("TaggedOnly"),
      Tags: [{ Key: "team", Value: "customers" }],
    });
    const probe = (c: Credentials | undefined) =>
      stsClient(fedsim, asCreds(c)).send(
        new DecodeAuthorizationMessageCommand({ EncodedMessage: "x".repeat(60) }),
      );
    expect((await awsError(() => probe(tagged.Credentials))).name).toBe(
      "InvalidAuthorizationMessageException",
    );
    expect((await awsError(() => probe(untagged.Credentials))).name).toBe("AccessDenied");
  });

  it("carries transitive session tags into a chained session, and refuses to override them", async () => {
    const first = await assume(ADMIN, {
      RoleArn: role("Probes"),
      Tags: [{ Key: "project", Value: "pets" }],
      TransitiveTagKeys: ["project"],
    });
    const error = await awsError(() =>
      assume(asCreds(first.Credentials), {
        RoleArn: role("ChainTarget"),
        Tags: [{ Key: "project", Value: "other" }],
      }),
    );
    expect(error.name).toBe("InvalidParameterValue");
    const chained = await assume(asCreds(first.Credentials), { RoleArn: role("ChainTarget") });
    expect(chained.AssumedRoleUser?.Arn).toContain("ChainTarget");
  });

  it("expires role credentials: a later call answers ExpiredToken", async () => {
    const out = await assume(ADMIN, { RoleArn: role("Probes"), DurationSeconds: 900 });
    fedsim.clock.advance(900_001);
    try {
      const client = stsClient(fedsim, asCreds(out.Credentials));
      client.config.systemClockOffset = 900_001;
      const error = await awsError(() => client.send(new GetCallerIdentityCommand({})));
      expect(error.name).toBe("ExpiredToken");
    } finally {
      fedsim.clock.advance(-900_001);
    }
  });

  it("works with fromTemporaryCredentials from @aws-sdk/credential-providers", async () => {
    const client = new STSClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: fromTemporaryCredentials({
        params: { RoleArn: role("Probes"), RoleSessionName: "provider-session" },
        masterCredentials: ADMIN,
        clientConfig: { region: REGION, endpoint: fedsim.url },
      }),
    });
    expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${ACCOUNT_ID}:assumed-role/Probes/provider-session`,
    );
  });

  it("issues federation tokens that may call GetCallerIdentity and nothing else in STS or IAM, as AWS allows", async () => {
    const Policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
    });
    const out = await stsClient(fedsim, ADMIN).send(
      new GetFederationTokenCommand({ Name: "bob-app", Policy }),
    );
    expect(out.FederatedUser).toEqual({
      FederatedUserId: `${ACCOUNT_ID}:bob-app`,
      Arn: `arn:aws:sts::${ACCOUNT_ID}:federated-user/bob-app`,
    });
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    const session = stsClient(fedsim, asCreds(out.Credentials));
    expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${ACCOUNT_ID}:federated-user/bob-app`,
    );
    const sts = await awsError(() =>
      session.send(new GetAccessKeyInfoCommand({ AccessKeyId: AUDITOR.accessKeyId })),
    );
    expect(sts.name).toBe("AccessDenied");
    expect(sts.message).toBe("Cannot call GetAccessKeyInfo with credentials from GetFederationToken");
    const iam = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: asCreds(out.Credentials),
      maxAttempts: 1,
    });
    expect((await awsError(() => iam.send(new GetUserCommand({})))).name).toBe("InvalidClientTokenId");
  });

  it("lets GetSessionToken credentials assume roles but call no other STS operation and no IAM operation", async () => {
    const { Credentials } = await stsClient(fedsim, ADMIN).send(new GetSessionTokenCommand({}));
    const out = await assume(asCreds(Credentials), { RoleArn: role("Probes") });
    expect(out.AssumedRoleUser?.Arn).toContain("assumed-role/Probes/");
    const sts = await awsError(() =>
      stsClient(fedsim, asCreds(Credentials)).send(
        new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN.accessKeyId }),
      ),
    );
    expect(sts.message).toBe("Cannot call GetAccessKeyInfo with credentials from GetSessionToken");
    const iam = new IAMClient({
      region: REGION,
      endpoint: fedsim.url,
      credentials: asCreds(Credentials),
      maxAttempts: 1,
    });
    const error = await awsError(() => iam.send(new GetUserCommand({})));
    expect(error.name).toBe("InvalidClientTokenId");
  });

  it("gives a federation token without a session policy no permissions at all", async () => {
    const out = await stsClient(fedsim, ADMIN).send(new GetFederationTokenCommand({ Name: "nothing" }));
    const error = await awsError(() =>
      stsClient(fedsim, asCreds(out.Credentials)).send(
        new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN.accessKeyId }),
      ),
    );
    expect(error.name).toBe("AccessDenied");
  });

  it("decodes the authorization message attached to a denial, for a caller allowed to", async () => {
    const denial = await awsError(() => assume(AUDITOR, { RoleArn: role("Probes") }));
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(denial.message)?.[1];
    expect(encoded).toBeDefined();
    const { DecodedMessage } = await stsClient(fedsim, ADMIN).send(
      new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }),
    );
    const decoded = JSON.parse(DecodedMessage!);
    expect(decoded).toMatchObject({
      allowed: false,
      explicitDeny: false,
      context: { action: "sts:AssumeRole", resource: role("Probes") },
    });
    expect(decoded.context.conditions.items).toContainEqual({
      key: "aws:username",
      values: { items: [{ value: "auditor" }] },
    });
    // The auditor may not decode it.
    expect(
      (
        await awsError(() =>
          stsClient(fedsim, AUDITOR).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded })),
        )
      ).name,
    ).toBe("AccessDenied");
  });

  it("rejects a tampered authorization message", async () => {
    const denial = await awsError(() => assume(AUDITOR, { RoleArn: role("Probes") }));
    const encoded = /Encoded authorization failure message: (\S+)$/.exec(denial.message)![1]!;
    const tampered = `${encoded.slice(0, -2)}${encoded.endsWith("AA") ? "BB" : "AA"}`;
    const error = await awsError(() =>
      stsClient(fedsim, ADMIN).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: tampered })),
    );
    expect(error.name).toBe("InvalidAuthorizationMessageException");
  });

  it("answers GetAccessKeyInfo with the key's account", async () => {
    expect(
      (await stsClient(fedsim, ADMIN).send(new GetAccessKeyInfoCommand({ AccessKeyId: AUDITOR.accessKeyId })))
        .Account,
    ).toBe(ACCOUNT_ID);
  });

  it("answers GetCallerIdentity for the account root user as AWS does", async () => {
    const root = {
      accessKeyId: "AKIAROOTROOTEXAMPLE0",
      secretAccessKey: "rootrootrootrootrootrootrootrootrootroot",
    };
    expect(await stsClient(fedsim, root).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Arn: `arn:aws:iam::${ACCOUNT_ID}:root`,
      UserId: ACCOUNT_ID,
      Account: ACCOUNT_ID,
    });
  });

  it("makes the role's own tags aws:PrincipalTag values of its sessions", async () => {
    const out = await assume(ADMIN, { RoleArn: role("TaggedByRole") });
    const error = await awsError(() =>
      stsClient(fedsim, asCreds(out.Credentials)).send(
        new DecodeAuthorizationMessageCommand({ EncodedMessage: "x".repeat(60) }),
      ),
    );
    // Allowed by the tag condition, so the call reaches decoding (and the junk message is refused as such).
    expect(error.name).toBe("InvalidAuthorizationMessageException");
  });

  it("refuses AssumeRole by the account root user, as AWS does", async () => {
    const root = {
      accessKeyId: "AKIAROOTROOTEXAMPLE0",
      secretAccessKey: "rootrootrootrootrootrootrootrootrootroot",
    };
    const error = await awsError(() => assume(root, { RoleArn: role("Probes") }));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toBe("Roles may not be assumed by root accounts.");
  });

  it("refuses session policies and tags that pack over the limit with PackedPolicyTooLarge", async () => {
    // Incompressible values: 50 tags of 256 random characters overflow the packed budget.
    const { randomBytes } = await import("node:crypto");
    const Tags = Array.from({ length: 50 }, (_, i) => ({
      Key: `k${i}`,
      Value: randomBytes(192)
        .toString("base64")
        .replace(/[^A-Za-z0-9]/g, "x"),
    }));
    const error = await awsError(() => assume(ADMIN, { RoleArn: role("Probes"), Tags }));
    // Wire code PackedPolicyTooLarge; the SDK names the modeled exception class.
    expect(error.name).toBe("PackedPolicyTooLargeException");
    expect(error.message).toMatch(
      /^Packed size of consumed session policies and session tags exceeds the maximum allowed size \(\d+% of the allowed size\)\.$/,
    );
  });

  it("refuses MFA parameters it cannot check, rather than pretending MFA happened", async () => {
    const assumeError = await awsError(() =>
      assume(ADMIN, {
        RoleArn: role("Probes"),
        SerialNumber: "arn:aws:iam::123456789012:mfa/admin",
        TokenCode: "123456",
      }),
    );
    expect(assumeError.name).toBe("AccessDenied");
    expect(assumeError.message).toBe("MultiFactorAuthentication failed, unable to validate MFA code");
    const tokenError = await awsError(() =>
      stsClient(fedsim, ADMIN).send(
        new GetSessionTokenCommand({
          SerialNumber: "arn:aws:iam::123456789012:mfa/admin",
          TokenCode: "123456",
        }),
      ),
    );
    expect(tokenError.message).toBe("MultiFactorAuthentication failed, unable to validate MFA code");
  });
});
