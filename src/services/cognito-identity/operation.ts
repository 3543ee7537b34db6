import { authorize } from "../../authz/authorize.js";
import type { ContextValue } from "../../authz/contextKeys.js";
import { identityPoolArn } from "../../core/cognito/poolId.js";
import { AwsError, isAwsError } from "../../errors.js";
import type { AnyJsonOperation, SignedContext } from "../../protocol/operation.js";
import type { IdentityPoolRow } from "../../store/identityPools.js";
import type { RoomDeps } from "../deps.js";
import type { Body } from "./input.js";

export const SERVICE = "cognito-identity";

/**
 * A signed Cognito Identity operation: authorised as `cognito-identity:<Target>` on the resource it acts on
 * (an identity pool ARN, or * for CreateIdentityPool and ListIdentityPools) before it reads any state, as
 * AWS does, so a caller without permission learns nothing about which pools exist.
 */
export function signedOperation<I>(
  deps: RoomDeps,
  target: string,
  spec: {
    input: (body: Body) => I;
    /** One resource, or several (DeleteIdentities spans pools): each must be allowed. */
    resource: (ctx: SignedContext, input: I) => string | string[];
    context?: (input: I) => Record<string, ContextValue>;
    run: (ctx: SignedContext, input: I) => unknown | Promise<unknown>;
  },
): AnyJsonOperation {
  return {
    target,
    input: (body) => spec.input(body as Body),
    run: (ctx: SignedContext, input: I) => {
      const resources = spec.resource(ctx, input);
      for (const resource of Array.isArray(resources) ? resources : [resources]) {
        try {
          authorize(deps, ctx, { action: `${SERVICE}:${target}`, resource, context: spec.context?.(input) });
        } catch (error) {
          throw asJsonDenial(error);
        }
      }
      return spec.run(ctx, input);
    },
  };
}

/**
 * JSON services answer an IAM denial as AccessDeniedException (HTTP 400), with the same "User: ... is not
 * authorized to perform: ..." text; the encoded authorization message is STS's and IAM's, not theirs.
 */
function asJsonDenial(error: unknown): unknown {
  if (!isAwsError(error) || error.code !== "AccessDenied") return error;
  const at = error.message.indexOf(". Encoded authorization failure message:");
  return new AwsError("AccessDeniedException", at === -1 ? error.message : error.message.slice(0, at));
}

/** The ARN a request names a pool by: the pool id's region and the caller's account. */
export function poolResource(ctx: SignedContext, poolId: string): string {
  return identityPoolArn(ctx.caller.accountId, poolId);
}

export function poolNotFound(poolId: string): AwsError {
  return new AwsError("ResourceNotFoundException", `IdentityPool '${poolId}' not found.`);
}

export function identityNotFound(identityId: string): AwsError {
  return new AwsError("ResourceNotFoundException", `Identity '${identityId}' not found.`);
}

/** A pool of the caller's account; another account's pool is as absent as one that does not exist. */
export function ownPool(deps: RoomDeps, ctx: SignedContext, poolId: string): IdentityPoolRow {
  const pool = deps.store.identityPools.get(poolId);
  if (!pool || pool.accountId !== ctx.caller.accountId) throw poolNotFound(poolId);
  return pool;
}

/** Any pool, for the unsigned operations (which name the pool, or an identity of it, and no account). */
export function anyPool(deps: RoomDeps, poolId: string): IdentityPoolRow {
  const pool = deps.store.identityPools.get(poolId);
  if (!pool) throw poolNotFound(poolId);
  return pool;
}

/** The pool's Logins keys: what GetPrincipalTagAttributeMap and the role mappings may name. */
export function poolProviderNames(pool: IdentityPoolRow): string[] {
  return [
    ...Object.keys(pool.supportedLoginProviders),
    ...pool.openIdConnectProviderArns.map(oidcProviderName),
    ...pool.cognitoIdentityProviders.map((p) => p.ProviderName),
    ...pool.samlProviderArns,
    ...(pool.developerProviderName ? [pool.developerProviderName] : []),
  ];
}

/** arn:aws:iam::ACCOUNT:oidc-provider/NAME -> NAME, the Logins key of an IAM OIDC provider. */
export function oidcProviderName(arn: string): string {
  const at = arn.indexOf(":oidc-provider/");
  return at === -1 ? arn : arn.slice(at + ":oidc-provider/".length);
}

/** Epoch seconds, the JSON 1.1 timestamp format the SDKs read. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
