import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { checkLength } from "../validation.js";
import { readSessionPolicies, roleArnParam, roleSessionName } from "./validation.js";
import type { WebIdentityKeySource } from "./webIdentityKeys.js";

/** The verifier and jose load with the first web identity call, not at start-up. */
let flow: Promise<typeof import("./webIdentity.js")> | undefined;

/** AssumeRoleWithWebIdentity: unsigned, as in AWS; the signed token is the credential. */
export function assumeRoleWithWebIdentity(deps: RoomDeps, keys: WebIdentityKeySource) {
  return queryOperation({
    action: "AssumeRoleWithWebIdentity",
    anonymous: true,
    input: (p) => {
      const providerId = p.get("ProviderId");
      if (providerId !== undefined) checkLength("providerId", providerId, 4, 2048);
      return {
        roleArn: roleArnParam(p.required("RoleArn")),
        roleSessionName: roleSessionName(p.required("RoleSessionName")),
        // Its length is checked with the token, so that an oversized one reaches the decision log.
        token: p.required("WebIdentityToken", "webIdentityToken"),
        providerId,
        durationSeconds: p.integer("DurationSeconds"),
        policies: readSessionPolicies(p),
      };
    },
    run: async (ctx, input) => {
      flow ??= import("./webIdentity.js");
      return (await flow).performAssumeRoleWithWebIdentity(deps, keys, ctx, input);
    },
  });
}
