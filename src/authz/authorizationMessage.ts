import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AwsError } from "../errors.js";
import type { Store } from "../store/store.js";

/**
 * Encoded authorization failure messages, as AWS attaches to some denials: the decision, the statements
 * that made it and the request context, sealed with AES-256-GCM under a per-database key, so only
 * DecodeAuthorizationMessage (which itself needs permission) can read them.
 */
const KEY_NAME = "authorization-message";

export function encodeAuthorizationMessage(store: Store, message: object): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", store.secrets.secret(KEY_NAME), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(message), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

export function decodeAuthorizationMessage(store: Store, encoded: string): string {
  const invalid = () =>
    new AwsError(
      "InvalidAuthorizationMessageException",
      "The encoded authorization message is invalid or was not issued by this fedsim.",
    );
  if (!/^[A-Za-z0-9_-]{40,}$/.test(encoded)) throw invalid();
  const raw = Buffer.from(encoded, "base64url");
  try {
    const decipher = createDecipheriv("aes-256-gcm", store.secrets.secret(KEY_NAME), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    throw invalid();
  }
}
