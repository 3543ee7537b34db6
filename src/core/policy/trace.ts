import { conditionsHold } from "./conditions.js";
import {
  actionApplies,
  type EvaluationInput,
  type NamedPolicy,
  type PolicySourceType,
  resourceApplies,
} from "./evaluate.js";
import { matchPrincipal, notPrincipalSpares } from "./principals.js";
import { splitResource } from "./resources.js";
import type { Statement } from "./types.js";
import { variableKeys } from "./variables.js";

/** Why a statement did not apply to the request, or that it did. */
export type StatementOutcome = "matched" | "principal" | "action" | "resource" | "condition";

export interface StatementTrace {
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  outcome: StatementOutcome;
  /** For outcome "condition": the first operator and key that did not hold, the policy's values and the request's. */
  failedCondition?: {
    operator: string;
    key: string;
    values: readonly string[];
    actual: readonly string[] | null;
  };
}

export interface PolicyTrace {
  policy: string;
  type: PolicySourceType;
  statements: StatementTrace[];
}

export interface EvaluationTrace {
  policies: PolicyTrace[];
  /** Every context key a considered statement reads (conditions and resource variables), as first spelled. */
  keysRead: string[];
}

/**
 * Statement by statement, what an evaluation looked at and why each statement applied or not: for `fedsim
 * explain` and the decision log. Separate from evaluate() so the hot path pays nothing for it; the
 * decision itself is always evaluate()'s.
 */
export function traceEvaluation(input: EvaluationInput): EvaluationTrace {
  const resource = splitResource(input.resource);
  const keys = new Map<string, string>();
  const policies: PolicyTrace[] = [];
  const add = (p: NamedPolicy | undefined, principalCheck: boolean) => {
    if (!p) return;
    policies.push({
      policy: p.id,
      type: p.type,
      statements: p.policy.statements.map((s) => traceStatement(s, p, principalCheck)),
    });
  };
  const traceStatement = (s: Statement, p: NamedPolicy, principalCheck: boolean): StatementTrace => {
    const base = { index: s.index, sid: s.sid, effect: s.effect };
    for (const block of s.conditions)
      for (const k of block.keys) if (!keys.has(k.key)) keys.set(k.key, k.name);
    if (p.policy.version === "2012-10-17")
      for (const r of s.resources ?? s.notResources ?? [])
        for (const key of variableKeys(r.text))
          if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
    if (principalCheck) {
      const spared = s.principals
        ? matchPrincipal(s.principals, input.principal) === "none"
        : s.notPrincipals
          ? notPrincipalSpares(s.notPrincipals, input.principal, input.permissionsBoundary !== undefined)
          : false;
      if (spared) return { ...base, outcome: "principal" };
    }
    if (!actionApplies(s, input.action)) return { ...base, outcome: "action" };
    if (p.policy.kind !== "trust" && !resourceApplies(s, resource, input.context))
      return { ...base, outcome: "resource" };
    for (const block of s.conditions)
      for (const entry of block.keys)
        if (!conditionsHold([{ ...block, keys: [entry] }], input.context))
          return {
            ...base,
            outcome: "condition",
            failedCondition: {
              operator: block.operator,
              key: entry.name,
              values: entry.values,
              actual: input.context.get(entry.key) ?? null,
            },
          };
    return { ...base, outcome: "matched" };
  };
  for (const p of input.identityPolicies) add(p, false);
  add(input.resourcePolicy, true);
  add(input.permissionsBoundary, false);
  for (const p of input.sessionPolicies ?? []) add(p, false);
  return { policies, keysRead: [...keys.values()] };
}

/**
 * The context keys an evaluation's statements read (conditions and resource variables), as first spelled:
 * what an allowed decision's record keeps, without tracing each statement.
 */
export function keysRead(input: EvaluationInput): string[] {
  const keys = new Map<string, string>();
  const scan = (p: NamedPolicy | undefined) => {
    if (!p) return;
    for (const s of p.policy.statements) {
      for (const block of s.conditions)
        for (const k of block.keys) if (!keys.has(k.key)) keys.set(k.key, k.name);
      if (p.policy.version === "2012-10-17")
        for (const r of s.resources ?? s.notResources ?? [])
          for (const key of variableKeys(r.text))
            if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
    }
  };
  for (const p of input.identityPolicies) scan(p);
  scan(input.resourcePolicy);
  scan(input.permissionsBoundary);
  for (const p of input.sessionPolicies ?? []) scan(p);
  return [...keys.values()];
}
