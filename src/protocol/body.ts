import type { IncomingMessage } from "node:http";
import { AwsError } from "../errors.js";

/** AWS API requests are small; 1 MiB bounds memory per request without limiting any real call. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

/**
 * Reads the whole body, refusing more than `limit` bytes (by Content-Length up front, or as it streams).
 * Resolves with the bytes; rejects with AwsError RequestEntityTooLarge (413).
 */
export function readBody(req: IncomingMessage, limit = MAX_API_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on("error", (error) => {
      if (!failed) {
        failed = true;
        reject(new AwsError("IncompleteSignature", `Request body could not be read: ${error.message}`));
      }
    });
  });
}

function tooLarge(limit: number): AwsError {
  return new AwsError("RequestEntityTooLarge", `Request body must be no larger than ${limit} bytes`, {
    status: 413,
  });
}
