import { AwsError } from "../../errors.js";
import { compileConditions } from "./conditions.js";
import { statementSpans } from "./positions.js";
import { compilePrincipal } from "./principals.js";
import { compileResource } from "./resources.js";
import type { Policy, PolicyKind, Statement } from "./types.js";
import { type WildcardMatcher, wildcardMatcher } from "./wildcard.js";

export type { Policy, PolicyKind } from "./types.js";

const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Principal",
  "NotPrincipal",
  "Condition",
]);
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;
const MAX_LENGTH = 131_072;

function malformed(message: string): AwsError {
  return new AwsError("MalformedPolicyDocument", message);
}

/**
 * Parses and validates a policy document and compiles it for evaluation. Grammar errors answer
 * MalformedPolicyDocument with a message naming the problem (AWS's wording where AWS has one).
 */
export function parsePolicy(document: string | object, options: { kind?: PolicyKind } = {}): Policy {
  const kind = options.kind ?? "identity";
  const text = typeof document === "string" ? document : JSON.stringify(document);
  if (text.length > MAX_LENGTH) throw malformed(`Policy document is too large: ${text.length} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed("Syntax errors in policy.");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw malformed("Syntax errors in policy.");
  const root = json as Record<string, unknown>;
  for (const key of Object.keys(root)) {
    if (key !== "Version" && key !== "Statement" && key !== "Id")
      throw malformed(`Syntax errors in policy: unknown field ${key}`);
  }
  const version = root.Version ?? "2008-10-17";
  if (version !== "2012-10-17" && version !== "2008-10-17") {
    throw malformed(
      `The policy failed legacy parsing: Version must be "2012-10-17" or "2008-10-17", not ${JSON.stringify(version)}`,
    );
  }
  if (root.Statement === undefined) throw malformed("Syntax errors in policy: missing Statement");
  const raw = Array.isArray(root.Statement) ? root.Statement : [root.Statement];
  const spans = statementSpans(text);
  const sids = new Set<string>();
  const statements = raw.map((s, index) => {
    const statement = compileStatement(s, index, kind, version === "2012-10-17");
    if (statement.sid !== undefined && statement.sid !== "") {
      if (sids.has(statement.sid)) throw malformed("Statement IDs (SID) in a single policy must be unique.");
      sids.add(statement.sid);
    }
    const span = spans[index] ?? { start: { line: 1, column: 1 }, end: { line: 1, column: text.length + 1 } };
    return { ...statement, ...span };
  });
  return { version, kind, statements };
}

function compileStatement(
  raw: unknown,
  index: number,
  kind: PolicyKind,
  useVariables: boolean,
): Omit<Statement, "start" | "end"> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw malformed("Syntax errors in policy: each statement must be an object");
  const s = raw as Record<string, unknown>;
  for (const key of Object.keys(s))
    if (!STATEMENT_KEYS.has(key)) throw malformed(`Syntax errors in policy: unknown field ${key}`);
  if (
    s.Sid !== undefined &&
    (typeof s.Sid !== "string" || (kind !== "resource" && kind !== "trust" && !/^[A-Za-z0-9]*$/.test(s.Sid)))
  ) {
    throw malformed(`Statement IDs (SID) must be alpha-numeric: ${JSON.stringify(s.Sid)}`);
  }
  if (s.Effect !== "Allow" && s.Effect !== "Deny")
    throw malformed(`Invalid effect: ${s.Effect === undefined ? "missing" : String(s.Effect)}`);

  if ((s.Action === undefined) === (s.NotAction === undefined)) {
    throw malformed(
      s.Action === undefined
        ? "Policy statement must contain actions."
        : "Policy statement must contain either Action or NotAction, not both.",
    );
  }
  const principalAllowed = kind === "resource" || kind === "trust";
  const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (!principalAllowed && hasPrincipal) throw malformed("Policy document should not specify a principal.");
  if (principalAllowed && !hasPrincipal) throw malformed("Missing required field Principal");
  if (s.Principal !== undefined && s.NotPrincipal !== undefined)
    throw malformed("Policy statement must contain either Principal or NotPrincipal, not both.");
  // NotPrincipal is for Deny statements in resource policies only (reference_policies_elements_notprincipal).
  if (s.NotPrincipal !== undefined && kind === "trust")
    throw malformed("NotPrincipal is not supported in a role trust policy.");
  if (s.NotPrincipal !== undefined && s.Effect !== "Deny")
    throw malformed('NotPrincipal must be used with "Effect": "Deny".');
  const hasResource = s.Resource !== undefined || s.NotResource !== undefined;
  if (kind === "trust" && hasResource)
    throw malformed(`Has prohibited field ${s.Resource !== undefined ? "Resource" : "NotResource"}`);
  if (kind !== "trust") {
    if (!hasResource) throw malformed("Policy statement must contain resources.");
    if (s.Resource !== undefined && s.NotResource !== undefined)
      throw malformed("Policy statement must contain either Resource or NotResource, not both.");
  }
  return {
    sid: s.Sid as string | undefined,
    index,
    effect: s.Effect,
    actions: s.Action === undefined ? undefined : actions(s.Action),
    notActions: s.NotAction === undefined ? undefined : actions(s.NotAction),
    resources: s.Resource === undefined ? undefined : resources(s.Resource, useVariables),
    notResources: s.NotResource === undefined ? undefined : resources(s.NotResource, useVariables),
    principals: s.Principal === undefined ? undefined : compilePrincipal(s.Principal, "Principal"),
    notPrincipals:
      s.NotPrincipal === undefined ? undefined : compilePrincipal(s.NotPrincipal, "NotPrincipal"),
    conditions: compileConditions(s.Condition, useVariables),
  };
}

function strings(value: unknown, field: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string")) {
    throw malformed(`Syntax errors in policy: ${field} must be a string or a non-empty list of strings`);
  }
  return list as string[];
}

function actions(value: unknown): WildcardMatcher[] {
  return strings(value, "Action").map((a) => {
    if (!ACTION.test(a))
      throw malformed(`Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc. Got: ${a}`);
    return wildcardMatcher(a, true);
  });
}

function resources(value: unknown, useVariables: boolean) {
  return strings(value, "Resource").map((r) => {
    // AWS accepts shortened wildcard ARNs such as arn:aws:s3:* as long as partition and service are there.
    if (r !== "*" && !/^arn:[^:]+:[^:]+(:|$)/.test(r) && r !== "arn:*") {
      throw malformed(`Resource ${r} must be in ARN format or "*".`);
    }
    return compileResource(r, useVariables);
  });
}
