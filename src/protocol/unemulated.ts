import { AwsError } from "../errors.js";
import { type RenderedResponse, renderJsonError, renderQueryError } from "./render.js";
import { escapeXml } from "./xml.js";

type Wire = "query" | "ec2" | "json" | "rest-json" | "rest-xml" | "s3";

/** Wire protocols of common services fedsim does not emulate, by SigV4 signing name; others default by shape. */
const WIRES = new Map<string, Wire>([
  ["s3", "s3"],
  ["ec2", "ec2"],
  ["sns", "query"],
  ["rds", "query"],
  ["elasticache", "query"],
  ["cloudformation", "query"],
  ["autoscaling", "query"],
  ["elasticloadbalancing", "query"],
  ["elasticbeanstalk", "query"],
  ["monitoring", "query"],
  ["email", "query"],
  ["redshift", "query"],
  ["cloudfront", "rest-xml"],
  ["route53", "rest-xml"],
  ["lambda", "rest-json"],
  ["apigateway", "rest-json"],
  ["eks", "rest-json"],
  ["batch", "rest-json"],
  ["appsync", "rest-json"],
  ["iot", "rest-json"],
]);

/** What fedsim does answer, for the message. */
export const SERVED_SERVICES =
  "IAM (iam), STS (sts), Cognito Identity (cognito-identity) and Cognito user pools (cognito-idp)";

/**
 * The answer for a request to an AWS service fedsim does not emulate: one error naming the service, in that
 * service's wire shape where known, so `aws s3 ls` says what is wrong instead of "MissingAction". 501, which
 * SDKs do not retry.
 */
export function unemulatedService(
  service: string,
  requestId: string,
  hint: { target?: string },
): RenderedResponse {
  const error = new AwsError(
    "NotImplemented",
    `fedsim does not emulate the AWS service '${service}'${hint.target ? ` (X-Amz-Target ${hint.target})` : ""}; it answers ${SERVED_SERVICES} on this endpoint`,
    { status: 501 },
  );
  const wire = WIRES.get(service) ?? (hint.target !== undefined ? "json" : "rest-json");
  switch (wire) {
    case "query":
      return renderQueryError("sts", error, requestId);
    case "ec2":
      // EC2's own error document, which the SDKs read as Response/Errors/Error.
      return {
        status: error.status,
        contentType: "text/xml",
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${error.code}</Code>` +
          `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case "s3":
      return {
        status: error.status,
        contentType: "application/xml",
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code>` +
          `<Message>${escapeXml(error.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case "rest-xml":
      return {
        status: error.status,
        contentType: "text/xml",
        body:
          `<ErrorResponse><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case "json":
      return renderJsonError(error);
    case "rest-json":
      return {
        status: error.status,
        contentType: "application/json",
        body: JSON.stringify({ message: error.message }),
        headers: { "x-amzn-ErrorType": error.code },
      };
  }
}

/**
 * An unsigned request with no Action and nothing in its query or body (an anonymous S3 ListBuckets, a
 * browser): not a call to a service fedsim emulates, and nothing says which it is.
 */
export function unidentifiedService(requestId: string): RenderedResponse {
  const error = new AwsError(
    "NotImplemented",
    `fedsim could not tell which AWS service this unsigned request is for (it names no Action); it answers ${SERVED_SERVICES} on this endpoint, and the built-in IdP at /idp/login`,
    { status: 501 },
  );
  return renderQueryError("sts", error, requestId);
}

/** The SigV4 signing name of a request (from the Authorization header or X-Amz-Credential), if signed. */
export function signingServiceOf(authorization: string | undefined, url: string): string | undefined {
  const header =
    authorization && /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization);
  if (header) return header[1];
  const q = url.indexOf("?");
  if (q === -1) return undefined;
  const query =
    /(?:^|&)X-Amz-Credential=[^&/]+(?:%2F|\/)\d{8}(?:%2F|\/)[^&/%]+(?:%2F|\/)([^&/%]+)(?:%2F|\/)aws4_request/i.exec(
      url.slice(q + 1),
    );
  return query?.[1];
}
