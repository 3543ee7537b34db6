import { type Policy, parsePolicy } from "../core/policy/parse.js";

export type PolicyKind = "identity" | "resource" | "trust" | "session" | "boundary";

/**
 * Compiled policies by kind and exact text. Documents change rarely and are evaluated on every request,
 * so parsing once and reusing the compiled matchers keeps evaluation allocation-light. Bounded: the oldest
 * entries go first once it is full.
 */
const MAX_ENTRIES = 2000;
const cache = new Map<string, Policy>();

export function compilePolicy(document: string, kind: PolicyKind): Policy {
  const key = `${kind}\u0000${document}`;
  let policy = cache.get(key);
  if (!policy) {
    policy = parsePolicy(document, { kind });
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    cache.set(key, policy);
  }
  return policy;
}
