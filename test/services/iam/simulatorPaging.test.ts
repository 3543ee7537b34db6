import {
  IAMClient,
  SimulateCustomPolicyCommand,
  type SimulateCustomPolicyCommandInput,
  SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { evaluate } from "../../../src/core/policy/evaluate.js";
import { MAX_SIMULATED_PAIRS } from "../../../src/services/iam/simulate.js";
import { awsError, startTestFedsim, type TestFedsim } from "../../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN, REGION } from "../../helpers/petstore.js";

// Counts evaluations, to show that only the requested page of a simulation is evaluated.
vi.mock("../../../src/core/policy/evaluate.js", async (original) => {
  const actual = await original<typeof import("../../../src/core/policy/evaluate.js")>();
  return { ...actual, evaluate: vi.fn(actual.evaluate) };
});

const GETS_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "*" }],
});
/** s3:GetObject0, s3:PutObject1, s3:GetObject2, ...: every other action allowed. */
const actions = (n: number) =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `s3:GetObject${i}` : `s3:PutObject${i}`));
const expectedDecision = (action: string) => (action.startsWith("s3:Get") ? "allowed" : "implicitDeny");
const buckets = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${i}/key`);

describe("the policy simulator pages its EvaluationResults and caps its size", () => {
  let fedsim: TestFedsim;
  let iam: IAMClient;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    iam = new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 });
  });
  afterAll(() => fedsim.stop());

  const simulate = (input: Omit<SimulateCustomPolicyCommandInput, "PolicyInputList">) =>
    iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [GETS_ONLY], ...input }));

  it("answers 100 results a page by default, with IsTruncated and a Marker that resumes where it stopped", async () => {
    const sent = actions(250);
    const first = await simulate({ ActionNames: sent });
    expect(first.EvaluationResults).toHaveLength(100);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeDefined();
    const second = await simulate({ ActionNames: sent, Marker: first.Marker, MaxItems: 120 });
    expect(second.EvaluationResults).toHaveLength(120);
    expect(second.IsTruncated).toBe(true);
    const last = await simulate({ ActionNames: sent, Marker: second.Marker, MaxItems: 1000 });
    expect(last.EvaluationResults).toHaveLength(30);
    expect(last.IsTruncated).toBe(false);
    expect(last.Marker).toBeUndefined();
    const all = [first, second, last].flatMap((page) => page.EvaluationResults ?? []);
    expect(all.map((r) => r.EvalActionName)).toEqual(sent);
    expect(all.map((r) => r.EvalDecision)).toEqual(sent.map(expectedDecision));
  });

  it("pages SimulatePrincipalPolicy the same way", async () => {
    const sent = actions(3);
    const first = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: ADMIN_ARN, ActionNames: sent, MaxItems: 2 }),
    );
    expect(first.EvaluationResults?.map((r) => r.EvalActionName)).toEqual(sent.slice(0, 2));
    expect(first.IsTruncated).toBe(true);
    const rest = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ADMIN_ARN,
        ActionNames: sent,
        Marker: first.Marker,
      }),
    );
    expect(rest.EvaluationResults?.map((r) => r.EvalActionName)).toEqual(sent.slice(2));
    expect(rest.IsTruncated).toBe(false);
  });

  it("evaluates only the requested page: one more result costs one evaluation per resource", async () => {
    const counted = vi.mocked(evaluate);
    const resources = buckets(100);
    const evaluationsFor = async (maxItems: number) => {
      counted.mockClear();
      const out = await simulate({ ActionNames: actions(100), ResourceArns: resources, MaxItems: maxItems });
      expect(out.EvaluationResults).toHaveLength(maxItems);
      expect(out.EvaluationResults?.[0]?.ResourceSpecificResults).toHaveLength(resources.length);
      return counted.mock.calls.length;
    };
    const one = await evaluationsFor(1);
    const two = await evaluationsFor(2);
    expect(two - one).toBe(resources.length);
    // The whole simulation would be 100 x 100 evaluations; the first page is one action's.
    expect(one).toBeLessThan(2 * resources.length);
  });

  it.each([
    [0, "Member must have value greater than or equal to 1"],
    [1001, "Member must have value less than or equal to 1000"],
  ])("refuses MaxItems %i with ValidationError", async (maxItems, constraint) => {
    const error = await awsError(() => simulate({ ActionNames: actions(1), MaxItems: maxItems }));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: ${constraint}`,
    );
  });

  it(`accepts exactly ${MAX_SIMULATED_PAIRS} action-resource pairs`, async () => {
    const out = await simulate({ ActionNames: actions(100), ResourceArns: buckets(100), MaxItems: 1 });
    expect(out.IsTruncated).toBe(true);
  });

  it("refuses more action-resource pairs than fedsim's limit with InvalidInput, before evaluating any", async () => {
    const counted = vi.mocked(evaluate);
    counted.mockClear();
    const error = await awsError(() =>
      simulate({ ActionNames: actions(100), ResourceArns: buckets(12_000) }),
    );
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `The simulation asks for 100 actions x 12000 resources = 1200000 evaluations; fedsim evaluates at most ${MAX_SIMULATED_PAIRS} action-resource pairs per call (a fedsim limit, not an AWS one). Split ActionNames or ResourceArns over several calls.`,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    // Only the caller's own authorisation was evaluated.
    expect(counted.mock.calls.every((call) => call[0].action === "iam:SimulateCustomPolicy")).toBe(true);
  });

  it("applies the same cap to SimulatePrincipalPolicy", async () => {
    const error = await awsError(() =>
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${ACCOUNT_ID}:user/auditor`,
          ActionNames: actions(2),
          ResourceArns: buckets(5001),
        }),
      ),
    );
    expect(error.name).toBe("InvalidInputException");
    expect(error.message).toBe(
      `The simulation asks for 2 actions x 5001 resources = 10002 evaluations; fedsim evaluates at most ${MAX_SIMULATED_PAIRS} action-resource pairs per call (a fedsim limit, not an AWS one). Split ActionNames or ResourceArns over several calls.`,
    );
  });
});
