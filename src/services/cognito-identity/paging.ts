import { AwsError } from "../../errors.js";

/**
 * NextToken: the last id of the page, sealed in base64url with a prefix so that a token from another list
 * (or a made-up one) is refused instead of silently starting somewhere.
 */
const PREFIX = "fedsim-page:";

export function encodePageToken(lastId: string): string {
  return Buffer.from(PREFIX + lastId, "utf8").toString("base64url");
}

export function decodePageToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!text.startsWith(PREFIX)) throw new AwsError("InvalidParameterException", "Invalid pagination token.");
  return text.slice(PREFIX.length);
}
