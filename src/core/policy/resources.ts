import type { ContextMap } from "./types.js";
import { hasVariables, substitute } from "./variables.js";
import { type WildcardMatcher, wildcardMatcher } from "./wildcard.js";

/**
 * A Resource/NotResource entry, compiled. ARNs are matched segment by segment: wildcards in the partition,
 * service, region or account segment never cross a ':'; in the resource part they span anything, '/' and ':'
 * included. Segments are compared left to right, and a segment holding a variable is resolved only when
 * reached, so a resource of another service simply does not match while an unresolvable variable in a
 * segment that matters invalidates the statement.
 */
export interface ResourcePattern {
  text: string;
  /** "*": matches every resource without looking at it. */
  any: boolean;
  /** Six segment matchers; undefined for a pattern that is not a six-part ARN. */
  segments?: Segment[];
  /** For patterns that are not six-part ARNs. */
  whole?: Segment;
}

/** An exact string, a wildcard pattern, or text with variables to resolve per request. */
type Segment = { exact: string } | { wildcard: WildcardMatcher } | { variables: string };

/** The request's resource split once per evaluation, not once per statement. */
export type SplitResource = { text: string; parts: string[] | undefined };

export function splitResource(resource: string): SplitResource {
  return { text: resource, parts: splitArn(resource, false) };
}

function segment(p: string, useVariables: boolean): Segment {
  if (useVariables && hasVariables(p)) return { variables: p };
  return /[*?\uE000\uE001]/.test(p) ? { wildcard: wildcardMatcher(p, false) } : { exact: p };
}

export function compileResource(text: string, useVariables: boolean): ResourcePattern {
  if (text === "*") return { text, any: true };
  const parts = splitArn(text, useVariables);
  return parts
    ? { text, any: false, segments: parts.map((p) => segment(p, useVariables)) }
    : { text, any: false, whole: segment(text, useVariables) };
}

/** Whether the resource matches; undefined when a variable the match depends on cannot be resolved. */
export function resourceMatches(
  pattern: ResourcePattern,
  resource: SplitResource,
  context: ContextMap,
): boolean | undefined {
  if (pattern.any) return true;
  if (pattern.whole !== undefined) return test(pattern.whole, resource.text, context);
  const value = resource.parts;
  if (!value) return false;
  const segments = pattern.segments!;
  for (let i = 0; i < 6; i++) {
    const m = test(segments[i]!, value[i]!, context);
    if (m !== true) return m;
  }
  return true;
}

function test(s: Segment, value: string, context: ContextMap): boolean | undefined {
  if ("exact" in s) return s.exact === value;
  if ("wildcard" in s) return s.wildcard.test(value);
  const substituted = substitute(s.variables, context, true);
  return substituted === undefined ? undefined : wildcardMatcher(substituted, false).test(value);
}

/**
 * Case-sensitive ARN matching with wildcards, for ArnLike/ArnEquals (values already substituted). Each of
 * the six components is compared on its own, so a pattern of fewer components (`arn:aws:iam::*`) matches no
 * ARN: its `*` cannot stand for the components it leaves out.
 */
export function arnMatcher(pattern: string): (value: string) => boolean {
  const compiled = compileResource(pattern, false);
  const empty: ContextMap = new Map();
  return (value) => {
    const split = splitResource(value);
    if (compiled.whole !== undefined && split.parts !== undefined) return false;
    return resourceMatches(compiled, split, empty) === true;
  };
}

/** Whether a value is an ARN as the Arn* condition operators read one: six colon-separated components. */
export const isArn = (value: string): boolean =>
  value.startsWith("arn:") && splitArn(value, false) !== undefined;

/**
 * arn:partition:service:region:account:resource → six parts, the last keeping its colons. In a pattern with
 * policy variables, the colon inside `${aws:PrincipalAccount}` is part of the variable, not a separator.
 */
function splitArn(arn: string, skipVariables: boolean): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  let at = 0;
  while (parts.length < 5) {
    const colon = arn.indexOf(":", at);
    if (colon === -1) return undefined;
    const variable = skipVariables ? arn.lastIndexOf("${", colon) : -1;
    if (variable >= from) {
      const close = arn.indexOf("}", variable);
      if (close > colon) {
        at = close + 1;
        continue;
      }
    }
    parts.push(arn.slice(from, colon));
    from = at = colon + 1;
  }
  parts.push(arn.slice(from));
  return parts;
}
