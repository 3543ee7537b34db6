import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Server state a client carries between InitiateAuth and RespondToAuthChallenge (the SRP SECRET_BLOCK, a
 * challenge Session), sealed with AES-256-GCM under a per-database secret: opaque and unforgeable, and no
 * table of half-finished sign-ins to grow. `purpose` is bound in, so a Session never passes for a block.
 */
export function seal(key: Buffer, purpose: string, value: Record<string, unknown>): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(purpose, "utf8"));
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, purpose: string, sealed: Buffer): Record<string, unknown> | undefined {
  if (sealed.length < 29) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(purpose, "utf8"));
    decipher.setAuthTag(sealed.subarray(12, 28));
    const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
