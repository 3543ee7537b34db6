import { AwsError } from "../../errors.js";
import { queryOperation, type ServiceDeps } from "../operation.js";
import { issueCredentials } from "./credentials.js";
import { durationSeconds } from "./durationSeconds.js";

// GetSessionToken: 15 min .. 36 h for IAM users (default 12 h); root is capped at 1 h.
const USER_MAX = 129_600;
const ROOT_MAX = 3_600;

export function getSessionToken(deps: ServiceDeps) {
  return queryOperation({
    action: "GetSessionToken",
    input: (p) => ({
      durationSeconds: p.integer("DurationSeconds"),
      serialNumber: p.get("SerialNumber"),
      tokenCode: p.get("TokenCode"),
    }),
    run: ({ caller, now }, input) => {
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
      const isRoot = caller.kind === "root";
      const seconds = durationSeconds(
        input.durationSeconds,
        isRoot ? ROOT_MAX : 43_200,
        900,
        isRoot ? ROOT_MAX : USER_MAX,
      );
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
      return { Credentials: xml };
    },
  });
}
