import type { ConditionBlock } from "./conditions.js";
import type { PrincipalSet } from "./principals.js";
import type { ResourcePattern } from "./resources.js";
import type { WildcardMatcher } from "./wildcard.js";

export type PolicyKind = "identity" | "resource" | "trust" | "session" | "boundary";

/** A statement compiled for evaluation: matchers built once, reused for every request. */
export interface Statement {
  sid?: string;
  /** 0-based position in the Statement list. */
  index: number;
  effect: "Allow" | "Deny";
  actions?: WildcardMatcher[];
  notActions?: WildcardMatcher[];
  resources?: ResourcePattern[];
  notResources?: ResourcePattern[];
  principals?: PrincipalSet;
  notPrincipals?: PrincipalSet;
  conditions: ConditionBlock[];
  /** Where the statement sits in the source JSON (1-based line and column), as IAM's simulator reports. */
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface Policy {
  version: "2012-10-17" | "2008-10-17";
  kind: PolicyKind;
  statements: Statement[];
}

/** Request context: condition keys (lower-cased) to their values, all as strings. */
export type ContextMap = ReadonlyMap<string, readonly string[]>;
