import { createHmac } from "node:crypto";
import { g, hexHash, k, modPowN, N, padHex } from "./group.js";

/** The server's public value B = (k·v + g^b) mod N for a verifier v (hex) and the secret b (injected). */
export function serverPublic(verifierHex: string, b: bigint): bigint {
  const v = BigInt(`0x${verifierHex}`);
  return (k * v + modPowN(g, b)) % N;
}

/**
 * The key both sides derive: S = (A · v^u)^b mod N with u = H(A | B), then AWS's HKDF of S salted with u
 * (HMAC-SHA256, info "Caldera Derived Key" and counter 1, the first 16 bytes). undefined when A is not a
 * valid client value (A mod N = 0, or a degenerate product), which the caller refuses.
 */
export function sharedKey(A: bigint, B: bigint, verifierHex: string, b: bigint): Buffer | undefined {
  if (A <= 0n || A % N === 0n) return undefined;
  const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
  if (u === 0n) return undefined;
  const v = BigInt(`0x${verifierHex}`);
  let S: bigint;
  try {
    S = modPowN((A * modPowN(v, u)) % N, b);
  } catch {
    return undefined;
  }
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex"))
    .update(Buffer.from(padHex(S), "hex"))
    .digest();
  return createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** The PASSWORD_CLAIM_SIGNATURE a client who knows the password sends: HMAC(key, pool | user | block | time). */
export function claimSignature(
  key: Buffer,
  poolName: string,
  userId: string,
  secretBlock: Buffer,
  timestamp: string,
): string {
  return createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, "utf8"),
        Buffer.from(userId, "utf8"),
        secretBlock,
        Buffer.from(timestamp, "utf8"),
      ]),
    )
    .digest("base64");
}
