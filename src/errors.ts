/**
 * Every AWS error code fedsim can answer, and the one error class services throw.
 * A bad request from the wire throws AwsError; a caller's programming mistake throws TypeError.
 * `src/protocol` renders AwsError into the wire shape (Query XML or JSON 1.1 `__type`).
 */
export type AwsErrorCode =
  // authentication (SigV4, credentials)
  | "MissingAuthenticationToken"
  | "IncompleteSignature"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch"
  | "RequestExpired"
  | "ExpiredToken"
  | "ExpiredTokenException"
  | "XAmzContentSHA256Mismatch"
  | "UnrecognizedClientException"
  | "MissingAuthenticationTokenException"
  | "InvalidSignatureException"
  // authorization
  | "AccessDenied"
  | "AccessDeniedException"
  // request shape
  | "InvalidAction"
  | "UnknownOperationException"
  | "MalformedQueryString"
  | "MissingAction"
  | "MissingParameter"
  | "InvalidParameterValue"
  | "InvalidParameterCombination"
  | "InvalidQueryParameter"
  | "ValidationError"
  | "ValidationException"
  | "SerializationException"
  | "RequestEntityTooLarge"
  | "RequestHeaderFieldsTooLarge"
  | "NotFound"
  | "NotImplemented"
  | "InternalFailure"
  // IAM
  | "NoSuchEntity"
  | "EntityAlreadyExists"
  | "DeleteConflict"
  | "LimitExceeded"
  | "MalformedPolicyDocument"
  | "InvalidInput"
  | "PolicyEvaluation"
  // STS
  | "PackedPolicyTooLarge"
  | "InvalidIdentityToken"
  | "IDPRejectedClaim"
  | "IDPCommunicationError"
  | "InvalidAuthorizationMessageException"
  | "RegionDisabledException"
  // Cognito Identity
  | "NotAuthorizedException"
  | "ResourceNotFoundException"
  | "InvalidParameterException"
  | "ResourceConflictException"
  | "TooManyRequestsException"
  | "InternalErrorException"
  | "InvalidIdentityPoolConfigurationException"
  | "DeveloperUserAlreadyRegisteredException"
  | "ConcurrentModificationException"

  // Cognito user pools
  | "UserNotFoundException"
  | "UsernameExistsException"
  | "UserNotConfirmedException"
  | "CodeMismatchException"
  | "ExpiredCodeException"
  | "InvalidPasswordException"
  | "PasswordResetRequiredException"
  | "GroupExistsException"
  | "LimitExceededException"
  | "InvalidUserPoolConfigurationException"
  | "UnsupportedTokenTypeException"
  | "UnauthorizedException";

export interface AwsErrorOptions {
  /** HTTP status; defaults to 400. */
  status?: number;
  /** Server-side faults are rendered as `Receiver`, client faults as `Sender` (Query protocol). */
  fault?: "Sender" | "Receiver";
  cause?: unknown;
}

export class AwsError extends Error {
  override readonly name = "AwsError";
  readonly code: AwsErrorCode;
  readonly status: number;
  readonly fault: "Sender" | "Receiver";

  constructor(code: AwsErrorCode, message: string, options: AwsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? "Receiver" : "Sender");
  }
}

export function isAwsError(value: unknown): value is AwsError {
  return value instanceof AwsError;
}
