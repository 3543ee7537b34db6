import type { Caller } from "../auth/caller.js";
import { buildContext } from "../core/policy/context.js";
import {
  type EvalPrincipal,
  type EvaluationInput,
  type EvaluationResult,
  evaluate,
  type NamedPolicy,
} from "../core/policy/evaluate.js";
import type { ContextMap } from "../core/policy/types.js";
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
  /** The condition keys, or (from callerContextMap, on hot paths) the map evaluation reads, built already. */
  context: Record<string, ContextValue> | ContextMap;
  identity: readonly PolicySource[];
  boundary?: PolicySource;
  /** Undefined: the session has no session policy. */
  session?: readonly PolicySource[];
  rootAllowsAll?: boolean;
  resourcePolicy?: PolicySource & { kind: PolicyKind; accountId: string };
}

/**
 * Compiled policies by source: callerPolicies hands back the same (frozen) sources until an IAM write, and an
 * API's resource policy is one object for the API's life, so most requests find theirs here by identity.
 */
const namedBySource = new WeakMap<PolicySource, { kind: PolicyKind; named: NamedPolicy }>();

function named(source: PolicySource, kind: PolicyKind): NamedPolicy {
  const cached = namedBySource.get(source);
  if (cached?.kind === kind && cached.named.id === source.id && cached.named.type === source.type)
    return cached.named;
  const made: NamedPolicy = {
    id: source.id,
    type: source.type,
    policy: compilePolicy(source.document, kind),
  };
  // Only frozen sources: one that can still change could hold another document next time.
  if (Object.isFrozen(source)) namedBySource.set(source, { kind, named: made });
  return made;
}

/** Evaluates stored policy documents (compiled once and cached) for one request. */
export function decide(input: DecideInput): Decision {
  const evaluated: EvaluationInput = {
    principal: input.principal,
    action: input.action,
    resource: input.resource,
    context:
      input.context instanceof Map
        ? input.context
        : buildContext(input.context as Record<string, ContextValue>),
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
