/**
 * An identity pool's role mapping for one login provider, as SetIdentityPoolRoles takes it, and the choice of
 * role it makes for a login's claims. Pure: the caller supplies the claims of a login it has verified.
 */
export type MatchType = "Equals" | "Contains" | "StartsWith" | "NotEqual";
export type AmbiguousRoleResolution = "AuthenticatedRole" | "Deny";

export interface MappingRule {
  Claim: string;
  MatchType: MatchType;
  Value: string;
  RoleARN: string;
}

export interface RoleMapping {
  Type: "Token" | "Rules";
  AmbiguousRoleResolution?: AmbiguousRoleResolution;
  RulesConfiguration?: { Rules: MappingRule[] };
}

/** AWS documents at most 25 rules per provider (the model allows 400). */
export const MAX_RULES = 25;

/**
 * What the mapping decided: a role ARN, the pool's authenticated role (nothing matched and the mapping says
 * so, or there is no mapping), or a refusal (nothing matched and the mapping says Deny). `why` is for the
 * decision log.
 */
export type RoleChoice =
  | { kind: "role"; roleArn: string; why: string }
  | { kind: "default"; why: string }
  | { kind: "deny"; why: string }
  | { kind: "refuse"; why: string };

/** A claim's values as rules compare them: strings, numbers and booleans as text; arrays element by element. */
function claimValues(claims: ReadonlyMap<string, unknown>, name: string): string[] | undefined {
  if (!claims.has(name)) return undefined;
  const value = claims.get(name);
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
  }
  return out;
}

/**
 * One rule against the claims. A claim with several values (a list such as groups) matches Equals,
 * Contains and StartsWith when any value does, and NotEqual when none is equal. A claim the login lacks
 * matches nothing, NotEqual included: a rule meant to exclude a value must not admit everyone who simply
 * has no such claim.
 */
export function ruleMatches(rule: MappingRule, claims: ReadonlyMap<string, unknown>): boolean {
  const values = claimValues(claims, rule.Claim);
  if (values === undefined || values.length === 0) return false;
  switch (rule.MatchType) {
    case "Equals":
      return values.some((v) => v === rule.Value);
    case "Contains":
      return values.some((v) => v.includes(rule.Value));
    case "StartsWith":
      return values.some((v) => v.startsWith(rule.Value));
    case "NotEqual":
      return values.every((v) => v !== rule.Value);
  }
}

/** Rules in order, the first match wins; no match falls to AmbiguousRoleResolution. */
function byRules(mapping: RoleMapping, claims: ReadonlyMap<string, unknown>): RoleChoice {
  const rules = mapping.RulesConfiguration?.Rules ?? [];
  for (const [i, rule] of rules.entries()) {
    if (ruleMatches(rule, claims))
      return {
        kind: "role",
        roleArn: rule.RoleARN,
        why: `rule ${i + 1} (${rule.Claim} ${rule.MatchType} ${JSON.stringify(rule.Value)}) matched`,
      };
  }
  return ambiguous(mapping, `none of the ${rules.length} rules matched the login's claims`);
}

/**
 * Token mapping: cognito:preferred_role, else the only entry of cognito:roles; CustomRoleArn picks among
 * cognito:roles and must be one of them.
 */
function byToken(
  mapping: RoleMapping,
  claims: ReadonlyMap<string, unknown>,
  customRoleArn: string | undefined,
): RoleChoice {
  const roles = claimValues(claims, "cognito:roles") ?? [];
  if (customRoleArn !== undefined) {
    if (roles.includes(customRoleArn))
      return {
        kind: "role",
        roleArn: customRoleArn,
        why: "CustomRoleArn is among the token's cognito:roles",
      };
    return {
      kind: "refuse",
      why: `CustomRoleArn ${customRoleArn} is not among the token's cognito:roles (${roles.join(", ") || "none"})`,
    };
  }
  const preferred = claimValues(claims, "cognito:preferred_role")?.[0];
  if (preferred !== undefined)
    return { kind: "role", roleArn: preferred, why: "the token's cognito:preferred_role" };
  if (roles.length === 1)
    return { kind: "role", roleArn: roles[0]!, why: "the token's only cognito:roles entry" };
  return ambiguous(
    mapping,
    roles.length === 0
      ? "the token has no cognito:preferred_role and no cognito:roles"
      : `the token has no cognito:preferred_role and ${roles.length} cognito:roles`,
  );
}

function ambiguous(mapping: RoleMapping, why: string): RoleChoice {
  return mapping.AmbiguousRoleResolution === "Deny"
    ? { kind: "deny", why: `${why}, and AmbiguousRoleResolution is Deny` }
    : { kind: "default", why: `${why}; AmbiguousRoleResolution gives the pool's authenticated role` };
}

export function chooseMappedRole(
  mapping: RoleMapping,
  claims: ReadonlyMap<string, unknown>,
  customRoleArn: string | undefined,
): RoleChoice {
  return mapping.Type === "Token" ? byToken(mapping, claims, customRoleArn) : byRules(mapping, claims);
}
