import { conditionsHold, missingKeys } from "./conditions.js";
import { type EvalPrincipal, matchPrincipal, notPrincipalSpares, type PrincipalMatch } from "./principals.js";
import { resourceMatches, type SplitResource, splitResource } from "./resources.js";
import type { ContextMap, Policy, Statement } from "./types.js";
import { variableKeys } from "./variables.js";

export type { EvalPrincipal } from "./principals.js";

export type PolicySourceType =
  | "IAM Policy"
  | "Resource Policy"
  | "PermissionsBoundaryPolicy"
  | "Session Policy";

export interface NamedPolicy {
  /** Inline policy name, managed policy ARN, or a label. */
  id: string;
  type: PolicySourceType;
  policy: Policy;
}

export interface MatchedStatement {
  sourcePolicyId: string;
  sourcePolicyType: PolicySourceType;
  sid?: string;
  index: number;
  effect: "Allow" | "Deny";
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export type DeniedBy = "identity-based" | "resource-based" | "permissions boundary" | "session";

export interface EvaluationInput {
  principal: EvalPrincipal;
  action: string;
  resource: string;
  context: ContextMap;
  identityPolicies: readonly NamedPolicy[];
  /** A resource-based policy (a role's trust policy is one), and the account that owns the resource. */
  resourcePolicy?: NamedPolicy & { accountId: string };
  permissionsBoundary?: NamedPolicy;
  /** Undefined: no session policy. An empty list: a session with no policy allowing anything. */
  sessionPolicies?: readonly NamedPolicy[];
  /** The account root: allowed in its own account unless denied. */
  rootAllowsAll?: boolean;
  /** Collect the condition keys the request lacks (the simulator's MissingContextValues); off on hot paths. */
  collectMissingKeys?: boolean;
}

export interface EvaluationResult {
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  /** The statements that decided: the denying ones, or the allowing ones. */
  statements: MatchedStatement[];
  /** For denials: which kind of policy is responsible, for AWS's "because no X policy allows" wording. */
  deniedBy?: DeniedBy;
  /** Condition keys the matching statements read that the request lacks. */
  missingContextKeys: string[];
}

/**
 * AWS's evaluation logic (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * an explicit Deny anywhere wins; otherwise an Allow is needed from an identity-based or resource-based policy
 * (both, across accounts), and a permissions boundary and session policies, when present, must also allow.
 * Role trust policies are the exception AWS documents: they must always allow, and one that names only the
 * account (not the principal itself) needs the caller's identity policies to allow as well.
 */
export function evaluate(input: EvaluationInput): EvaluationResult {
  const missing = input.collectMissingKeys ? new Map<string, string>() : undefined;
  const resource = splitResource(input.resource);
  const denies: MatchedStatement[] = [];
  const scan = (p: NamedPolicy | undefined, effect: "Allow" | "Deny", principalCheck: boolean) =>
    p ? matching(p, input, resource, effect, principalCheck, missing) : [];

  for (const p of input.identityPolicies) denies.push(...scan(p, "Deny", false).map((m) => m.statement));
  const resourceDenies = input.resourcePolicy ? scan(input.resourcePolicy, "Deny", true) : [];
  denies.push(...resourceDenies.map((m) => m.statement));
  const boundaryDenies = scan(input.permissionsBoundary, "Deny", false);
  denies.push(...boundaryDenies.map((m) => m.statement));
  for (const p of input.sessionPolicies ?? []) denies.push(...scan(p, "Deny", false).map((m) => m.statement));
  if (denies.length > 0) {
    const first = denies[0]!.sourcePolicyType;
    return {
      decision: "explicitDeny",
      statements: denies,
      deniedBy: deniedByType(first),
      missingContextKeys: missing ? [...missing.values()] : [],
    };
  }

  const identityAllows = input.identityPolicies.flatMap((p) =>
    scan(p, "Allow", false).map((m) => m.statement),
  );
  const identityAllowed = identityAllows.length > 0 || input.rootAllowsAll === true;
  const resourceAllows = input.resourcePolicy ? scan(input.resourcePolicy, "Allow", true) : [];
  const resourceSpecific = resourceAllows.filter((m) => m.principal === "specific").map((m) => m.statement);
  const resourceAny = resourceAllows.map((m) => m.statement);
  const isTrust = input.resourcePolicy?.policy.kind === "trust";
  const crossAccount =
    input.resourcePolicy !== undefined && input.resourcePolicy.accountId !== input.principal.accountId;
  const deny = (deniedBy: DeniedBy): EvaluationResult => ({
    decision: "implicitDeny",
    statements: [],
    deniedBy,
    missingContextKeys: missing ? [...missing.values()] : [],
  });

  // Federated and service principals have no identity policies: a resource policy naming them decides alone.
  const federated = ["saml", "web-identity", "service", "anonymous"].includes(input.principal.kind);
  if (federated)
    return resourceSpecific.length > 0 ? allowed(resourceSpecific, missing) : deny("resource-based");

  if (isTrust && resourceAny.length === 0) return deny("resource-based");
  if (crossAccount) {
    if (resourceAny.length === 0) return deny("resource-based");
    if (!identityAllowed) return deny("identity-based");
  } else if (resourceSpecific.length > 0) {
    // Within one account a resource policy naming this principal grants on its own; one naming it only
    // through its role (not its session) stays bounded by the session policies and boundary below.
    const viaRoleOnly = input.principal.roleArn !== undefined && !namesSession(input, resourceSpecific);
    if (!viaRoleOnly) return allowed(resourceSpecific, missing);
  } else if (!identityAllowed) {
    return deny("identity-based");
  }
  if (input.permissionsBoundary && scan(input.permissionsBoundary, "Allow", false).length === 0)
    return deny("permissions boundary");
  if (
    input.sessionPolicies !== undefined &&
    !input.sessionPolicies.some((p) => scan(p, "Allow", false).length > 0)
  ) {
    return deny("session");
  }
  return allowed(identityAllows.length > 0 ? identityAllows : resourceAny, missing);
}

function namesSession(input: EvaluationInput, statements: readonly MatchedStatement[]): boolean {
  const policy = input.resourcePolicy!.policy;
  return statements.some(
    (m) => policy.statements[m.index]?.principals?.aws.includes(input.principal.arn) ?? false,
  );
}

function allowed(statements: MatchedStatement[], missing: Map<string, string> | undefined): EvaluationResult {
  return { decision: "allowed", statements, missingContextKeys: missing ? [...missing.values()] : [] };
}

function deniedByType(type: PolicySourceType): DeniedBy {
  switch (type) {
    case "IAM Policy":
      return "identity-based";
    case "Resource Policy":
      return "resource-based";
    case "PermissionsBoundaryPolicy":
      return "permissions boundary";
    case "Session Policy":
      return "session";
  }
}

interface Match {
  statement: MatchedStatement;
  principal: PrincipalMatch;
}

function matching(
  p: NamedPolicy,
  input: EvaluationInput,
  resource: SplitResource,
  effect: "Allow" | "Deny",
  principalCheck: boolean,
  missing: Map<string, string> | undefined,
): Match[] {
  const out: Match[] = [];
  for (const s of p.policy.statements) {
    if (s.effect !== effect) continue;
    let principal: PrincipalMatch = "specific";
    if (principalCheck) {
      if (s.principals) principal = matchPrincipal(s.principals, input.principal);
      else if (s.notPrincipals)
        principal = notPrincipalSpares(
          s.notPrincipals,
          input.principal,
          input.permissionsBoundary !== undefined,
        )
          ? "none"
          : "specific";
      if (principal === "none") continue;
    }
    if (!actionApplies(s, input.action)) continue;
    // A Resource variable the request cannot resolve is a missing context value too (the simulator reports it).
    if (missing && p.policy.version === "2012-10-17")
      for (const r of s.resources ?? s.notResources ?? [])
        for (const key of variableKeys(r.text)) {
          const lower = key.toLowerCase();
          if (!input.context.has(lower) && !missing.has(lower)) missing.set(lower, key);
        }
    if (p.policy.kind !== "trust" && !resourceApplies(s, resource, input.context)) continue;
    if (missing) missingKeys(s.conditions, input.context, missing);
    if (!conditionsHold(s.conditions, input.context)) continue;
    out.push({
      principal,
      statement: {
        sourcePolicyId: p.id,
        sourcePolicyType: p.type,
        sid: s.sid,
        index: s.index,
        effect: s.effect,
        start: s.start,
        end: s.end,
      },
    });
  }
  return out;
}

export function actionApplies(s: Statement, action: string): boolean {
  if (s.actions) return s.actions.some((r) => r.test(action));
  return !s.notActions!.some((r) => r.test(action));
}

/**
 * Resource/NotResource. An entry whose variable cannot be resolved never helps the statement apply: it
 * matches nothing in Resource, and counts as matched in NotResource ("If AWS cannot resolve a variable, this
 * might cause the entire statement to be invalid").
 */
export function resourceApplies(s: Statement, resource: SplitResource, context: ContextMap): boolean {
  if (s.resources) return s.resources.some((r) => resourceMatches(r, resource, context) === true);
  return s.notResources!.every((r) => resourceMatches(r, resource, context) === false);
}
