import type { ContextMap } from "./types.js";

export type ContextInput = Record<
  string,
  string | number | boolean | readonly (string | number | boolean)[] | undefined
>;

/**
 * The request context as evaluation reads it: keys lower-cased (condition keys are case-insensitive),
 * every value a list of strings (booleans "true"/"false", numbers in decimal). Built once per request.
 */
export function buildContext(input: ContextInput): ContextMap {
  const map = new Map<string, readonly string[]>();
  // Own keys only: `for...in` would also read what an object's prototype lends it (a client's key named
  // __proto__, assigned to a plain object, replaces that prototype).
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    map.set(
      key.toLowerCase(),
      typeof value === "string" ? [value] : Array.isArray(value) ? value.map(String) : [String(value)],
    );
  }
  return map;
}
