import { createHash } from "node:crypto";
import { g, hexHash, modPowN, padHex } from "./group.js";

/** The part of a pool id after its region: AWS's SRP calls it the pool name and hashes it with the user. */
export function srpPoolName(poolId: string): string {
  const name = poolId.slice(poolId.indexOf("_") + 1);
  if (name === "" || !poolId.includes("_")) throw new TypeError(`srpPoolName: ${poolId} is not a pool id`);
  return name;
}

/** x = H(salt | H(poolName | userId ":" password)), with the salt in its padded hex form. */
export function privateValue(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = createHash("sha256").update(`${poolName}${userId}:${password}`, "utf8").digest("hex");
  return BigInt(`0x${hexHash(padHex(BigInt(`0x${saltHex}`)) + inner)}`);
}

/** The verifier v = g^x mod N kept for a user instead of the password (salt: hex, from the caller's RNG). */
export function srpVerifier(poolName: string, userId: string, password: string, saltHex: string): string {
  return modPowN(g, privateValue(poolName, userId, password, saltHex)).toString(16);
}
