import { AwsError } from "../../errors.js";
import { cidrMatcher, parseAddress } from "./ipAddress.js";
import { arnMatcher, isArn } from "./resources.js";
import type { ContextMap } from "./types.js";
import { hasVariables, substitute } from "./variables.js";
import { wildcardMatcher } from "./wildcard.js";

/**
 * Condition operators, every family AWS documents
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
 * with `...IfExists`, `ForAnyValue:`/`ForAllValues:`, several keys (AND) and several values (OR).
 */
type Family =
  | "string"
  | "stringIgnoreCase"
  | "stringLike"
  | "numeric"
  | "date"
  | "bool"
  | "binary"
  | "ip"
  | "arn"
  | "null";
type Compare = "eq" | "lt" | "lte" | "gt" | "gte";

interface OperatorSpec {
  family: Family;
  negated: boolean;
  compare: Compare;
}

// A Map, not an object: an operator named like an Object.prototype member (toString, __proto__) must not be found.
const OPERATORS = new Map<string, OperatorSpec>([
  ["StringEquals", { family: "string", negated: false, compare: "eq" }],
  ["StringNotEquals", { family: "string", negated: true, compare: "eq" }],
  ["StringEqualsIgnoreCase", { family: "stringIgnoreCase", negated: false, compare: "eq" }],
  ["StringNotEqualsIgnoreCase", { family: "stringIgnoreCase", negated: true, compare: "eq" }],
  ["StringLike", { family: "stringLike", negated: false, compare: "eq" }],
  ["StringNotLike", { family: "stringLike", negated: true, compare: "eq" }],
  ["NumericEquals", { family: "numeric", negated: false, compare: "eq" }],
  ["NumericNotEquals", { family: "numeric", negated: true, compare: "eq" }],
  ["NumericLessThan", { family: "numeric", negated: false, compare: "lt" }],
  ["NumericLessThanEquals", { family: "numeric", negated: false, compare: "lte" }],
  ["NumericGreaterThan", { family: "numeric", negated: false, compare: "gt" }],
  ["NumericGreaterThanEquals", { family: "numeric", negated: false, compare: "gte" }],
  ["DateEquals", { family: "date", negated: false, compare: "eq" }],
  ["DateNotEquals", { family: "date", negated: true, compare: "eq" }],
  ["DateLessThan", { family: "date", negated: false, compare: "lt" }],
  ["DateLessThanEquals", { family: "date", negated: false, compare: "lte" }],
  ["DateGreaterThan", { family: "date", negated: false, compare: "gt" }],
  ["DateGreaterThanEquals", { family: "date", negated: false, compare: "gte" }],
  ["Bool", { family: "bool", negated: false, compare: "eq" }],
  ["BinaryEquals", { family: "binary", negated: false, compare: "eq" }],
  ["IpAddress", { family: "ip", negated: false, compare: "eq" }],
  ["NotIpAddress", { family: "ip", negated: true, compare: "eq" }],
  ["ArnEquals", { family: "arn", negated: false, compare: "eq" }],
  ["ArnLike", { family: "arn", negated: false, compare: "eq" }],
  ["ArnNotEquals", { family: "arn", negated: true, compare: "eq" }],
  ["ArnNotLike", { family: "arn", negated: true, compare: "eq" }],
  ["Null", { family: "null", negated: false, compare: "eq" }],
]);

/** One operator block of a Condition: `"StringEquals": {"aws:username": ["a", "b"], ...}`. */
export interface ConditionBlock {
  operator: string;
  spec: OperatorSpec;
  set?: "ForAnyValue" | "ForAllValues";
  ifExists: boolean;
  /** `key` lower-cased for lookup (keys are case-insensitive); `name` as the policy writes it, for reports. */
  keys: {
    key: string;
    name: string;
    values: readonly string[];
    matchers: readonly ValueMatcher[] | undefined;
  }[];
}

/** A policy value compiled for one family; undefined when it has variables (compiled per request). */
type ValueMatcher = (contextValue: string) => boolean;

export function compileConditions(condition: unknown, useVariables: boolean): ConditionBlock[] {
  if (condition === undefined) return [];
  if (condition === null || typeof condition !== "object" || Array.isArray(condition)) {
    throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy: Condition must be an object");
  }
  const blocks: ConditionBlock[] = [];
  for (const [operator, body] of Object.entries(condition)) {
    let name = operator;
    let set: ConditionBlock["set"];
    const colon = name.indexOf(":");
    if (colon !== -1) {
      const prefix = name.slice(0, colon);
      if (prefix !== "ForAnyValue" && prefix !== "ForAllValues") throw invalidOperator(operator);
      set = prefix;
      name = name.slice(colon + 1);
    }
    const ifExists = name.endsWith("IfExists");
    if (ifExists) name = name.slice(0, -"IfExists".length);
    const spec = OPERATORS.get(name);
    if (!spec || (ifExists && spec.family === "null")) throw invalidOperator(operator);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new AwsError(
        "MalformedPolicyDocument",
        `Syntax errors in policy: the ${operator} condition must map keys to values`,
      );
    }
    const keys = Object.entries(body).map(([key, raw]) => {
      const list = Array.isArray(raw) ? raw : [raw];
      if (
        list.length === 0 ||
        !list.every((v) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
      ) {
        throw new AwsError(
          "MalformedPolicyDocument",
          `Syntax errors in policy: values of ${operator} ${key} must be strings, numbers or booleans`,
        );
      }
      const values = list.map(String);
      const dynamic = useVariables && values.some(hasVariables);
      return {
        key: key.toLowerCase(),
        name: key,
        values,
        matchers: dynamic ? undefined : values.map((v) => valueMatcher(spec, v)),
      };
    });
    blocks.push({ operator, spec, set, ifExists, keys });
  }
  return blocks;
}

