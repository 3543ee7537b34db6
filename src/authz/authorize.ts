import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";
import type { Store } from "../store/store.js";
import { accessDenied, denialText } from "./accessDenied.js";
import { callerPolicies } from "./callerPolicies.js";
import { type ContextValue, callerContextKeys } from "./contextKeys.js";
import { type Decision, decide, principalFromCaller } from "./decide.js";
import type { DecisionSink } from "./decisionRecord.js";
import { allowReason, recordEvaluation } from "./recordDecision.js";

/** What authorisation reads: the store (policies), whether policies are enforced, and where decisions go. */
export interface AuthzDeps {
  store: Store;
  settings: { enforcePolicies: boolean };
  decisions: DecisionSink;
}

export interface AuthorizeRequest {
  /** e.g. iam:CreateRole */
  action: string;
  /** ARN of the resource acted on, or "*" for actions without one. */
  resource: string;
  /** Extra condition keys for this request (e.g. iam:PolicyARN, aws:RequestTag/...). */
  context?: Record<string, ContextValue>;
}

/**
 * Authorises the signed caller for one action against its identity policies, permissions boundary and
 * session policies, records the decision, and throws AccessDenied with AWS's message when it is not an
 * allow. Off (nothing evaluated, nothing recorded) when enforcePolicies is false.
 */
export function authorize(
  authz: AuthzDeps,
  ctx: RequestContext & { caller: Caller },
  request: AuthorizeRequest,
): Decision | undefined {
  if (!authz.settings.enforcePolicies) return undefined;
  const { caller } = ctx;
  // The root user is allowed everything in its own account (session policies still bound its sessions).
  const policies = callerPolicies(authz.store, caller);
  const context = { ...callerContextKeys(caller, ctx), ...request.context };
  const decision = decide({
    principal: principalFromCaller(caller),
    action: request.action,
    resource: request.resource,
    context,
    identity: policies.identity,
    boundary: policies.boundary,
    session: policies.session,
    rootAllowsAll: caller.kind === "root",
  });
  const subject = {
    service: request.action.slice(0, request.action.indexOf(":")),
    principal: caller.arn,
    action: request.action,
    resource: request.resource,
  };
  if (decision.decision !== "allowed") {
    recordEvaluation(
      authz.decisions,
      ctx,
      subject,
      decision,
      denialText(caller.arn, request.action, request.resource, decision),
    );
    throw accessDenied(caller.arn, request.action, request.resource, decision, {
      store: authz.store,
      principalId: caller.userId,
      context,
    });
  }
  recordEvaluation(authz.decisions, ctx, subject, decision, allowReason(decision));
  return decision;
}
