import { type Policy, parsePolicy } from "../core/policy/parse.js";

export type PolicyKind = "identity" | "resource" | "trust" | "session" | "boundary";

/**
 * Compiled policies by kind and exact text. Documents change rarely and are evaluated on every request,
 * so parsing once and reusing the compiled matchers keeps evaluation allocation-light. One map per kind,
 * keyed by the document itself: a key made by concatenation would be a new string, hashed in full, on
 * every lookup, where the stored document (the same string each time) has its hash computed once. Bounded:
 * the oldest entries go first once it is full.
 */
const MAX_ENTRIES = 2000;
const caches = new Map<PolicyKind, Map<string, Policy>>();
let size = 0;

export function compilePolicy(document: string, kind: PolicyKind): Policy {
  let cache = caches.get(kind);
  if (cache === undefined) {
    cache = new Map();
    caches.set(kind, cache);
  }
  let policy = cache.get(document);
  if (!policy) {
    policy = parsePolicy(document, { kind });
    if (size >= MAX_ENTRIES) evictOldest();
    cache.set(document, policy);
    size++;
  }
  return policy;
}

/** Drops the oldest entry of the fullest kind (kinds are few; this runs only when the cache is full). */
function evictOldest(): void {
  let fullest: Map<string, Policy> | undefined;
  for (const cache of caches.values()) if (!fullest || cache.size > fullest.size) fullest = cache;
  if (fullest && fullest.size > 0) {
    fullest.delete(fullest.keys().next().value!);
    size--;
  }
}
