import { type ContextValue, requestContextKeys } from "../../authz/contextKeys.js";
import { recordRefusal } from "../../authz/recordDecision.js";
import { iamArn, parseArn } from "../../core/arn.js";
import { sessionTagClaims } from "../../core/oidc/awsClaims.js";
import { MAX_TOKEN_CHARS } from "../../core/oidc/limits.js";
import { oidcProviderName, oidcProviderUrlProblem } from "../../core/oidc/providerName.js";
import { readToken, type TokenHeader } from "../../core/oidc/readToken.js";
import type { TokenRefusal } from "../../core/oidc/refusal.js";
import { GOOGLE, webIdentityTrustContext } from "../../core/oidc/trustContext.js";
import { type VerifiedToken, verifyToken } from "../../core/oidc/verifyToken.js";
import { AwsError, isAwsError } from "../../errors.js";
import type { RequestContext } from "../../protocol/operation.js";
import type { OidcProviderRow } from "../../store/identityProviders.js";
import type { RoomDeps } from "../deps.js";
import { issueRoleSessionGrouped } from "../sessions/roleSession.js";
import { resolveSessionPolicies, type SessionPolicyInput } from "../sessions/sessionPolicies.js";
import { authorizeAssumeRole, findRoleForAssume, roleDuration } from "../sessions/trust.js";
import { validationError } from "../validation.js";
import { COGNITO_IDENTITY_ISSUER, cognitoIdentityProvider } from "./cognitoIdentityIssuer.js";
import type { WebIdentityKeySource } from "./webIdentityKeys.js";

export interface AssumeRoleWithWebIdentityInput {
  roleArn: string;
  roleSessionName: string;
  token: string;
  providerId: string | undefined;
  durationSeconds: number | undefined;
  policies: SessionPolicyInput;
}

const ACTION = "sts:AssumeRoleWithWebIdentity";

/**
 * AssumeRoleWithWebIdentity after its parameters were read: the token's issuer names an IAM OIDC provider in the
 * role's account, the token is verified against that provider's keys and client ids (every time: only
 * imported keys are cached), and the trust policy is evaluated with the provider's condition keys. A refusal
 * before the trust policy goes to the decision log with its precise reason; the evaluation records itself.
 */
export async function performAssumeRoleWithWebIdentity(
  deps: RoomDeps,
  keys: WebIdentityKeySource,
  ctx: RequestContext,
  input: AssumeRoleWithWebIdentityInput,
) {
  const progress = { trustEvaluated: false, principal: "anonymous" };
  try {
    return await assumeWithVerifiedToken(deps, keys, ctx, input, progress);
  } catch (error) {
    if (isAwsError(error) && !deps.decisions.recorded?.(ctx.requestId)) {
      const detail = typeof error.cause === "string" ? ` (${error.cause})` : "";
      recordRefusal(
        deps.decisions,
        ctx,
        { service: "sts", principal: progress.principal, action: ACTION, resource: input.roleArn },
        `${error.code}: ${error.message}${detail}`,
      );
    }
    throw error;
  }
}

