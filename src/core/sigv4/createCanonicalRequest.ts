import { canonicalHeaders } from "./canonicalHeaders.js";
import { canonicalQuery } from "./canonicalQuery.js";
import { canonicalUri } from "./canonicalUri.js";
import type { SignableRequest } from "./types.js";

/** The six lines SigV4 hashes: method, URI, query, header block, signed-header list, payload hash. */
export function createCanonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
  presigned = false,
): string {
  return [
    request.method.toUpperCase(),
    canonicalUri(request.path),
    canonicalQuery(request.query, presigned),
    canonicalHeaders(request.rawHeaders, signedHeaders),
    signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
}
