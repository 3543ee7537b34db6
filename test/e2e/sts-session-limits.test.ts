import { randomBytes } from "node:crypto";
import { CreatePolicyCommand, CreatePolicyVersionCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  AssumeRoleCommand,
  GetAccessKeyInfoCommand,
  GetSessionTokenCommand,
  type Tag,
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
import { ACCOUNT_ID, ADMIN, REGION } from "../helpers/petstore.js";

const PROBES = `arn:aws:iam::${ACCOUNT_ID}:role/Probes`;
const STS_PROBES = `arn:aws:iam::${ACCOUNT_ID}:policy/StsProbes`;
const tags = (n: number): Tag[] => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
/** A valid session policy padded (in a Sid) to exactly `length` characters. */
const policyOf = (length: number) => {
  const head =
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*","Sid":"';
  const tail = '"}]}';
  return head + "a".repeat(length - head.length - tail.length) + tail;
};
const invalid = validationMessage;

describe("AssumeRole limits on session tags, session policies and MFA parameters, through the real SDK", () => {
  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim({ config: "test/fixtures/sts-roles.yaml" });
  });
  afterAll(() => fedsim.stop());

  const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
    stsClient(fedsim, ADMIN).send(
      new AssumeRoleCommand({ RoleArn: PROBES, RoleSessionName: "limits", ...input }),
    );
  const rejects = async (
    input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>,
    name: string,
    message: string,
  ) => {
    const error = await awsError(() => assume(input));
    expect({ name: error.name, message: error.message, status: error.$metadata.httpStatusCode }).toEqual({
      name,
      message,
      status: 400,
    });
  };

  describe("session tags", () => {
    it("accepts 50 tags, a 128-character key and a 256-character value", async () => {
      expect((await assume({ Tags: tags(50) })).PackedPolicySize).toBeLessThanOrEqual(100);
      await assume({ Tags: [{ Key: "k".repeat(128), Value: "v".repeat(256) }] });
      await assume({ Tags: [{ Key: "empty-value", Value: "" }] });
    });

    it("rejects 51 tags", () =>
      rejects(
        { Tags: tags(51) },
        "ValidationError",
        invalid("[51 items]", "tags", "Member must have length less than or equal to 50"),
      ));

    it("rejects a 129-character key and a 257-character value", async () => {
      await rejects(
        { Tags: [{ Key: "k".repeat(129), Value: "v" }] },
        "ValidationError",
        invalid("k".repeat(129), "tags.1.member.key", "Member must have length less than or equal to 128"),
      );
      await rejects(
        { Tags: [{ Key: "k", Value: "v".repeat(257) }] },
        "ValidationError",
        invalid("v".repeat(257), "tags.1.member.value", "Member must have length less than or equal to 256"),
      );
    });

    it("rejects a tag without a Value: it is required, even if empty", () =>
      rejects(
        { Tags: [{ Key: "team" } as Tag] },
        "ValidationError",
        "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
      ));

    it("rejects keys that differ only in case", () =>
      rejects(
        {
          Tags: [
            { Key: "Team", Value: "a" },
            { Key: "team", Value: "b" },
          ],
        },
        "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
      ));

    it("rejects keys with the aws: prefix AWS reserves, in any case", async () => {
      for (const Key of ["aws:team", "AWS:team"]) {
        await rejects(
          { Tags: [{ Key, Value: "x" }] },
          "InvalidParameterValue",
          `Tag key ${Key} is not valid: keys beginning with "aws:" are reserved for AWS use.`,
        );
      }
    });

    it("rejects a transitive tag key that is not one of the tags", () =>
      rejects(
        { Tags: [{ Key: "project", Value: "pets" }], TransitiveTagKeys: ["team"] },
        "InvalidParameterValue",
        "The specified transitive tag key must be included in the requested tags. Key: team",
      ));
  });

  describe("session policies", () => {
    it("accepts a 2,048-character inline policy and rejects 2,049", async () => {
      expect((await assume({ Policy: policyOf(2048) })).PackedPolicySize).toBeLessThanOrEqual(100);
      await rejects(
        { Policy: policyOf(2049) },
        "ValidationError",
        invalid(policyOf(2049), "policy", "Member must have length less than or equal to 2048"),
      );
    });

    it("rejects inline policy characters above U+00FF, as AWS's pattern does", async () => {
      const Policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "sts:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalTag/city": "東京" } },
          },
        ],
      });
      await rejects(
        { Policy },
        "ValidationError",
        invalid(
          Policy,
          "policy",
          "Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
        ),
      );
      // Latin-1 is fine.
      await assume({ Policy: Policy.replace("東京", "Zürich") });
    });

    it("accepts 10 managed policy ARNs, AWS managed ones included, and rejects 11", async () => {
      const arns = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          arn: i === 0 ? "arn:aws:iam::aws:policy/IAMReadOnlyAccess" : STS_PROBES,
        }));
      const out = await assume({ PolicyArns: arns(10) });
      expect(out.PackedPolicySize).toBeGreaterThan(0);
      await rejects(
        { PolicyArns: arns(11) },
        "ValidationError",
        invalid("[11 items]", "policyArns", "Member must have length less than or equal to 10"),
      );
    });

    it("rejects a policy ARN that names no policy, or is not an ARN", async () => {
      const missing = `arn:aws:iam::${ACCOUNT_ID}:policy/Nope`;
      await rejects(
        { PolicyArns: [{ arn: missing }] },
        "InvalidParameterValue",
        `The policy ${missing} does not exist or is not attachable.`,
      );
      await rejects(
        { PolicyArns: [{ arn: "arn:x" }] },
        "ValidationError",
        invalid("arn:x", "policyArns.1.member.arn", "Member must have length greater than or equal to 20"),
      );
    });

    it("rejects a managed policy of another account: it must be in the role's account", async () => {
      for (const arn of [
        "arn:aws:iam::222222222222:policy/OtherAccountPolicy",
        "arn:aws:iam::222222222222:policy/Nope",
      ]) {
        await rejects(
          { PolicyArns: [{ arn }] },
          "InvalidParameterValue",
          `The policy ${arn} is not in account ${ACCOUNT_ID}: managed session policies must exist in the same account as the role.`,
        );
      }
    });

    it("packs the ARN of a managed session policy, not its document: a large policy still packs small", async () => {
      const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
      // ~6,000 characters of random bucket names: as a packed document it would be far over the limit.
      const Resource = Array.from(
        { length: 75 },
        () => `arn:aws:s3:::bucket-${randomBytes(20).toString("hex")}/*`,
      );
      const { Policy } = await iam.send(
        new CreatePolicyCommand({
          PolicyName: "ManyBuckets",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:GetAccessKeyInfo", Resource }],
          }),
        }),
      );
      const out = await assume({ PolicyArns: [{ arn: Policy!.Arn! }] });
      expect(out.PackedPolicySize).toBeGreaterThan(0);
      expect(out.PackedPolicySize).toBeLessThan(10);
    });
  });

  it("follows a managed session policy's default version as it changes, as a policy kept by ARN does", async () => {
    const iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
    const allowing = (Action: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action, Resource: "*" }] });
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "SessionScope",
        PolicyDocument: allowing("sts:GetAccessKeyInfo"),
      }),
    );
    const out = await assume({ PolicyArns: [{ arn: Policy!.Arn! }] });
    const session = stsClient(fedsim, asCreds(out.Credentials));
    const info = () => session.send(new GetAccessKeyInfoCommand({ AccessKeyId: ADMIN.accessKeyId }));
    expect((await info()).Account).toBe(ACCOUNT_ID);
    await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: Policy!.Arn,
        PolicyDocument: allowing("sts:DecodeAuthorizationMessage"),
        SetAsDefault: true,
      }),
    );
    const denied = await awsError(info);
    expect(denied.name).toBe("AccessDenied");
    expect(denied.message).toMatch(/because no session policy allows the sts:GetAccessKeyInfo action/);
  });

  describe("MFA parameters", () => {
    it.each([
      [
        { SerialNumber: "GAHT1234" },
        invalid("GAHT1234", "serialNumber", "Member must have length greater than or equal to 9"),
      ],
      [
        { SerialNumber: "arn:aws:iam::123456789012:mfa/has space" },
        invalid(
          "arn:aws:iam::123456789012:mfa/has space",
          "serialNumber",
          "Member must satisfy regular expression pattern: [\\w+=/:,.@-]*",
        ),
      ],
      [
        { TokenCode: "12345" },
        invalid("12345", "tokenCode", "Member must have length greater than or equal to 6"),
      ],
      [
        { TokenCode: "123456789012" },
        invalid("123456789012", "tokenCode", "Member must have length less than or equal to 6"),
      ],
      [
        { TokenCode: "12345a" },
        invalid("12345a", "tokenCode", "Member must satisfy regular expression pattern: [\\d]*"),
      ],
    ])(
      "rejects malformed %o with ValidationError, in AssumeRole and GetSessionToken",
      async (mfa, message) => {
        await rejects(
          { SerialNumber: "arn:aws:iam::123456789012:mfa/admin", TokenCode: "123456", ...mfa },
          "ValidationError",
          message,
        );
        const error = await awsError(() =>
          stsClient(fedsim, ADMIN).send(
            new GetSessionTokenCommand({
              SerialNumber: "arn:aws:iam::123456789012:mfa/admin",
              TokenCode: "123456",
              ...mfa,
            }),
          ),
        );
        expect({ name: error.name, message: error.message }).toEqual({ name: "ValidationError", message });
      },
    );
  });
});
