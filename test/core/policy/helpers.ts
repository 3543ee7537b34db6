import { buildContext, type ContextInput } from "../../../src/core/policy/context.js";
import {
  type EvalPrincipal,
  type EvaluationInput,
  evaluate,
  type NamedPolicy,
} from "../../../src/core/policy/evaluate.js";
import { parsePolicy } from "../../../src/core/policy/parse.js";
import type { PolicyKind } from "../../../src/core/policy/types.js";

export const USER: EvalPrincipal = {
  kind: "user",
  arn: "arn:aws:iam::111122223333:user/carol",
  accountId: "111122223333",
};

export function named(document: object, kind: PolicyKind = "identity", id = "test-policy"): NamedPolicy {
  const type =
    kind === "boundary"
      ? "PermissionsBoundaryPolicy"
      : kind === "session"
        ? "Session Policy"
        : kind === "identity"
          ? "IAM Policy"
          : "Resource Policy";
  return { id, type, policy: parsePolicy(JSON.stringify(document, null, 2), { kind }) };
}

export function allow(statement: Record<string, unknown>): object {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] };
}

/** Decision for one identity policy statement set against a request. */
export function decide(
  identity: object | object[],
  request: { action?: string; resource?: string; context?: ContextInput } = {},
  extra: Partial<EvaluationInput> = {},
): string {
  const policies = (Array.isArray(identity) ? identity : [identity]).map((d, i) =>
    named(d, "identity", `p${i}`),
  );
  return evaluate({
    principal: USER,
    action: request.action ?? "s3:GetObject",
    resource: request.resource ?? "arn:aws:s3:::bucket/key",
    context: buildContext(request.context ?? {}),
    identityPolicies: policies,
    ...extra,
  }).decision;
}

/** Whether one condition block allows, for operator tests. */
export function conditionAllows(condition: object, context: ContextInput): boolean {
  return decide(allow({ Action: "*", Resource: "*", Condition: condition }), { context }) === "allowed";
}
