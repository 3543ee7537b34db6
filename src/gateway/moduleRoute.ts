import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "../auth/requestContext.js";
import { sendAnswer } from "./answers.js";
import { IDENTITY_HEADERS, isForgedSpelling } from "./forgedHeaders.js";
import { METHOD_OVERRIDE_HEADERS } from "./headerChecks.js";
import { invokeModule } from "./moduleIntegration.js";
import type { Target } from "./pipeline.js";
import { proxyEvent } from "./proxyEvent.js";
import { checkRequestPath } from "./requestPath.js";

/**
 * The pipeline's last step for a `module` integration: the REST proxy event built from the admitted request
 * (its requestContext the same one an HTTP backend receives in x-amzn-request-context), the handler called
 * in-process, its result (or failure) answered.
 */
export function invokeModuleRoute(
  req: IncomingMessage,
  res: ServerResponse,
  t: Target,
  ctx: RequestContext,
  body: Buffer,
  requestContextJson: string,
  answerHeaders: readonly [string, string][],
  requestId: string,
  cors: readonly [string, string][] | undefined,
): void {
  const path = checkRequestPath(t.apiPath);
  const event = proxyEvent({
    method: t.signable.method,
    apiPath: t.apiPath,
    segments: "segments" in path ? path.segments : [],
    template: t.route.template,
    query: t.signable.query,
    rawHeaders: eventHeaders(req, ctx),
    body,
    requestContext: JSON.parse(requestContextJson) as Record<string, unknown>,
    now: ctx.now,
  });
  invokeModule(t.api.module!, event, answerHeaders, res, (answer) =>
    sendAnswer(res, answer, requestId, cors),
  );
}

/** Names the event never takes from the client: who called and how, which the gateway sets, as for an HTTP backend. */
const NOT_FROM_CLIENT: ReadonlySet<string> = new Set([...IDENTITY_HEADERS, ...METHOD_OVERRIDE_HEADERS]);

/**
 * The client's headers as the handler sees them: forged identity headers, method overrides and their other
 * spellings left out, and X-Forwarded-For/-Proto/-Port set from the connection (a handler behind API Gateway
 * reads the caller's address there).
 */
function eventHeaders(req: IncomingMessage, ctx: RequestContext): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = raw[i]!.toLowerCase();
    if (NOT_FROM_CLIENT.has(lower) || isForgedSpelling(lower, NOT_FROM_CLIENT)) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  out.push(
    "X-Forwarded-For",
    ctx.sourceIp,
    "X-Forwarded-Proto",
    ctx.secureTransport ? "https" : "http",
    "X-Forwarded-Port",
    String(req.socket.localPort ?? ""),
  );
  return out;
}
