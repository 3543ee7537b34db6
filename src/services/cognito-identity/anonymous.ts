import { recordRefusal } from "../../authz/recordDecision.js";
import { isAwsError } from "../../errors.js";
import type { AnyJsonOperation, RequestContext } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import type { Body } from "./input.js";
import { SERVICE } from "./operation.js";
import { isRecorded, refusalReason } from "./refusal.js";

/** What a refusal is recorded against, filled in as the operation learns it (the identity, then its pool). */
export interface RefusalSubject {
  principal: string;
  resource: string;
}

/**
 * An unsigned operation (GetId, GetCredentialsForIdentity, GetOpenIdToken, UnlinkIdentity): the logins are
 * the credential. Every refusal goes to the decision log with fedsim's reason (a trust policy's refusal
 * records its own evaluation instead).
 */
export function anonymousOperation<I>(
  deps: RoomDeps,
  target: string,
  spec: {
    input: (body: Body) => I;
    run: (ctx: RequestContext, input: I, subject: RefusalSubject) => Promise<unknown>;
  },
): AnyJsonOperation {
  return {
    target,
    anonymous: true,
    // The body is read inside run, so that a malformed or oversized request (no signature to blame) is
    // recorded too, as STS records an oversized web identity token.
    input: (body) => body,
    run: async (ctx: RequestContext, body: unknown) => {
      const subject: RefusalSubject = { principal: "anonymous", resource: "*" };
      try {
        return await spec.run(ctx, spec.input(body as Body), subject);
      } catch (error) {
        if (isAwsError(error) && !isRecorded(error))
          recordRefusal(
            deps.decisions,
            ctx,
            {
              service: SERVICE,
              principal: subject.principal,
              action: `${SERVICE}:${target}`,
              resource: subject.resource,
            },
            refusalReason(error),
          );
        throw error;
      }
    },
  };
}
