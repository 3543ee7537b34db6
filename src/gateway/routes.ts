import { matchScore, parseRouteTemplate, type RouteTemplate } from "./routeTemplate.js";
import type { CompiledAuthorizer } from "./tokenAuthorizers.js";

export type Authorization = "NONE" | "AWS_IAM" | "JWT" | "COGNITO_USER_POOLS";

export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

export interface RouteDefinition {
  method: RouteMethod;
  path: string;
  authorization: Authorization;
  /** JWT and COGNITO_USER_POOLS routes: the name of one of the API's authorizers. */
  authorizer?: string;
  /** The token must carry at least one of these scopes. */
  scopes?: readonly string[];
}

export interface CompiledRoute {
  method: RouteMethod;
  template: RouteTemplate;
  authorization: Authorization;
  /** Set on JWT and COGNITO_USER_POOLS routes only. */
  authorizer?: CompiledAuthorizer;
  scopes?: readonly string[];
}

/**
 * Compiles the routes of one API once; a template that does not parse, or an authorizer that is not the
 * API's, is a programming error here (config checks both).
 */
export function compileRoutes(
  routes: readonly RouteDefinition[],
  authorizers: ReadonlyMap<string, CompiledAuthorizer> = new Map(),
): CompiledRoute[] {
  return routes.map((r) => {
    const template = parseRouteTemplate(r.path);
    if (typeof template === "string") throw new TypeError(`route ${r.method} ${r.path}: ${template}`);
    const route: CompiledRoute = { method: r.method, template, authorization: r.authorization };
    if (r.authorization === "JWT" || r.authorization === "COGNITO_USER_POOLS") {
      const authorizer = r.authorizer === undefined ? undefined : authorizers.get(r.authorizer);
      if (authorizer?.type !== r.authorization)
        throw new TypeError(`route ${r.method} ${r.path}: no ${r.authorization} authorizer ${r.authorizer}`);
      route.authorizer = authorizer;
      if (r.scopes) route.scopes = r.scopes;
    }
    return route;
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
