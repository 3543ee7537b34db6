import type { ServiceDeps, SignedContext } from "./operation.js";

export interface AuthorizeRequest {
  /** e.g. iam:CreateRole */
  action: string;
  /** ARN of the resource acted on, or "*" for actions without one. */
  resource: string;
  /** Extra condition keys for this request (e.g. iam:PolicyARN, aws:RequestTag/...). */
  context?: Record<string, string | string[] | boolean | number>;
}

/**
 * Authorises the signed caller for one action against its identity policies, permissions boundary and
 * session policies; throws AccessDenied with AWS's message otherwise.
 * WIRING PENDING: evaluation lands with src/core/policy (issue 3); until then every call is allowed.
 */
export function authorize(deps: ServiceDeps, _ctx: SignedContext, _request: AuthorizeRequest): void {
  if (!deps.config.settings.enforcePolicies) return;
}
