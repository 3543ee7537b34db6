import type { Caller } from "../auth/caller.js";
import { AwsError } from "../errors.js";

/**
 * What AWS lets credentials from GetSessionToken and GetFederationToken call, whatever their policies say
 * (STS API reference, GetSessionToken and GetFederationToken): session-token credentials may call no IAM
 * operation without MFA (fedsim has no MFA) and no STS operation but AssumeRole and GetCallerIdentity;
 * federation-token credentials may call no IAM operation and no STS operation but GetCallerIdentity.
 */
export function checkSessionLimits(caller: Caller, service: string, action: string): void {
  const kind = caller.session?.kind;
  if (kind !== "user-session" && kind !== "federated-user") return;
  if (service === "iam") {
    // What AWS answers for IAM calls made with such credentials.
    throw new AwsError("InvalidClientTokenId", "The security token included in the request is invalid", {
      status: 403,
    });
  }
  if (service !== "sts" || action === "GetCallerIdentity") return;
  if (kind === "user-session" && action === "AssumeRole") return;
  // GetSessionToken and GetFederationToken answer their own AWS messages.
  if (action === "GetSessionToken" || action === "GetFederationToken") return;
  const source = kind === "user-session" ? "GetSessionToken" : "GetFederationToken";
  throw new AwsError("AccessDenied", `Cannot call ${action} with credentials from ${source}`, {
    status: 403,
  });
}
