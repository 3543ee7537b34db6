import { AwsError } from "../errors.js";
import type { Store } from "../store/store.js";
import { encodeAuthorizationMessage } from "./authorizationMessage.js";
import type { ContextValue } from "./contextKeys.js";
import type { Decision } from "./decide.js";

/** AWS's denial text, naming the policy type that denied (as AWS's newer messages do). */
export function denialText(
  principalArn: string,
  action: string,
  resource: string,
  decision: Decision,
): string {
  const on = resource === "*" ? "" : ` on resource: ${resource}`;
  const by = decision.deniedBy ?? "identity-based";
  const why =
    decision.decision === "explicitDeny"
      ? ` with an explicit deny in ${/^[aeiou]/i.test(by) ? "an" : "a"} ${by} policy`
      : ` because no ${by} policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action}${on}${why}`;
}

/**
 * The AccessDenied error. With `explain`, an encoded authorization message is appended that
 * DecodeAuthorizationMessage turns back into the decision, the statements that made it and the request context.
 */
export function accessDenied(
  principalArn: string,
  action: string,
  resource: string,
  decision: Decision,
  explain?: { store: Store; principalId: string; context: Record<string, ContextValue> },
): AwsError {
  let message = denialText(principalArn, action, resource, decision);
  if (explain) {
    const encoded = encodeAuthorizationMessage(explain.store, {
      allowed: false,
      explicitDeny: decision.decision === "explicitDeny",
      matchedStatements: {
        items: decision.statements.map(
          ({ sourcePolicyId, sourcePolicyType, sid, index, effect, start, end }) => ({
            sourcePolicyId,
            sourcePolicyType,
            sid,
            index,
            effect,
            start,
            end,
          }),
        ),
      },
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
      fedsimDeniedBy: decision.deniedBy ?? "identity-based",
    });
    message += `. Encoded authorization failure message: ${encoded}`;
  }
  return new AwsError("AccessDenied", message, { status: 403 });
}

function iamUserName(arn: string): string | undefined {
  return /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
}
