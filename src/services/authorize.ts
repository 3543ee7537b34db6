import { AwsError } from "../errors.js";
import type { ServiceDeps, SignedContext } from "./operation.js";
import { type Decision, decide, principalFromCaller } from "./policyDecision.js";
import { callerPolicies } from "./principalPolicies.js";
import { type ContextValue, callerContextKeys } from "./requestContext.js";
import { encodeAuthorizationMessage } from "./sts/authorizationMessage.js";

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
 * session policies; throws AccessDenied with AWS's message otherwise. Off when enforcePolicies is false.
 */
export function authorize(
  deps: ServiceDeps,
  ctx: SignedContext,
  request: AuthorizeRequest,
): Decision | undefined {
  if (!deps.config.settings.enforcePolicies) return undefined;
  const { caller } = ctx;
  // The root user is allowed everything in its own account (session policies still bound its sessions).
  const policies = callerPolicies(deps.store, caller);
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
  if (decision.decision !== "allowed") {
    throw accessDenied(caller.arn, request.action, request.resource, decision, {
      deps,
      principalId: caller.userId,
      context,
    });
  }
  return decision;
}

/**
 * AWS's denial text, naming the policy type that denied (as AWS's newer messages do). With `explain`, an
 * encoded authorization message is appended that DecodeAuthorizationMessage turns back into the decision,
 * the statements that made it and the request context.
 */
export function accessDenied(
  principalArn: string,
  action: string,
  resource: string,
  decision: Decision,
  explain?: { deps: ServiceDeps; principalId: string; context: Record<string, ContextValue> },
): AwsError {
  const on = resource === "*" ? "" : ` on resource: ${resource}`;
  const by = decision.deniedBy ?? "identity-based";
  const why =
    decision.decision === "explicitDeny"
      ? ` with an explicit deny in ${/^[aeiou]/i.test(by) ? "an" : "a"} ${by} policy`
      : ` because no ${by} policy allows the ${action} action`;
  let message = `User: ${principalArn} is not authorized to perform: ${action}${on}${why}`;
  if (explain) {
    const encoded = encodeAuthorizationMessage(explain.deps.store, {
      allowed: false,
      explicitDeny: decision.decision === "explicitDeny",
      matchedStatements: { items: decision.statements },
      failures: { items: [] },
      context: {
        // AWS names IAM users (id, name, arn); other principals have no name there.
        principal: { id: explain.principalId, name: iamUserName(principalArn), arn: principalArn },
        action,
        resource,
        conditions: {
          items: Object.entries(explain.context).map(([key, value]) => ({
            key,
            values: { items: (Array.isArray(value) ? value : [value]).map((v) => ({ value: String(v) })) },
          })),
        },
      },
      // Not in AWS's messages: which policy type denied, as the denial text also says.
      fedsimDeniedBy: by,
    });
    message += `. Encoded authorization failure message: ${encoded}`;
  }
  return new AwsError("AccessDenied", message, { status: 403 });
}

function iamUserName(arn: string): string | undefined {
  return /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}
