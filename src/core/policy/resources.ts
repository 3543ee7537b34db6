import type { ContextMap } from "./types.js";
import { hasVariables, substitute } from "./variables.js";
import { wildcardRegExp } from "./wildcard.js";

/**
 * A Resource/NotResource entry. ARNs are matched segment by segment: wildcards in the partition, service,
 * region or account segment never cross a ':'; in the resource part they span anything, '/' and ':' included.
 */
export interface ResourcePattern {
  text: string;
  /** Precompiled when the pattern has no variables. */
  compiled?: ArnMatcher;
}

type ArnMatcher = (value: string) => boolean;

export function compileResource(text: string, useVariables: boolean): ResourcePattern {
  return useVariables && hasVariables(text) ? { text } : { text, compiled: arnMatcher(text) };
}

export function resourceMatches(pattern: ResourcePattern, resource: string, context: ContextMap): boolean {
  if (pattern.compiled) return pattern.compiled(resource);
  const substituted = substitute(pattern.text, context, true);
  return substituted !== undefined && arnMatcher(substituted)(resource);
}

/** Case-sensitive ARN matching with wildcards; also what ArnLike/ArnEquals use. */
export function arnMatcher(pattern: string): ArnMatcher {
  if (pattern === "*") return () => true;
  const compile = (p: string) => wildcardRegExp(p, false);
  const parts = splitArn(pattern);
  if (!parts) {
    const whole = compile(pattern);
    return (value) => whole.test(value);
  }
  const regexps = parts.map(compile);
  return (value) => {
    const v = splitArn(value);
    return v !== undefined && regexps.every((r, i) => r.test(v[i]!));
  };
}

/** arn:partition:service:region:account:resource → six parts, the last keeping its colons. */
function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}
