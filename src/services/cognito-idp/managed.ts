import { authorize } from "../../authz/authorize.js";
import { AwsError, isAwsError } from "../../errors.js";
import type { AnyJsonOperation, SignedContext } from "../../protocol/operation.js";
import { jsonOperation } from "../../protocol/operation.js";
import { asBody, type Body, requirePool, str, type UserPoolDeps } from "./common.js";

/** The pool ARN management calls are authorised on. */
export function userPoolArn(pool: { region: string; accountId: string; id: string }): string {
  return `arn:aws:cognito-idp:${pool.region}:${pool.accountId}:userpool/${pool.id}`;
}

/**
 * A signed management operation: authorised as cognito-idp:<Op> on the pool's ARN in the caller's account
 * before the pool is looked up (so a caller without permissions learns nothing of which pools exist), then
 * a pool of another account is not found, as at AWS, then run.
 */
export function managed(
  deps: UserPoolDeps,
  target: string,
  run: (ctx: SignedContext, body: Body) => unknown | Promise<unknown>,
  resource: "pool" | "account" = "pool",
): AnyJsonOperation {
  return jsonOperation<Body>({
    target,
    input: asBody,
    run(ctx, body) {
      let arn = "*";
      let poolId: string | undefined;
      if (resource === "pool") {
        poolId = str(body, "UserPoolId", true);
        const region = poolId.includes("_") ? poolId.slice(0, poolId.indexOf("_")) : ctx.region;
        arn = userPoolArn({ region, accountId: ctx.caller.accountId, id: poolId });
      }
      try {
        authorize(deps, ctx, { action: `cognito-idp:${target}`, resource: arn });
      } catch (error) {
        throw asJsonDenial(error);
      }
      if (poolId !== undefined && requirePool(deps, poolId).accountId !== ctx.caller.accountId)
        throw new AwsError("ResourceNotFoundException", `User pool ${poolId} does not exist.`);
      return run(ctx, body);
    },
  });
}

/**
 * JSON services answer an IAM denial as AccessDeniedException, with the "User: ... is not authorized to
 * perform: ..." text; the encoded authorization message is STS's and IAM's, not theirs.
 */
function asJsonDenial(error: unknown): unknown {
  if (!isAwsError(error) || error.code !== "AccessDenied") return error;
  const at = error.message.indexOf(". Encoded authorization failure message:");
  return new AwsError("AccessDeniedException", at === -1 ? error.message : error.message.slice(0, at));
}
