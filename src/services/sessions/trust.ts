import type { RequestContext } from "../../auth/requestContext.js";
import { accessDenied, denialText } from "../../authz/accessDenied.js";
import type { PrincipalPolicies } from "../../authz/callerPolicies.js";
import type { ContextValue } from "../../authz/contextKeys.js";
import { type Decision, type DecisionPrincipal, decide } from "../../authz/decide.js";
import type { DecisionSink } from "../../authz/decisionRecord.js";
import { allowReason, recordEvaluation } from "../../authz/recordDecision.js";
import { iamArn, parseArn } from "../../core/arn.js";
import { AwsError } from "../../errors.js";
import type { RoleRow } from "../../store/roles.js";
import type { Tag } from "../../store/tags.js";
import type { RoomDeps } from "../deps.js";
import { durationSeconds } from "./durationSeconds.js";

/**
 * The role named by a RoleArn, which must be its exact ARN (path included). AWS answers a missing role
 * exactly like a refused one, AccessDenied, so that callers cannot probe which roles exist.
 */
export function findRoleForAssume(deps: RoomDeps, roleArn: string, denied: () => AwsError): RoleRow {
  const arn = parseArn(roleArn);
  if (arn?.service !== "iam" || !arn.resource.startsWith("role/")) throw denied();
  const name = arn.resource.slice(arn.resource.lastIndexOf("/") + 1);
  const role = deps.store.roles.findByName(arn.accountId, name);
  if (!role || roleArnOf(role) !== roleArn) throw denied();
  return role;
}

export function roleArnOf(role: RoleRow): string {
  return iamArn(role.accountId, "role", role.name, role.path);
}

/** DurationSeconds: 900 up to the role's MaxSessionDuration, and never over an hour when chaining roles. */
export function roleDuration(role: RoleRow, requested: number | undefined, chained: boolean): number {
  const seconds = durationSeconds(requested, 3600, 900, 43_200);
  if (chained && seconds > 3600) {
    throw new AwsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
  }
  if (seconds > role.maxSessionDuration) {
    throw new AwsError(
      "ValidationError",
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
  }
  return seconds;
}

export interface AssumeRoleAuthorization {
  role: RoleRow;
  action: "sts:AssumeRole" | "sts:AssumeRoleWithSAML" | "sts:AssumeRoleWithWebIdentity";
  principal: DecisionPrincipal;
  /** The caller's own policies (AssumeRole by a user or role); absent for federated principals. */
  callerPolicies?: PrincipalPolicies;
  tags: readonly Tag[];
  transitiveTagKeys: readonly string[];
  sourceIdentity?: string;
  /** Condition keys of the request (global keys, federation keys, sts:* keys); request tags are added here. */
  context: Record<string, ContextValue>;
  /** AWS's denial text for this API. */
  denied: (action: string, decision: Decision) => AwsError;
  /** Where each trust evaluation is recorded, for which request, and who asked (an ARN). */
  log: { decisions: DecisionSink; ctx: RequestContext; principal: string };
}

/**
 * The trust policy (a resource-based policy on the role) and, for IAM principals, the caller's own
 * identity policies must allow the action; passing tags also needs sts:TagSession, and a source identity
 * sts:SetSourceIdentity, as AWS requires. Returns the decisive decision of the main action.
 */
export function authorizeAssumeRole(req: AssumeRoleAuthorization): Decision {
  const context: Record<string, ContextValue> = { ...req.context };
  if (req.tags.length > 0) {
    for (const t of req.tags) context[`aws:RequestTag/${t.key}`] = t.value;
    context["aws:TagKeys"] = req.tags.map((t) => t.key);
  }
  if (req.transitiveTagKeys.length > 0) context["sts:TransitiveTagKeys"] = [...req.transitiveTagKeys];
  if (req.sourceIdentity) context["sts:SourceIdentity"] = req.sourceIdentity;

  const actions: string[] = [req.action];
  if (req.tags.length > 0) actions.push("sts:TagSession");
  if (req.sourceIdentity) actions.push("sts:SetSourceIdentity");
  const resource = roleArnOf(req.role);
  let main: Decision | undefined;
  for (const action of actions) {
    const decision = decide({
      principal: req.principal,
      action,
      resource,
      context,
      identity: req.callerPolicies?.identity ?? [],
      boundary: req.callerPolicies?.boundary,
      session: req.callerPolicies?.session,
      rootAllowsAll: req.principal.kind === "root",
      resourcePolicy: {
        id: `${resource} (trust policy)`,
        type: "Resource Policy",
        document: req.role.assumeRolePolicy,
        kind: "trust",
        accountId: req.role.accountId,
      },
    });
    const subject = { service: "sts", principal: req.log.principal, action, resource };
    if (decision.decision !== "allowed") {
      recordEvaluation(
        req.log.decisions,
        req.log.ctx,
        subject,
        decision,
        denialText(req.log.principal, action, resource, decision),
      );
      throw req.denied(action, decision);
    }
    recordEvaluation(req.log.decisions, req.log.ctx, subject, decision, allowReason(decision));
    main ??= decision;
  }
  return main!;
}

/** The standard denial for IAM principals: "User: ARN is not authorized to perform: sts:AssumeRole on resource: ROLE". */
export function assumeRoleDenied(
  deps: RoomDeps,
  caller: { arn: string; userId: string },
  roleArn: string,
  context: Record<string, ContextValue>,
) {
  return (action: string, decision: Decision) =>
    accessDenied(caller.arn, action, roleArn, decision, {
      store: deps.store,
      principalId: caller.userId,
      context,
    });
}
