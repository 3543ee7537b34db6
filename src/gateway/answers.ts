import type { ServerResponse } from "node:http";
import type { AwsError } from "../errors.js";

/**
 * The gateway's own answers, shaped as API Gateway sends them: a small JSON body (`message`, or `Message`
 * for authorisation denials, as API Gateway spells each) and the x-amzn-ErrorType header clients read.
 */
export interface GatewayAnswer {
  status: number;
  errorType: string;
  body: Record<string, string>;
  /** Not AWS's: why fedsim answered so, where AWS's body does not say (a backend failure, a refused path). */
  reason?: string;
  /** Headers of the answer itself (www-authenticate on a JWT refusal). */
  headers?: readonly [string, string][];
}

export const missingAuthenticationToken = (): GatewayAnswer => ({
  status: 403,
  errorType: "MissingAuthenticationTokenException",
  body: { message: "Missing Authentication Token" },
});

export const forbidden = (reason: string): GatewayAnswer => ({
  status: 403,
  errorType: "ForbiddenException",
  body: { message: "Forbidden" },
  reason,
});

export const notFound = (reason: string): GatewayAnswer => ({
  status: 404,
  errorType: "NotFoundException",
  body: { message: "Not Found" },
  reason,
});

export const badRequest = (reason: string): GatewayAnswer => ({
  status: 400,
  errorType: "BadRequestException",
  body: { message: reason },
});

export const requestTooLong = (limit: number): GatewayAnswer => ({
  status: 413,
  errorType: "RequestEntityTooLargeException",
  body: { message: "Request Too Long" },
  reason: `The request body is larger than ${limit} bytes, API Gateway's payload limit`,
});

/**
 * API Gateway's execute-api denial: `User: ARN is not authorized to perform: execute-api:Invoke on resource:
 * ARN`, with ` with an explicit deny` when a Deny statement decided. The user is `anonymous` on NONE routes.
 */
export function notAuthorized(principal: string, resource: string, explicit: boolean): GatewayAnswer {
  return {
    status: 403,
    errorType: "AccessDeniedException",
    body: {
      Message: `User: ${principal} is not authorized to perform: execute-api:Invoke on resource: ${resource}${explicit ? " with an explicit deny" : ""}`,
    },
  };
}

export const badGateway = (reason: string): GatewayAnswer => ({
  status: 502,
  errorType: "InternalServerErrorException",
  body: { message: "Internal server error" },
  reason,
});

export const gatewayTimeout = (ms: number): GatewayAnswer => ({
  status: 504,
  errorType: "IntegrationTimeout",
  body: { message: "Endpoint request timed out" },
  reason: `The backend did not answer within ${ms} ms`,
});

/** API Gateway's wording and error type for each refusal src/auth makes. */
export function fromAuthError(error: AwsError): GatewayAnswer {
  switch (error.code) {
    case "MissingAuthenticationToken":
      return missingAuthenticationToken();
    case "InvalidClientTokenId":
      return {
        status: 403,
        errorType: "UnrecognizedClientException",
        body: { message: "The security token included in the request is invalid." },
      };
    case "ExpiredToken":
      return {
        status: 403,
        errorType: "ExpiredTokenException",
        body: { message: "The security token included in the request is expired" },
      };
    case "IncompleteSignature":
      return { status: 403, errorType: "IncompleteSignatureException", body: { message: error.message } };
    case "SignatureDoesNotMatch":
    case "RequestExpired":
      return { status: 403, errorType: "InvalidSignatureException", body: { message: error.message } };
    default:
      return { status: error.status, errorType: error.code, body: { message: error.message } };
  }
}

/** Writes an answer with the request id, the x-amzn-ErrorType header and any extra (CORS) headers. */
export function sendAnswer(
  res: ServerResponse,
  answer: GatewayAnswer,
  requestId: string,
  extra?: readonly [string, string][],
): void {
  const body = JSON.stringify(answer.body);
  res.statusCode = answer.status;
  res.setHeader("Content-Type", "application/json");
  res.setHeader("x-amzn-RequestId", requestId);
  res.setHeader("x-amzn-ErrorType", answer.errorType);
  if (answer.reason !== undefined) res.setHeader("x-fedsim-reason", headerSafe(answer.reason));
  if (answer.headers) for (const [name, value] of answer.headers) res.setHeader(name, value);
  if (extra) for (const [name, value] of extra) res.setHeader(name, value);
  res.setHeader("Content-Length", Buffer.byteLength(body));
  res.end(body);
}

/** Reasons may quote client input: keep them to printable ASCII so that no header can be split or refused. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 512);
}
