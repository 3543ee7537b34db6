import { IAMClient, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SIMULATION_STEPS } from "../../../src/services/iam/simulate.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { ADMIN, REGION } from "../../helpers/petstore.js";

/** A policy allowing s3:GetObject when the context key `key` equals `value`, as JSON text. */
const requiring = (key: string, value: string) =>
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",' +
  `"Condition":{"StringEquals":{${JSON.stringify(key)}:${JSON.stringify(value)}}}}]}`;

describe("the policy simulator's context entries and matching budget", () => {
  let fedsim: TestFedsim;
  let iam: IAMClient;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
  });
  afterAll(() => fedsim.stop());

  const simulate = (policy: string, entries: { ContextKeyName: string; ContextKeyValues: string[] }[]) =>
    iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ["s3:GetObject"],
        ContextEntries: entries.map((e) => ({ ...e, ContextKeyType: "string" })),
      }),
    );

  it.each([
    ["a 4-character", "abcd", 2, "Member must have length greater than or equal to 5"],
    ["a 257-character", `aws:${"k".repeat(253)}`, 1, "Member must have length less than or equal to 256"],
  ])(
    "refuses %s ContextKeyName with ValidationError, as IAM's 5-256 limit",
    async (_, name, at, constraint) => {
      const entries = [{ ContextKeyName: "aws:username", ContextKeyValues: ["alice"] }];
      entries.splice(at - 1, 0, { ContextKeyName: name, ContextKeyValues: ["x"] });
      const error = await awsError(() => simulate(requiring("aws:username", "alice"), entries));
      expect(error.name).toBe("ValidationError");
      const shown = name.length > 128 ? `${name.slice(0, 128)}...` : name;
      expect(error.message).toBe(
        `1 validation error detected: Value '${shown}' at 'contextEntries.${at}.member.contextKeyName' failed to satisfy constraint: ${constraint}`,
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
    },
  );

  it.each([
    ["5", "a:bcd"],
    ["256", `aws:${"k".repeat(252)}`],
  ])("accepts a %s-character ContextKeyName", async (_, name) => {
    const out = await simulate(requiring(name, "yes"), [{ ContextKeyName: name, ContextKeyValues: ["yes"] }]);
    expect(out.EvaluationResults?.[0]?.EvalDecision).toBe("allowed");
  });

  it("keeps a ContextKeyName __proto__ as a key, not as the context's prototype", async () => {
    const out = await simulate(requiring("__proto__", "yes"), [
      { ContextKeyName: "__proto__", ContextKeyValues: ["yes"] },
      { ContextKeyName: "aws:username", ContextKeyValues: ["alice"] },
    ]);
    expect(out.EvaluationResults?.[0]).toMatchObject({
      EvalDecision: "allowed",
      MissingContextValues: [],
    });
    const denied = await simulate(requiring("__proto__", "yes"), [
      { ContextKeyName: "__proto__", ContextKeyValues: ["no"] },
    ]);
    expect(denied.EvaluationResults?.[0]?.EvalDecision).toBe("implicitDeny");
  });

  it("refuses a simulation whose wildcards need more than fedsim's budget with InvalidInput", async () => {
    // A piece with '?' between literal characters against a value that holds each of its prefixes: 400,000
    // characters × 313 words of shift-and, 1.25 × 10^8 steps.
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringLike: { "aws:UserAgent": `*${"a?".repeat(5000)}b*` } },
        },
      ],
    });
    const error = await awsError(() =>
      simulate(policy, [{ ContextKeyName: "aws:UserAgent", ContextKeyValues: ["a".repeat(400_000)] }]),
    );
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `The simulation needs more than ${MAX_SIMULATION_STEPS} steps of wildcard matching; fedsim spends at most ${MAX_SIMULATION_STEPS} per call (a fedsim limit, not an AWS one). Shorten long patterns with '?' between literal characters or long context values, or split ActionNames or ResourceArns over several calls.`,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("answers the same wildcard against a value it can match within the budget", async () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringLike: { "aws:UserAgent": `*${"a?".repeat(5000)}b*` } },
        },
      ],
    });
    const value = `${"x".repeat(20_000)}${"ab".repeat(5000)}b`;
    const out = await simulate(policy, [{ ContextKeyName: "aws:UserAgent", ContextKeyValues: [value] }]);
    expect(out.EvaluationResults?.[0]?.EvalDecision).toBe("allowed");
  });
});
