import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestContext } from "../auth/requestContext.js";
import { sendAnswer } from "./answers.js";
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
    rawHeaders: req.rawHeaders,
    body,
    requestContext: JSON.parse(requestContextJson) as Record<string, unknown>,
    now: ctx.now,
  });
  invokeModule(t.api.module!, event, answerHeaders, res, (answer) =>
    sendAnswer(res, answer, requestId, cors),
  );
}
