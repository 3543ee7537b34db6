import { createHmac } from "node:crypto";

/**
 * SECRET_HASH as AWS's documentation defines it, computed here rather than with fedsim's own function:
 * Base64(HMAC-SHA256(key = client secret, message = username + client id)).
 */
export function secretHashOf(secret: string, username: string, clientId: string): string {
  return createHmac("sha256", secret)
    .update(username + clientId)
    .digest("base64");
}
