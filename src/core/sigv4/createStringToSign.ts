import { createHash } from "node:crypto";
import { ALGORITHM } from "./types.js";

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/**
 * The canonical request is a byte string (see canonicalHeaders): hashed as latin1, each character is the
 * byte the client sent. Every other part of it (method, encoded URI and query, header names) is ASCII.
 */
export function createStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${createHash("sha256").update(canonicalRequest, "latin1").digest("hex")}`;
}