function invalidOperator(operator: string): AwsError {
  return new AwsError("MalformedPolicyDocument", `Invalid Condition type : ${operator}`);
}

/** All blocks and all keys must hold (AND); within a key, any value may match (OR). */
export function conditionsHold(blocks: readonly ConditionBlock[], context: ContextMap): boolean {
  for (const block of blocks) {
    for (const entry of block.keys) {
      if (!keyHolds(block, entry, context)) return false;
    }
  }
  return true;
}

/**
 * Context keys the conditions read that the request lacks (for the simulator's MissingContextValues), by
 * lower-cased key: keys compare ignoring case, so a key is reported once, as the policy first spells it.
 */
export function missingKeys(
  blocks: readonly ConditionBlock[],
  context: ContextMap,
  into: Map<string, string>,
): void {
  for (const block of blocks)
    for (const entry of block.keys)
      if (!context.has(entry.key) && !into.has(entry.key)) into.set(entry.key, entry.name);
}

function keyHolds(
  block: ConditionBlock,
  entry: ConditionBlock["keys"][number],
  context: ContextMap,
): boolean {
  const contextValues = context.get(entry.key);
  const { spec } = block;
  if (spec.family === "null") {
    const absent = contextValues === undefined || contextValues.length === 0;
    return entry.values.some((v) => (v.toLowerCase() === "true" ? absent : !absent));
  }
  // For the set operators an empty string is a null data set, like an absent key (AWS's documented example).
  const absent =
    contextValues === undefined ||
    contextValues.length === 0 ||
    (block.set !== undefined && contextValues.every((v) => v === ""));
  if (absent) {
    if (block.ifExists) return true;
    if (block.set === "ForAllValues") return true;
    if (block.set === "ForAnyValue") return false;
    // A negated operator on an absent key matches: the value is certainly not among those named.
    return spec.negated;
  }
  // Variables are resolved only once a value has to be compared. A value whose variable cannot be resolved
  // never helps the condition hold: it matches nothing for a positive operator and everything for a negated one.
  const matchers = entry.matchers ?? dynamicMatchers(spec, entry.values, context);
  const matchesAny = (value: string) => matchers.some((m) => m(value));
  // A value that is not of the operator's type (a number, a date, an address, an ARN) fails the comparison
  // whichever way it is put: a negated operator does not hold for it either.
  // Positive numeric, date and address matchers already fail such values; ArnLike "*" would not.
  const valid = spec.negated || spec.family === "arn" ? typedValue[spec.family] : undefined;
  const test = (value: string) =>
    valid !== undefined && !valid(value) ? false : spec.negated ? !matchesAny(value) : matchesAny(value);
  if (block.set === "ForAllValues") return contextValues.every(test);
  if (block.set === "ForAnyValue") return contextValues.some(test);
  return spec.negated ? contextValues.every(test) : contextValues.some(test);
}

function dynamicMatchers(spec: OperatorSpec, values: readonly string[], context: ContextMap): ValueMatcher[] {
  const out: ValueMatcher[] = [];
  for (const v of values) {
    const substituted = substitute(v, context, spec.family === "stringLike" || spec.family === "arn");
    if (substituted !== undefined) out.push(valueMatcher(spec, substituted));
    else if (spec.negated) out.push(() => true);
  }
  return out;
}

function valueMatcher(spec: OperatorSpec, policyValue: string): ValueMatcher {
  switch (spec.family) {
    case "string":
      return (v) => v === policyValue;
    case "stringIgnoreCase": {
      const lower = policyValue.toLowerCase();
      return (v) => v.toLowerCase() === lower;
    }
    case "stringLike": {
      const m = wildcardMatcher(policyValue, false);
      return (v) => m.test(v);
    }
    case "numeric": {
      const p = parseNumber(policyValue);
      return (v) => compare(parseNumber(v), p, spec.compare);
    }
    case "date": {
      const p = parseDate(policyValue);
      return (v) => compare(parseDate(v), p, spec.compare);
    }
    case "bool": {
      const p = policyValue.toLowerCase();
      return (v) => v.toLowerCase() === p;
    }
    case "binary":
      return (v) => v === policyValue;
    case "ip":
      return cidrMatcher(policyValue);
    case "arn": {
      const m = arnMatcher(policyValue);
      return (v) => m(v);
    }
    case "null":
      return () => false;
  }
}

function compare(a: number, b: number, how: Compare): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  switch (how) {
    case "eq":
      return a === b;
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    case "gt":
      return a > b;
    case "gte":
      return a >= b;
  }
}

function parseNumber(text: string): number {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

/**
 * ISO 8601 dates and times, or epoch seconds, as AWS's Date operators accept them. A time without a zone is
 * UTC, as everywhere in AWS, never the host's local time.
 */
function parseDate(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(t);
  if (!m) return Number.NaN;
  const [, date, time, zone] = m;
  if (time === undefined) return Date.parse(`${date}T00:00:00Z`);
  const offset =
    zone === undefined || zone.toUpperCase() === "Z" ? "Z" : zone.replace(/^([+-]\d{2})(\d{2})$/, "$1:$2");
  return Date.parse(`${date}T${time}${offset}`);
}

/** The families whose values have a type; a context value not of it fails every comparison. */
const typedValue: Partial<Record<Family, (value: string) => boolean>> = {
  numeric: (v) => !Number.isNaN(parseNumber(v)),
  date: (v) => !Number.isNaN(parseDate(v)),
  ip: (v) => parseAddress(v) !== undefined,
  arn: isArn,
};
