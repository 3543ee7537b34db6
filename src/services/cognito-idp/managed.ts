import { authorize } from "../../authz/authorize.js";
import { AwsError } from "../../errors.js";
import type { AnyJsonOperation, SignedContext } from "../../protocol/operation.js";
import { jsonOperation } from "../../protocol/operation.js";
import { asBody, type Body, requirePool, str, type UserPoolDeps } from "./common.js";

/** The pool ARN management calls are authorised on. */
export function userPoolArn(pool: { region: string; accountId: string; id: string }): string {
  return `arn:aws:cognito-idp:${pool.region}:${pool.accountId}:userpool/${pool.id}`;
}

/**
 * A signed management operation: authorised as cognito-idp:<Op> on the pool's ARN (a pool of another
 * account is not found, as at AWS), then run.
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
      if (resource === "pool") {
        const pool = requirePool(deps, str(body, "UserPoolId", true));
        if (pool.accountId !== ctx.caller.accountId)
          throw new AwsError("ResourceNotFoundException", `User pool ${pool.id} does not exist.`);
        arn = userPoolArn(pool);
      }
      authorize(deps, ctx, { action: `cognito-idp:${target}`, resource: arn });
      return run(ctx, body);
    },
  });
}
