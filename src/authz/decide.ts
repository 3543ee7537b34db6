import type { Caller } from "../auth/caller.js";
import { buildContext } from "../core/policy/context.js";
import {
  type EvalPrincipal,
  type EvaluationInput,
  type EvaluationResult,
  evaluate,
  type NamedPolicy,
} from "../core/policy/evaluate.js";
import type { PolicySource } from "./callerPolicies.js";
import type { ContextValue } from "./contextKeys.js";
import { compilePolicy, type PolicyKind } from "./policyCache.js";

export type DecisionPrincipal = EvalPrincipal;
export type Decision = Pick<EvaluationResult, "decision" | "statements" | "deniedBy"> & {
  missingContextKeys?: string[];
  /** What was evaluated, kept so that the decision log can explain it later without re-reading policies. */
  evaluated?: EvaluationInput;
};

export interface DecideInput {
  principal: DecisionPrincipal;
  action: string;
  resource: string;
  context: Record<string, ContextValue>;
  identity: readonly PolicySource[];
  boundary?: PolicySource;
  /** Undefined: the session has no session policy. */
  session?: readonly PolicySource[];
  rootAllowsAll?: boolean;
  resourcePolicy?: PolicySource & { kind: PolicyKind; accountId: string };
}

/** Evaluates stored policy documents (compiled once and cached) for one request. */
export function decide(input: DecideInput): Decision {
  const named = (source: PolicySource, kind: PolicyKind): NamedPolicy => ({
    id: source.id,
    type: source.type,
    policy: compilePolicy(source.document, kind),
  });
  const evaluated: EvaluationInput = {
    principal: input.principal,
    action: input.action,
    resource: input.resource,
    context: buildContext(input.context),
    identityPolicies: input.identity.map((s) => named(s, "identity")),
    permissionsBoundary: input.boundary && named(input.boundary, "boundary"),
    sessionPolicies: input.session?.map((s) => named(s, "session")),
    resourcePolicy: input.resourcePolicy && {
      ...named(input.resourcePolicy, input.resourcePolicy.kind),
      accountId: input.resourcePolicy.accountId,
    },
    rootAllowsAll: input.rootAllowsAll,
  };
  const result = evaluate(evaluated);
  return { decision: result.decision, statements: result.statements, deniedBy: result.deniedBy, evaluated };
}

export function principalFromCaller(caller: Caller): DecisionPrincipal {
  return {
    kind: caller.kind,
    arn: caller.arn,
    accountId: caller.accountId,
    roleArn: caller.kind === "assumed-role" ? (caller.session?.roleArn ?? undefined) : undefined,
  };
}
