import { REQUEST_CONTEXT_HEADER, WEB_IDENTITY_TOKEN_HEADER } from "./identityContext.js";

/**
 * The headers through which a backend learns who called (or how), which the gateway alone sets: a client's own
 * are dropped before forwarding and before a module's event is built.
 */
export const IDENTITY_HEADERS: ReadonlySet<string> = new Set([
  REQUEST_CONTEXT_HEADER,
  WEB_IDENTITY_TOKEN_HEADER,
  "x-amzn-apigateway-api-id",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-forwarded-host",
  "forwarded",
]);

/**
 * Other spellings of those headers that backends still read, given a lower-cased name: CGI, WSGI and PHP map
 * both '-' and '_' to '_' (so x_amzn_request_context reads as x-amzn-request-context there), and
 * serverless-express trusts x-apigateway-event / x-apigateway-context as the Lambda event it was called with.
 */
export function isForgedSpelling(lower: string, gatewayNames: ReadonlySet<string>): boolean {
  if (lower.startsWith("x-apigateway-")) return true;
  return lower.includes("_") && gatewayNames.has(lower.replaceAll("_", "-"));
}
