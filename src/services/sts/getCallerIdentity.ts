import { recordUnconditional } from "../../authz/recordDecision.js";
import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";

/** Always allowed, even under an explicit deny, as in AWS; the decision log still records who asked. */
export function getCallerIdentity(deps: RoomDeps) {
  return queryOperation({
    action: "GetCallerIdentity",
    input: () => undefined,
    run: (ctx) => {
      const { caller } = ctx;
      recordUnconditional(
        deps.decisions,
        ctx,
        { service: "sts", principal: caller.arn, action: "sts:GetCallerIdentity", resource: "*" },
        "Allowed: GetCallerIdentity needs no permission, and an explicit deny cannot refuse it.",
      );
      return { UserId: caller.userId, Account: caller.accountId, Arn: caller.arn };
    },
  });
}
