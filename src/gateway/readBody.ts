import type { IncomingMessage } from "node:http";

/** API Gateway's payload limit: 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const EMPTY = Buffer.alloc(0);

export type BodyResult = { body: Buffer } | { tooLarge: true } | { aborted: true };

/**
 * The whole request body, buffered: the signature covers its hash, so it is checked before the backend sees a
 * byte. A declared Content-Length over the limit is refused before reading; a chunked body as soon as it
 * passes it.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ tooLarge: true });
  if (declared === "0" || (declared === undefined && req.headers["transfer-encoding"] === undefined))
    return Promise.resolve({ body: EMPTY });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve({ tooLarge: true });
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
