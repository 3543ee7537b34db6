import type { IncomingMessage } from "node:http";

/** API Gateway's payload limit: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type BodyResult = { body: Buffer } | { tooLarge: true } | { aborted: true };

const NO_BODY: BodyResult = { body: Buffer.alloc(0) };
const TOO_LARGE: BodyResult = { tooLarge: true };

/**
 * The whole request body, buffered: the signature covers its hash, so it is checked before the backend sees a
 * byte. A declared Content-Length over the limit is refused before reading; a chunked body as soon as it
 * passes it. Synchronous when there is no body to read.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): BodyResult | Promise<BodyResult> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return TOO_LARGE;
  // Most requests (GETs) have no body: answered at once, without a turn of the event loop.
  if (declared === "0" || (declared === undefined && req.headers["transfer-encoding"] === undefined))
    return NO_BODY;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    };
    const onAbort = () => {
      cleanup();
      resolve({ aborted: true });
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("aborted", onAbort);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
  });
}