async function assumeWithVerifiedToken(
  deps: RoomDeps,
  keys: WebIdentityKeySource,
  ctx: RequestContext,
  input: AssumeRoleWithWebIdentityInput,
  progress: { trustEvaluated: boolean; principal: string },
) {
  // A token read from a file (`aws ... --web-identity-token file://token`, `fedsim oidc token > token`) may end
  // with a line break, which is no part of any JWT: dropped, as the signature covers only the three segments.
  const token = input.token.replace(/[\r\n]+$/, "");
  // Checked here rather than with the other parameters, so that the refusal reaches the decision log.
  if (token.length < 4)
    throw validationError("webIdentityToken", token, "Member must have length greater than or equal to 4");
  if (token.length > MAX_TOKEN_CHARS)
    throw validationError(
      "webIdentityToken",
      token,
      `Member must have length less than or equal to ${MAX_TOKEN_CHARS}`,
    );
  if (input.providerId !== undefined) {
    // Amazon and Facebook access tokens are checked by asking their services, which fedsim cannot do offline.
    throw new AwsError(
      "IDPRejectedClaim",
      `${input.providerId}: fedsim cannot ask ${input.providerId} to check an OAuth 2.0 access token offline, so it accepts none; send an OpenID Connect ID token from a provider your account defines, without ProviderId.`,
      { status: 403 },
    );
  }
  const read = readToken(token);
  if (!read.ok) throw tokenRefused(read, ctx.now);
  // An OAuth access token (RFC 9068's typ at+jwt) is for resource servers, not for proving who someone is.
  if (typeof read.header.typ === "string" && read.header.typ.toLowerCase() === "at+jwt")
    throw new AwsError(
      "InvalidIdentityToken",
      "The token is an OAuth access token (typ at+jwt); AssumeRoleWithWebIdentity takes an OpenID Connect ID token.",
    );
  const issuer = read.payload.iss;
  if (typeof issuer !== "string" || issuer === "")
    throw new AwsError("InvalidIdentityToken", "The token has no iss claim, so no provider can verify it.");
  const denied = () => new AwsError("AccessDenied", `Not authorized to perform ${ACTION}`, { status: 403 });
  const accountId = parseArn(input.roleArn)?.accountId;
  const provider = accountId === undefined ? undefined : providerFor(deps, accountId, issuer);
  if (!provider)
    throw new AwsError(
      "InvalidIdentityToken",
      `No OpenIDConnect provider found in your account for ${issuer.slice(0, 256)}`,
    );
  const name = oidcProviderName(issuer);
  // AWS's built-in web identity providers are named as themselves in trust policies; others by ARN.
  const federated = name === GOOGLE ? GOOGLE : provider.arn;
  progress.principal = provider.arn;

  const verified = await verifyWithProviderKeys(keys, { token, ...read }, issuer, provider, ctx.now);
  // Cognito's tokens name an identity pool, which the trust policy checks (no client ids to match).
  const audience = verified.matchedAudience ?? verified.audiences[0]!;
  const claimed = sessionTagClaims(verified.claims);
  if ("problem" in claimed) throw new AwsError("InvalidIdentityToken", claimed.problem);
  const role = findRoleForAssume(deps, input.roleArn, denied);

  const trustKeys = webIdentityTrustContext({ providerName: name, claims: verified.claims, audience });
  const context: Record<string, ContextValue> = {
    ...requestContextKeys(ctx),
    ...trustKeys,
    "sts:RoleSessionName": input.roleSessionName,
  };
  progress.trustEvaluated = true;
  authorizeAssumeRole({
    role,
    action: ACTION,
    principal: {
      kind: "web-identity",
      arn: federated,
      accountId: provider.accountId,
      federatedProvider: federated,
    },
    tags: claimed.tags,
    transitiveTagKeys: claimed.transitiveTagKeys,
    sourceIdentity: claimed.sourceIdentity,
    context,
    denied: (action) => new AwsError("AccessDenied", `Not authorized to perform ${action}`, { status: 403 }),
    log: { decisions: deps.decisions, ctx, principal: provider.arn },
  });
  // In the store's group commit, as AssumeRole's: one commit per session (the row carries the token) was
  // a sixth of this call's CPU. Awaited, so the credentials are answered only once any process can read them.
  const session = await issueRoleSessionGrouped(deps, {
    role,
    sessionName: input.roleSessionName,
    durationSeconds: roleDuration(role, input.durationSeconds, false),
    sessionPolicies: resolveSessionPolicies(deps, input.policies, {
      accountId: role.accountId,
      kind: "role",
    }),
    tags: claimed.tags,
    transitiveTagKeys: claimed.transitiveTagKeys,
    sourceIdentity: claimed.sourceIdentity,
    chained: false,
    now: ctx.now,
    // What the session's own requests may read: who the provider vouched for, and for which client (and,
    // for Cognito's tokens, how the identity signed in, as the enhanced flow's sessions carry it).
    federationKeys: {
      [`${name}:sub`]: [verified.claims.sub],
      [`${name}:aud`]: [audience],
      ...(issuer === COGNITO_IDENTITY_ISSUER && Object.hasOwn(trustKeys, `${name}:amr`)
        ? { [`${name}:amr`]: [trustKeys[`${name}:amr`]!].flat() }
        : {}),
    },
    webIdentityToken: token,
  });
  return {
    Credentials: session.Credentials,
    SubjectFromWebIdentityToken: verified.claims.sub,
    AssumedRoleUser: session.AssumedRoleUser,
    PackedPolicySize: session.PackedPolicySize,
    Provider: issuer,
    Audience: audience,
    SourceIdentity: session.SourceIdentity,
  };
}

/**
 * The IAM OIDC provider the issuer names in the account: `oidc-provider/HOST[:PORT][/PATH]`. An issuer that is
 * not an https URL (or fedsim's loopback http) names none, whatever providers exist.
 */
function providerFor(deps: RoomDeps, accountId: string, issuer: string): OidcProviderRow | undefined {
  if (issuer === COGNITO_IDENTITY_ISSUER) return cognitoIdentityProvider(accountId);
  if (oidcProviderUrlProblem(issuer) !== undefined) return undefined;
  return deps.store.identityProviders.getOidc(iamArn(accountId, "oidc-provider", oidcProviderName(issuer)));
}

/** Verifies against the provider's keys; an unknown kid fetches the issuer's keys again, once. */
async function verifyWithProviderKeys(
  keys: WebIdentityKeySource,
  /** The token as readToken read it (to find its issuer), read once for both. */
  read: { token: string; header: TokenHeader; payload: Record<string, unknown> },
  issuer: string,
  provider: OidcProviderRow,
  now: Date,
): Promise<VerifiedToken> {
  const { token } = read;
  // The token's exp as read; by the time a refusal says "expired" the signature over it has verified.
  const exp = read.payload.exp;
  const verify = (jwks: Awaited<ReturnType<WebIdentityKeySource["jwksFor"]>>["jwks"]) =>
    verifyToken(token, {
      jwks,
      alreadyRead: read,
      issuer,
      audience:
        issuer === COGNITO_IDENTITY_ISSUER ? { checkedByCaller: true } : { oneOf: provider.clientIds },
      now,
    });
  const first = await keys.jwksFor(issuer, provider.arn);
  let result = await verify(first.jwks);
  if (!result.ok && result.reason === "unknown-kid" && first.refetchable) {
    result = await verify((await keys.jwksFor(issuer, provider.arn, { refresh: true })).jwks);
  }
  if (!result.ok) throw tokenRefused(result, now, exp);
  return result;
}

/** A verifier refusal as STS answers it: AWS's wording where AWS's is known, fedsim's sentence in `cause`. */
function tokenRefused(refusal: TokenRefusal, now: Date, exp?: unknown): AwsError {
  switch (refusal.reason) {
    case "expired":
      return new AwsError(
        "ExpiredTokenException",
        `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before the expiration date/time ${Math.floor(Number(exp))}`,
        { cause: refusal.message },
      );
    case "audience":
      return new AwsError("InvalidIdentityToken", "Incorrect token audience", { cause: refusal.message });
    default:
      return new AwsError("InvalidIdentityToken", refusal.message);
  }
}
