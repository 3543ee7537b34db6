import type { ContextMap } from "./types.js";
import { hasVariables, substitute } from "./variables.js";
import { wildcardRegExp } from "./wildcard.js";

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

/** An exact string, a wildcard RegExp, or text with variables to resolve per request. */
type Segment = { exact: string } | { regexp: RegExp } | { variables: string };

/** The request's resource split once per evaluation, not once per statement. */
export type SplitResource = { text: string; parts: string[] | undefined };

export function splitResource(resource: string): SplitResource {
  return { text: resource, parts: splitArn(resource) };
}

function segment(p: string, useVariables: boolean): Segment {
  if (useVariables && hasVariables(p)) return { variables: p };
  return /[*?\uE000\uE001]/.test(p) ? { regexp: wildcardRegExp(p, false) } : { exact: p };
}

export function compileResource(text: string, useVariables: boolean): ResourcePattern {
  if (text === "*") return { text, any: true };
  const parts = splitArn(text);
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
  if ("regexp" in s) return s.regexp.test(value);
  const substituted = substitute(s.variables, context, true);
  return substituted === undefined ? undefined : wildcardRegExp(substituted, false).test(value);
}

/** Case-sensitive ARN matching with wildcards, for ArnLike/ArnEquals (values already substituted). */
export function arnMatcher(pattern: string): (value: string) => boolean {
  const compiled = compileResource(pattern, false);
  const empty: ContextMap = new Map();
  return (value) => resourceMatches(compiled, splitResource(value), empty) === true;
}

/** arn:partition:service:region:account:resource → six parts, the last keeping its colons. */
function splitArn(arn: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const colon = arn.indexOf(":", from);
    if (colon === -1) return undefined;
    parts.push(arn.slice(from, colon));
    from = colon + 1;
  }
  parts.push(arn.slice(from));
  return parts;
}
