import { AwsError, type AwsErrorCode, isAwsError } from "../errors.js";

/**
 * SigV4 and credential failures as AWS's JSON 1.1 services name them. The codes fedsim's authentication throws
 * are STS's and IAM's (AWS Query); Cognito and the other JSON services answer the same faults with their own
 * `...Exception` names, which is what their SDKs see (recorded answers: MissingAuthenticationTokenException
 * "Request is missing Authentication Token", UnrecognizedClientException "The security token included in the
 * request is invalid." with HTTP 400). The statuses of the other two are kept (a guess).
 */
const JSON_CODES = new Map<AwsErrorCode, { code: AwsErrorCode; status?: number }>([
  ["MissingAuthenticationToken", { code: "MissingAuthenticationTokenException" }],
  ["InvalidClientTokenId", { code: "UnrecognizedClientException", status: 400 }],
  ["SignatureDoesNotMatch", { code: "InvalidSignatureException" }],
  ["ExpiredToken", { code: "ExpiredTokenException" }],
]);

export function asJsonAuthError(error: unknown): unknown {
  if (!isAwsError(error)) return error;
  const json = JSON_CODES.get(error.code);
  if (json === undefined) return error;
  return new AwsError(json.code, error.message, {
    status: json.status ?? error.status,
    cause: error.cause,
  });
}
