import { hash } from "node:crypto";
import { ALGORITHM } from "./types.js";

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/**
 * The canonical request is a byte string (see canonicalHeaders): hashed as latin1, each character is the
 * byte the client sent. Every other part of it (method, encoded URI and query, header names) is ASCII.
 */
export function createStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  // crypto.hash, one call: half what a Hash object costs for a string this short.
  const digest = hash("sha256", Buffer.from(canonicalRequest, "latin1"), "hex");
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${digest}`;
}
