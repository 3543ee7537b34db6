/** A request as the server received it: enough to rebuild the canonical request the client signed. */
export interface SignableRequest {
  method: string;
  /** Path exactly as on the request line, without the query (percent-encoded as the client sent it). */
  path: string;
  /** Raw query string without "?" ("" if none). */
  query: string;
  /** Node's IncomingMessage.rawHeaders shape: [name, value, name, value, ...], original case, duplicates kept. */
  rawHeaders: readonly string[];
}

/** What the Authorization header (or the presigned query parameters) claim. */
export interface SigV4Auth {
  kind: "header" | "presigned";
  accessKeyId: string;
  /** Credential scope date, yyyymmdd. */
  date: string;
  region: string;
  service: string;
  /** Lower-case, as listed by the client. */
  signedHeaders: readonly string[];
  /** 64 hex digits (not checked here: a malformed one simply does not match). */
  signature: string;
  /** yyyymmddThhmmssZ, from X-Amz-Date or the Date header. */
  amzDate: string;
  expiresSeconds?: number;
  securityToken?: string;
  contentSha256?: string;
}

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
