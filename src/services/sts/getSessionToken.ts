import { recordUnconditional } from "../../authz/recordDecision.js";
import { AwsError } from "../../errors.js";
import { queryOperation } from "../../protocol/operation.js";
import type { RoomDeps } from "../deps.js";
import { issueCredentials } from "../sessions/credentials.js";
import { durationSeconds, rootCapped } from "../sessions/durationSeconds.js";
import { serialNumber, tokenCode } from "./validation.js";

export function getSessionToken(deps: RoomDeps) {
  return queryOperation({
    action: "GetSessionToken",
    input: (p) => {
      const serial = p.get("SerialNumber");
      const code = p.get("TokenCode");
      return {
        durationSeconds: p.integer("DurationSeconds"),
        serialNumber: serial === undefined ? undefined : serialNumber(serial),
        tokenCode: code === undefined ? undefined : tokenCode(code),
      };
    },
    run: (ctx, input) => {
      const { caller, now } = ctx;
      if (caller.session) {
        throw new AwsError("AccessDenied", "Cannot call GetSessionToken with session credentials", {
          status: 403,
        });
      }
      if (caller.kind !== "user" && caller.kind !== "root") {
        throw new AwsError(
          "AccessDenied",
          "Only IAM users and the account root user can call GetSessionToken",
          { status: 403 },
        );
      }
      if (input.tokenCode !== undefined || input.serialNumber !== undefined) {
        // fedsim has no MFA devices; accepting any code would make MFA conditions meaningless.
        throw new AwsError("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code", {
          status: 403,
        });
      }
      // 15 min .. 36 h (default 12 h); the root user's sessions are cut to an hour rather than refused.
      const seconds = rootCapped(caller, durationSeconds(input.durationSeconds, 43_200, 900, 129_600));
      const { xml } = issueCredentials(deps.store, {
        accountId: caller.accountId,
        kind: "user-session",
        principalArn: caller.arn,
        userId: caller.userId,
        sourceId: caller.user?.id ?? null,
        roleArn: null,
        sessionName: null,
        sessionPolicies: [],
        tags: [],
        transitiveTagKeys: [],
        sourceIdentity: null,
        chained: false,
        issuedAt: now.getTime(),
        expiresAt: now.getTime() + seconds * 1000,
      });
      // GetSessionToken needs no permission (AWS: "No permissions are required for users to perform this
      // operation"); the log still records who obtained credentials. Refusals above are recorded by the endpoint.
      recordUnconditional(
        deps.decisions,
        ctx,
        { service: "sts", principal: caller.arn, action: "sts:GetSessionToken", resource: "*" },
        "Allowed: GetSessionToken needs no permission for IAM users and the account root.",
      );
      return { Credentials: xml };
    },
  });
}
