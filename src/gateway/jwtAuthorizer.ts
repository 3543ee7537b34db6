import type { IncomingHttpHeaders } from "node:http";
import type { RequestContext } from "../auth/requestContext.js";
import type { DecisionSink } from "../authz/decisionRecord.js";
import { recordRefusal, recordUnconditional } from "../authz/recordDecision.js";
import type { JsonWebKeySet } from "../core/oidc/jwks.js";
import { readToken } from "../core/oidc/readToken.js";
import type { TokenRefusalReason } from "../core/oidc/refusal.js";
import { verifyToken } from "../core/oidc/verifyToken.js";
import type { GatewayAnswer } from "./answers.js";
import type { CompiledRoute } from "./routes.js";
import type { CompiledAuthorizer } from "./tokenAuthorizers.js";

/**
 * An issuer's signing keys: the built-in issuer's and fedsim's user pools' in-process, anyone else's from its
 * discovery document (compose.ts wires it). `refresh` asks for keys newer than a cached set, once, when a
 * token names a kid the cached set lacks. Throws (or rejects) when the keys cannot be had.
 */
export type IssuerKeys = (issuer: string, options: { refresh: boolean }) => Promise<JsonWebKeySet>;

export interface BearerDeps {
  keys: IssuerKeys;
  decisions: DecisionSink;
}

/** What the backend sees as requestContext.authorizer: `{ jwt: { claims, scopes } }` (JWT) or `{ claims }`. */
export type AuthorizerContext = Record<string, unknown>;

export type BearerResult = { ok: true; authorizer: AuthorizerContext } | { ok: false; answer: GatewayAnswer };

const ACTION = "execute-api:Invoke";

/**
 * A JWT or COGNITO_USER_POOLS route's token, checked as API Gateway checks it: read from the authorizer's
 * header (with or without `Bearer `), an issuer the authorizer names (before any key is fetched), a key by
 * kid from the issuer's keys (RSA/ECDSA only, see src/core/oidc), the signature, exp/nbf/iat, then the
 * audience (JWT: aud, or client_id when there is no aud; Cognito: an ID token, or an access token where the
 * route requires scopes) and the route's scopes (at least one). Refusals answer as API Gateway does: 401
 * {"message":"Unauthorized"} with www-authenticate, 403 {"message":"Forbidden"} for a missing scope on an HTTP
 * API. Every allow and refusal is recorded.
 */
export async function authorizeBearer(
  deps: BearerDeps,
  ctx: RequestContext,
  route: CompiledRoute,
  headers: IncomingHttpHeaders,
  resource: string,
): Promise<BearerResult> {
  const authorizer = route.authorizer!;
  const refused = (answer: GatewayAnswer, reason: string): BearerResult => {
    recordRefusal(
      deps.decisions,
      ctx,
      { service: "execute-api", principal: "anonymous", action: ACTION, resource },
      `${authorizer.type} authorizer ${authorizer.name}: ${reason}`,
    );
    return { ok: false, answer: { ...answer, reason } };
  };
  const value = headers[authorizer.header];
  if (typeof value !== "string" || value.trim() === "")
    return refused(unauthorized(undefined), `the request has no ${authorizer.header} header holding a token`);
  const token = value.trim().replace(/^bearer +/i, "");

  const read = readToken(token);
  if (!read.ok) return refused(unauthorized(describe(read.reason)), read.message);
  const iss = read.payload.iss;
  // Keys are fetched only for an issuer the authorizer names: a token cannot aim fedsim at another host.
  const issuer = authorizer.issuers.find((i) => i === iss);
  if (issuer === undefined)
    return refused(
      unauthorized(describe("issuer")),
      `the token's iss ${typeof iss === "string" ? JSON.stringify(iss.slice(0, 200)) : "is missing and"} is not ${authorizer.issuers.join(" or ")}`,
    );

  const verify = async (refresh: boolean) => {
    const jwks = await deps.keys(issuer, { refresh });
    return verifyToken(token, {
      jwks,
      issuer,
      audience: { checkedByCaller: true, absentAllowed: true },
      now: ctx.now,
    });
  };
  let verified: Awaited<ReturnType<typeof verify>>;
  try {
    verified = await verify(false);
    // A kid the cached keys lack may be a rotated key: asked for once more.
    if (!verified.ok && verified.reason === "unknown-kid") verified = await verify(true);
  } catch (error) {
    return refused(
      unauthorized("unable to get the issuer's signing keys"),
      `the keys of ${issuer} could not be had: ${(error as { cause?: unknown }).cause ?? (error as Error).message}`,
    );
  }
  if (!verified.ok) return refused(unauthorized(describe(verified.reason)), verified.message);
  const claims = verified.claims as Record<string, unknown>;

  const audienceProblem = checkAudience(authorizer, route, claims, verified.audiences);
  if (audienceProblem !== undefined)
    return refused(unauthorized(audienceProblem.description), audienceProblem.reason);

  const granted = tokenScopes(claims);
  if (route.scopes && !route.scopes.some((s) => granted.includes(s))) {
    const reason = `the token's scopes (${granted.join(" ") || "none"}) include none of the route's (${route.scopes.join(" ")})`;
    // REST APIs' Cognito authorizer answers 401 here; HTTP APIs' JWT authorizer 403.
    return refused(
      authorizer.type === "JWT"
        ? {
            status: 403,
            errorType: "ForbiddenException",
            body: { message: "Forbidden" },
            headers: [
              [
                "www-authenticate",
                `Bearer scope="${headerText(route.scopes.join(" "))}" error="insufficient_scope" error_description="the token does not have the required scopes"`,
              ],
            ],
          }
        : unauthorized(undefined),
      reason,
    );
  }
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  recordUnconditional(
    deps.decisions,
    ctx,
    { service: "execute-api", principal: `${issuer}#${sub}`, action: ACTION, resource },
    `Allowed: ${authorizer.type} authorizer ${authorizer.name} accepted the token of ${sub || "(no sub)"} from ${issuer}${route.scopes ? ` with scope ${route.scopes.find((s) => granted.includes(s))}` : ""}.`,
  );
  const stringClaims = claimStrings(claims);
  return {
    ok: true,
    authorizer:
      authorizer.type === "JWT"
        ? { jwt: { claims: stringClaims, scopes: granted.length > 0 ? granted : null } }
        : { claims: stringClaims },
  };
}

