import { createHash } from "node:crypto";

/** AWS's pattern for a user pool id: the region, "_", then 9 letters and digits (as AWS issues them). */
export const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]{9}$/;
/** A user pool client id: 26 lower-case letters and digits. */
export const USER_POOL_CLIENT_ID = /^[0-9a-z]{26}$/;

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const LOWER = "0123456789abcdefghijklmnopqrstuvwxyz";

/**
 * A pool id derived from where and what the pool is, so a config's trust policies and role mappings can
 * name it before it exists; the same region, account and name always give the same id.
 */
export function derivedUserPoolId(region: string, accountId: string, name: string): string {
  return `${region}_${pick(`userpool\0${region}\0${accountId}\0${name}`, ALPHANUMERIC, 9)}`;
}

/** A client id derived from its pool and name, for the same reason. */
export function derivedClientId(poolId: string, clientName: string): string {
  return pick(`client\0${poolId}\0${clientName}`, LOWER, 26);
}

/** A pool id from random bytes (for CreateUserPool): the caller's RNG, so this stays pure. */
export function userPoolIdFrom(region: string, random: Buffer): string {
  return `${region}_${spell(random, ALPHANUMERIC, 9)}`;
}

export function clientIdFrom(random: Buffer): string {
  return spell(random, LOWER, 26);
}

function pick(seed: string, alphabet: string, length: number): string {
  return spell(createHash("sha256").update(seed, "utf8").digest(), alphabet, length);
}

/** Letters from bytes by rejection sampling, so every letter is equally likely (no modulo bias). */
function spell(bytes: Buffer, alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  let source = bytes;
  let i = 0;
  while (out.length < length) {
    if (i === source.length) {
      source = createHash("sha256").update(source).digest();
      i = 0;
    }
    const byte = source[i++]!;
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}
