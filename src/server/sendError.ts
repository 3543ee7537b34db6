import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AwsError } from "../errors.js";
import { renderJsonError, renderQueryError, sendRendered } from "../protocol/render.js";

/**
 * The wire shape of an error answered outside the AWS endpoint: Query clients (a form body or an Action
 * parameter, other than the IdP's browser forms) get an XML <ErrorResponse>, everything else AWS JSON.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, error: AwsError): void {
  const requestId = randomUUID();
  const rendered = looksLikeQuery(req) ? renderQueryError("sts", error, requestId) : renderJsonError(error);
  sendRendered(res, rendered, requestId);
}

function looksLikeQuery(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  if (q !== -1 && /(^|&)Action=/.test(url.slice(q + 1))) return true;
  if (typeof req.headers["x-amz-target"] === "string") return false;
  const path = q === -1 ? url : url.slice(0, q);
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" && !/^\/(idp\/|saml(\/|$)|oidc\/)/.test(path);
}
