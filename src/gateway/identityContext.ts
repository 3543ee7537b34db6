import type { Caller } from "../auth/caller.js";
import type { RequestContext } from "../auth/requestContext.js";

/** The header the backend reads the caller from; any a client sends is removed first. */
export const REQUEST_CONTEXT_HEADER = "x-amzn-request-context";
/**
 * fedsim's own header (API Gateway has none): the web-identity token a caller's session came from, for APIs
 * that set forwardWebIdentityToken, so a backend can validate it with the issuer as the seed describes.
 */
export const WEB_IDENTITY_TOKEN_HEADER = "x-fedsim-web-identity-token";

export interface InvocationFacts {
  apiId: string;
  /** The API's account. */
  accountId: string;
  stage: string;
  method: string;
  /** The route template, e.g. /pets/{petId}. */
  resourcePath: string;
  /** The path as sent, stage included: /prod/pets/1. */
  path: string;
  domainName: string;
  protocol: string;
}

/**
 * The `requestContext` of API Gateway's proxy event, as JSON: where the request went and who made it, with
 * `identity` filled as AWS fills it for IAM-authorised calls (caller and user are the principal's user id,
 * userArn its ARN) and null where a field does not apply (every caller field on NONE routes).
 */
export function requestContextJson(
  facts: InvocationFacts,
  ctx: RequestContext,
  caller: Caller | undefined,
  authorizer?: Record<string, unknown>,
): string {
  // Written out key by key, as JSON.stringify would write requestContextValue's object (same order, no
  // spaces): the identity, the same for every request of one caller from one client, is serialised once.
  const json =
    `{"accountId":${JSON.stringify(facts.accountId)},"apiId":${JSON.stringify(facts.apiId)}` +
    `,"stage":${JSON.stringify(facts.stage)},"requestId":${JSON.stringify(ctx.requestId)}` +
    `,"httpMethod":${JSON.stringify(facts.method)},"resourcePath":${JSON.stringify(facts.resourcePath)}` +
    `,"path":${JSON.stringify(facts.path)},"protocol":${JSON.stringify(facts.protocol)}` +
    `,"domainName":${JSON.stringify(facts.domainName)},"requestTimeEpoch":${JSON.stringify(ctx.now.getTime())}` +
    `,"identity":${identityJson(ctx, caller)}` +
    (authorizer ? `,"authorizer":${JSON.stringify(authorizer)}}` : "}");
  // A header carries bytes: anything outside printable ASCII goes as a JSON escape.
  return /[^\x20-\x7e]/.test(json) ? json.replace(/[^\x20-\x7e]/g, escapeChar) : json;
}

/**
 * The requestContext itself (module integrations' events carry it as an object), with `authorizer` on
 * JWT and COGNITO_USER_POOLS routes: `{ jwt: { claims, scopes } }` or `{ claims }`.
 */
export function requestContextValue(
  facts: InvocationFacts,
  ctx: RequestContext,
  caller: Caller | undefined,
  authorizer?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    accountId: facts.accountId,
    apiId: facts.apiId,
    stage: facts.stage,
    requestId: ctx.requestId,
    httpMethod: facts.method,
    resourcePath: facts.resourcePath,
    path: facts.path,
    protocol: facts.protocol,
    domainName: facts.domainName,
    requestTimeEpoch: ctx.now.getTime(),
    identity: identityValue(ctx, caller),
    ...(authorizer ? { authorizer } : {}),
  };
}

/** The last identity serialised for each caller (callers are kept per session), with the client it was for. */
const identities = new WeakMap<Caller, { sourceIp: string; userAgent: string | undefined; json: string }>();

function identityJson(ctx: RequestContext, caller: Caller | undefined): string {
  const kept = caller && identities.get(caller);
  if (kept !== undefined && kept.sourceIp === ctx.sourceIp && kept.userAgent === ctx.userAgent)
    return kept.json;
  const json = JSON.stringify(identityValue(ctx, caller));
  if (caller) identities.set(caller, { sourceIp: ctx.sourceIp, userAgent: ctx.userAgent, json });
  return json;
}

function identityValue(ctx: RequestContext, caller: Caller | undefined): Record<string, unknown> {
  const cognito = cognitoFields(caller);
  return {
    accountId: caller?.accountId ?? null,
    caller: caller?.userId ?? null,
    user: caller?.userId ?? null,
    userArn: caller?.arn ?? null,
    accessKey: caller?.accessKeyId ?? null,
    cognitoIdentityId: cognito.identityId,
    cognitoIdentityPoolId: cognito.poolId,
    cognitoAuthenticationType: cognito.type,
    cognitoAuthenticationProvider: cognito.provider,
    sourceIp: ctx.sourceIp,
    userAgent: ctx.userAgent ?? null,
  };
}

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

interface CognitoFields {
  identityId: string | null;
  poolId: string | null;
  type: string | null;
  provider: string | null;
}

const NO_COGNITO: CognitoFields = { identityId: null, poolId: null, type: null, provider: null };

/**
 * For sessions from Cognito identity pools, read from the condition keys the session was issued with
 * (cognito-identity.amazonaws.com:sub, :aud, :amr): the amr holds the authentication type and the providers.
 */
function cognitoFields(caller: Caller | undefined): CognitoFields {
  const keys = caller?.session?.federationKeys;
  if (!keys) return NO_COGNITO;
  const one = (name: string) =>
    Object.hasOwn(keys, name) && keys[name]!.length > 0 ? keys[name]![0]! : null;
  const identityId = one("cognito-identity.amazonaws.com:sub");
  if (identityId === null) return NO_COGNITO;
  const amr = Object.hasOwn(keys, "cognito-identity.amazonaws.com:amr")
    ? keys["cognito-identity.amazonaws.com:amr"]!
    : [];
  const type = amr.includes("authenticated")
    ? "authenticated"
    : amr.includes("unauthenticated")
      ? "unauthenticated"
      : null;
  const providers = amr.filter((v) => v !== "authenticated" && v !== "unauthenticated");
  return {
    identityId,
    poolId: one("cognito-identity.amazonaws.com:aud"),
    type,
    provider: providers.length > 0 ? providers.join(",") : null,
  };
}
