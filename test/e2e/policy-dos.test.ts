import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SIMULATION_STEPS } from "../../src/services/iam/simulate.js";
import { awsError, startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, AUDITOR, REGION } from "../helpers/petstore.js";

/**
 * Policies an attacker writes: a wildcard that a backtracking matcher spends (length)^(stars) on, or a scan
 * (value length × piece length), sent by a read-only auditor; and a condition operator named like an Object.prototype member, which used to be stored
 * and then turn every signed call by its user into a 500.
 */
describe("policies written to hurt, through the real @aws-sdk/client-iam", () => {
  let fedsim: TestFedsim;
  let admin: IAMClient;
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new IAMClient({ region: REGION, endpoint: fedsim.url, credentials, maxAttempts: 1 });
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    admin = client(ADMIN);
  });
  afterAll(() => fedsim.stop());

  it("answers a read-only auditor's SimulateCustomPolicy with ten *a against 10,000 characters, correctly", async () => {
    const tenStars = "*a".repeat(10);
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringLike: { "s3:prefix": tenStars } },
        },
      ],
    });
    const simulate = (value: string) =>
      client(AUDITOR).send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [policy],
          ActionNames: ["s3:GetObject"],
          ContextEntries: [
            { ContextKeyName: "s3:prefix", ContextKeyValues: [value], ContextKeyType: "string" },
          ],
        }),
      );
    // Every split of the 'a's is a candidate for a backtracking engine; none ends in 'a'.
    const nearMiss = await simulate(`${"a".repeat(9_999)}b`);
    expect(nearMiss.EvaluationResults![0]).toMatchObject({
      EvalActionName: "s3:GetObject",
      EvalDecision: "implicitDeny",
    });
    const hit = await simulate(`${"b".repeat(9_980)}${"ab".repeat(9)}a`);
    expect(hit.EvaluationResults![0]).toMatchObject({
      EvalDecision: "allowed",
      MatchedStatements: [{ SourcePolicyId: "PolicyInputList.1" }],
    });
  });

  /** The auditor's SimulateCustomPolicy of one StringLike on s3:prefix against one value. */
  const simulateLike = (pattern: string, value: string) =>
    client(AUDITOR).send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { StringLike: { "s3:prefix": pattern } },
              },
            ],
          }),
        ],
        ActionNames: ["s3:GetObject"],
        ContextEntries: [
          { ContextKeyName: "s3:prefix", ContextKeyValues: [value], ContextKeyType: "string" },
        ],
      }),
    );

  it("answers a single 100,000-character piece with '?' against 500,000 characters with fedsim's InvalidInput", async () => {
    // Every prefix of the piece matches at every other position: 500,000 × 3,125 words of shift-and, and
    // 500,000 × 100,000 comparisons for a scan, well over the budget.
    const error = await awsError(() => simulateLike(`*${"a?".repeat(50_000)}b*`, "a".repeat(500_000)));
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `The simulation needs more than ${MAX_SIMULATION_STEPS} steps of wildcard matching; fedsim spends at most ${MAX_SIMULATION_STEPS} per call (a fedsim limit, not an AWS one). Shorten long patterns with '?' between literal characters or long context values, or split ActionNames or ResourceArns over several calls.`,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    // The server is not left busy: the next call is answered.
    const next = await simulateLike("*a*", "cab");
    expect(next.EvaluationResults![0]!.EvalDecision).toBe("allowed");
  });

  it("decides a single 100,000-character piece without '?' against 500,000 characters correctly", async () => {
    const pattern = `*${"a".repeat(99_999)}b*`;
    // 'a's everywhere: the piece's first 99,999 characters match at every position, its 'b' at none.
    const miss = await simulateLike(pattern, "a".repeat(500_000));
    expect(miss.EvaluationResults![0]).toMatchObject({ EvalDecision: "implicitDeny", MatchedStatements: [] });
    const hit = await simulateLike(pattern, `${"a".repeat(450_000)}b${"a".repeat(49_999)}`);
    expect(hit.EvaluationResults![0]).toMatchObject({
      EvalDecision: "allowed",
      MatchedStatements: [{ SourcePolicyId: "PolicyInputList.1" }],
    });
  });

  for (const operator of [
    "toString",
    "constructor",
    "__proto__",
    "ForAnyValue:hasOwnProperty",
    "valueOfIfExists",
  ]) {
    it(`refuses PutUserPolicy with the condition operator ${operator}, and the user's calls keep working`, async () => {
      const userName = `proto-${operator.replace(/[^A-Za-z]/g, "")}`;
      await admin.send(new CreateUserCommand({ UserName: userName }));
      await admin.send(
        new PutUserPolicyCommand({
          UserName: userName,
          PolicyName: "self",
          PolicyDocument: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "iam:GetUser",
                Resource: `arn:aws:iam::${ACCOUNT_ID}:user/${userName}`,
              },
            ],
          }),
        }),
      );
      // JSON text rather than JSON.stringify of an object literal, in which __proto__ would be the prototype.
      const document =
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*",' +
        `"Condition":{${JSON.stringify(operator)}:{"aws:username":"${userName}"}}}]}`;
      const error = await awsError(() =>
        admin.send(
          new PutUserPolicyCommand({ UserName: userName, PolicyName: "proto", PolicyDocument: document }),
        ),
      );
      expect(error.name).toBe("MalformedPolicyDocumentException");
      expect(error.message).toBe(`Invalid Condition type : ${operator}`);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(
        (
          await awsError(() =>
            admin.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: "proto" })),
          )
        ).name,
      ).toBe("NoSuchEntityException");
      expect((await admin.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames).toEqual([
        "self",
      ]);

      const { AccessKey } = await admin.send(new CreateAccessKeyCommand({ UserName: userName }));
      const user = client({
        accessKeyId: AccessKey!.AccessKeyId!,
        secretAccessKey: AccessKey!.SecretAccessKey!,
      });
      expect((await user.send(new GetUserCommand({ UserName: userName }))).User?.UserName).toBe(userName);
      // A call the policy does not allow is refused as such, not answered with an InternalFailure.
      const denied = await awsError(() => user.send(new GetUserCommand({ UserName: "admin" })));
      expect(denied.name).toBe("AccessDenied");
      expect(denied.$metadata.httpStatusCode).toBe(403);
    });
  }
});
