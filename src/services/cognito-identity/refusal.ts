import { AwsError, type AwsErrorCode } from "../../errors.js";

/**
 * A refusal with AWS's words for the client and fedsim's precise reason for the decision log (which the
 * client's message often cannot carry: AWS answers "Invalid login token. Couldn't verify signed token." for
 * a dozen different faults).
 */
class RefusalDetail {
  constructor(readonly detail: string) {}
}

export function refusal(code: AwsErrorCode, message: string, detail?: string): AwsError {
  return new AwsError(code, message, detail === undefined ? {} : { cause: new RefusalDetail(detail) });
}

/** The decision log's reason: the code, AWS's message, and fedsim's detail when it says more. */
export function refusalReason(error: AwsError): string {
  const detail = error.cause instanceof RefusalDetail ? ` (${error.cause.detail})` : "";
  return `${error.code}: ${error.message}${detail}`;
}

/** NotAuthorizedException "Invalid login token. PHRASE", the phrase AWS uses for this kind of fault. */
export function invalidLogin(phrase: string, detail?: string): AwsError {
  return refusal("NotAuthorizedException", `Invalid login token. ${phrase}`, detail);
}

export function unsupportedProvider(detail: string): AwsError {
  return refusal(
    "NotAuthorizedException",
    "Token is not from a supported provider of this identity pool.",
    detail,
  );
}

export function loginsDontMatch(detail: string): AwsError {
  return refusal(
    "NotAuthorizedException",
    "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    detail,
  );
}

export function invalidPoolConfiguration(detail: string): AwsError {
  return refusal(
    "InvalidIdentityPoolConfigurationException",
    "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    detail,
  );
}

export function guestsNotAllowed(poolId: string): AwsError {
  return refusal(
    "NotAuthorizedException",
    "Unauthenticated access is not supported for this identity pool.",
    `identity pool ${poolId} does not allow unauthenticated identities`,
  );
}

export function identityForbidden(identityId: string, detail: string): AwsError {
  return refusal("NotAuthorizedException", `Access to Identity '${identityId}' is forbidden.`, detail);
}

/** Refusals the trust evaluation has already recorded (with its statements), which must not be logged twice. */
const recorded = new WeakSet<AwsError>();

export function alreadyRecorded(error: AwsError): AwsError {
  recorded.add(error);
  return error;
}

export function isRecorded(error: AwsError): boolean {
  return recorded.has(error);
}
