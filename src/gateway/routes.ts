import { matchScore, parseRouteTemplate, type RouteTemplate } from "./routeTemplate.js";

export type Authorization = "NONE" | "AWS_IAM";

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export interface RouteDefinition {
  method: RouteMethod;
  path: string;
  authorization: Authorization;
}

export interface CompiledRoute {
  method: RouteMethod;
  template: RouteTemplate;
  authorization: Authorization;
}

/** Compiles the routes of one API once; a template that does not parse is a programming error here (config checks it). */
export function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  return routes.map((r) => {
    const template = parseRouteTemplate(r.path);
    if (typeof template === "string") throw new TypeError(`route ${r.method} ${r.path}: ${template}`);
    return { method: r.method, template, authorization: r.authorization };
  });
}

/**
 * The route a request takes: the most specific template matching its decoded segments, and among equally
 * specific ones the route naming the method over ANY. Linear in the number of routes.
 */
export function matchRoute(
  routes: readonly CompiledRoute[],
  method: string,
  segments: readonly string[],
): CompiledRoute | undefined {
  let best: CompiledRoute | undefined;
  let bestScore = -1;
  for (const route of routes) {
    if (route.method !== method && route.method !== "ANY") continue;
    const score = matchScore(route.template, segments);
    if (score < 0) continue;
    if (score > bestScore || (score === bestScore && best?.method === "ANY" && route.method !== "ANY")) {
      best = route;
      bestScore = score;
    }
  }
  return best;
}
