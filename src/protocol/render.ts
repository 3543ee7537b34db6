import type { ServerResponse } from "node:http";
import type { AwsError } from "../errors.js";
import { escapeXml, writeXmlValue, type XmlObject } from "./xml.js";

export interface RenderedResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export const QUERY_NAMESPACES = {
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
} as const;

export type QueryService = keyof typeof QUERY_NAMESPACES;

export function renderQueryResult(
  service: QueryService,
  action: string,
  result: XmlObject | undefined,
  requestId: string,
): RenderedResponse {
  const out = [`<${action}Response xmlns="${QUERY_NAMESPACES[service]}">`];
  if (result) {
    out.push(`<${action}Result>`);
    writeXmlValue(result, out);
    out.push(`</${action}Result>`);
  }
  out.push(`<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
  return { status: 200, contentType: "text/xml", body: out.join("") };
}

export function renderQueryError(
  service: QueryService,
  error: AwsError,
  requestId: string,
): RenderedResponse {
  const body =
    `<ErrorResponse xmlns="${QUERY_NAMESPACES[service]}"><Error><Type>${error.fault}</Type>` +
    `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, contentType: "text/xml", body };
}

/** AWS JSON 1.1 errors: `__type` in the body and x-amzn-ErrorType, which the SDKs read first. */
export function renderJsonError(error: AwsError): RenderedResponse {
  return {
    status: error.status,
    contentType: "application/x-amz-json-1.1",
    body: JSON.stringify({ __type: error.code, message: error.message }),
    headers: { "x-amzn-ErrorType": error.code },
  };
}

export function renderJsonResult(result: unknown): RenderedResponse {
  return { status: 200, contentType: "application/x-amz-json-1.1", body: JSON.stringify(result ?? {}) };
}

/** Writes a rendered AWS answer, with the request id SDKs read from x-amzn-RequestId. */
export function sendRendered(res: ServerResponse, r: RenderedResponse, requestId: string): void {
  res.statusCode = r.status;
  res.setHeader("Content-Type", r.contentType);
  res.setHeader("x-amzn-RequestId", requestId);
  if (r.headers) for (const [k, v] of Object.entries(r.headers)) res.setHeader(k, v);
  res.setHeader("Content-Length", Buffer.byteLength(r.body));
  res.end(r.body);
}
