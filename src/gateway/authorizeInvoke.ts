import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";
import { denialText } from "../authz/accessDenied.js";
import { callerPolicies, type PolicySource } from "../authz/callerPolicies.js";
import { callerContextMap, requestContextMap } from "../authz/contextKeys.js";
import { type DecideInput, type Decision, decide, principalFromCaller } from "../authz/decide.js";
import type { DecisionSink } from "../authz/decisionRecord.js";
import type { PolicyKind } from "../authz/policyCache.js";
import { allowReason, recordEvaluation, recordUnconditional } from "../authz/recordDecision.js";
import type { Store } from "../store/store.js";
import { type GatewayAnswer, notAuthorized } from "./answers.js";
import type { CompiledApi } from "./apis.js";

const ACTION = "execute-api:Invoke";
const ANONYMOUS = "anonymous";

/** What a cross-account caller meets at an API without a resource policy: nothing is granted there. */
const NO_RESOURCE_POLICY = '{"Version":"2012-10-17","Statement":[]}';

/**
 * execute-api:Invoke as API Gateway decides it: for AWS_IAM routes the caller's identity policies, session
 * policies and permissions boundary with the API's resource policy (within the API's account an Allow in
 * either suffices, across accounts both must allow, an explicit Deny anywhere wins); for NONE routes the
 * resource policy alone, for the anonymous caller. Every decision is recorded; a denial is returned as
 * API Gateway answers it, undefined means allowed.
 */
export function authorizeInvoke(
  store: Store,
  decisions: DecisionSink,
  ctx: RequestContext,
  caller: Caller | undefined,
  api: CompiledApi,
  resource: string,
): GatewayAnswer | undefined {
  const subject = { service: "execute-api", principal: caller?.arn ?? ANONYMOUS, action: ACTION, resource };
  let input: DecideInput;
  if (caller === undefined) {
    if (api.resourcePolicy === undefined) {
      recordUnconditional(
        decisions,
        ctx,
        subject,
        "Allowed: the route's authorization is NONE and the API has no resource policy.",
      );
      return undefined;
    }
    input = {
      principal: { kind: "anonymous", arn: ANONYMOUS, accountId: "" },
      action: ACTION,
      resource,
      context: requestContextMap(ctx),
      identity: [],
      resourcePolicy: api.resourcePolicy,
    };
  } else {
    const policies = callerPolicies(store, caller);
    input = {
      principal: principalFromCaller(caller),
      action: ACTION,
      resource,
      context: callerContextMap(caller, ctx),
      identity: policies.identity,
      boundary: policies.boundary,
      session: policies.session,
      rootAllowsAll: caller.kind === "root",
      resourcePolicy: api.resourcePolicy ?? crossAccountStandIn(api, caller),
    };
  }
  const decision: Decision = decide(input);
  if (decision.decision === "allowed") {
    recordEvaluation(decisions, ctx, subject, decision, allowReason(decision));
    return undefined;
  }
  recordEvaluation(
    decisions,
    ctx,
    subject,
    decision,
    denialText(subject.principal, ACTION, resource, decision),
  );
  return notAuthorized(subject.principal, resource, decision.decision === "explicitDeny");
}

/** Across accounts an API's resource policy must allow: one that does not exist allows nothing. */
function crossAccountStandIn(
  api: CompiledApi,
  caller: Caller,
): (PolicySource & { kind: PolicyKind; accountId: string }) | undefined {
  if (caller.accountId === api.accountId) return undefined;
  return {
    id: `${api.id} (no resource policy)`,
    type: "Resource Policy",
    kind: "resource",
    accountId: api.accountId,
    document: NO_RESOURCE_POLICY,
  };
}
