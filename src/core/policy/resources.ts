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
  /** Six segments (compiled, or text still holding variables); undefined for "*" or a non-ARN pattern. */
  segments?: (RegExp | string)[];
  /** For "*" and patterns that are not six-part ARNs. */
  whole?: RegExp | string;
}

export function compileResource(text: string, useVariables: boolean): ResourcePattern {
  const compile = (p: string) => (useVariables && hasVariables(p) ? p : wildcardRegExp(p, false));
  const parts = splitArn(text);
  return parts
    ? { text, segments: parts.map(compile) }
    : { text, whole: text === "*" ? /^[\s\S]*$/ : compile(text) };
}

/** Whether the resource matches; undefined when a variable the match depends on cannot be resolved. */
export function resourceMatches(
  pattern: ResourcePattern,
  resource: string,
  context: ContextMap,
): boolean | undefined {
  if (pattern.whole !== undefined) return test(pattern.whole, resource, context);
  const value = splitArn(resource);
  if (!value) return false;
  for (let i = 0; i < 6; i++) {
    const m = test(pattern.segments![i]!, value[i]!, context);
    if (m !== true) return m;
  }
  return true;
}

function test(pattern: RegExp | string, value: string, context: ContextMap): boolean | undefined {
  if (typeof pattern !== "string") return pattern.test(value);
  const substituted = substitute(pattern, context, true);
  return substituted === undefined ? undefined : wildcardRegExp(substituted, false).test(value);
}

/** Case-sensitive ARN matching with wildcards, for ArnLike/ArnEquals (values already substituted). */
export function arnMatcher(pattern: string): (value: string) => boolean {
  const compiled = compileResource(pattern, false);
  const empty: ContextMap = new Map();
  return (value) => resourceMatches(compiled, value, empty) === true;
}

/** arn:partition:service:region:account:resource → six parts, the last keeping its colons. */
function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