function checkAudience(
  authorizer: CompiledAuthorizer,
  route: CompiledRoute,
  claims: Record<string, unknown>,
  audiences: readonly string[],
): { description: string; reason: string } | undefined {
  if (authorizer.type === "JWT") {
    // API Gateway reads client_id only when the token has no aud (Cognito's access tokens).
    const presented =
      audiences.length > 0 ? audiences : typeof claims.client_id === "string" ? [claims.client_id] : [];
    if (presented.some((a) => authorizer.audiences.has(a))) return undefined;
    return {
      description: "the token does not have a valid audience",
      reason: `the token's ${audiences.length > 0 ? "aud" : "client_id"} (${presented.join(", ") || "none"}) is none of ${[...authorizer.audiences].join(", ")}`,
    };
  }
  // Cognito authorizers take an ID token, or an access token where the route requires scopes.
  const wanted = route.scopes ? "access" : "id";
  if (claims.token_use === wanted) return undefined;
  return {
    description: "the token is not the kind the route requires",
    reason: `the route needs a user pool ${wanted === "id" ? "ID token (no scopes are required)" : "access token (it requires scopes)"}, and the token's token_use is ${JSON.stringify(claims.token_use ?? null)}`,
  };
}

/** The token's scopes: `scope` (space-separated, OAuth 2.0) or `scp` (a list or a string). */
function tokenScopes(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (typeof raw === "string") return raw.split(" ").filter((s) => s !== "");
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === "string");
  return [];
}

/**
 * Claims as API Gateway hands them on: every value a string (numbers and booleans as written, lists as
 * `[a b]`, objects as JSON).
 */
function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    const text =
      typeof value === "string"
        ? value
        : Array.isArray(value)
          ? `[${value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(" ")}]`
          : typeof value === "object" && value !== null
            ? JSON.stringify(value)
            : String(value);
    Object.defineProperty(out, name, { value: text, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** API Gateway's 401, with the www-authenticate header its JWT authorizer sends. */
function unauthorized(description: string | undefined): GatewayAnswer {
  return {
    status: 401,
    errorType: "UnauthorizedException",
    body: { message: "Unauthorized" },
    headers: [
      [
        "www-authenticate",
        description === undefined
          ? "Bearer"
          : `Bearer scope="" error="invalid_token" error_description="${description}"`,
      ],
    ],
  };
}

/** A short description for www-authenticate (fedsim's longer reason goes to x-fedsim-reason and the log). */
function describe(reason: TokenRefusalReason | "issuer"): string {
  switch (reason) {
    case "expired":
      return "the token has expired";
    case "not-yet-valid":
      return "the token is not valid yet";
    case "issued-in-future":
      return "the token was issued in the future";
    case "issuer":
      return "the token does not have a valid issuer";
    case "audience":
      return "the token does not have a valid audience";
    case "signature":
      return "the token signature is invalid";
    case "algorithm":
      return "the token signing method is not accepted";
    case "unknown-kid":
    case "key-type":
    case "jwks":
      return "no key of the issuer verifies the token";
    default:
      return "the token is malformed";
  }
}

/** A value inside a quoted header parameter: printable ASCII without quotes or backslashes. */
function headerText(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "?").slice(0, 256);
}
