import { randomBytes, randomUUID } from "node:crypto";

/** Unique-id prefixes AWS uses: users, roles, managed policies, long-term and temporary access keys. */
export type IdPrefix = "AIDA" | "AROA" | "ANPA" | "AKIA" | "ASIA" | "APKA";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export type RandomSource = (size: number) => Uint8Array;

// Issuing a session takes ~150 random bytes in three draws; taking them from a pool refilled 4 KiB at a time
// spares a system call per draw on the AssumeRole path. The bytes are the same CSPRNG's.
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let poolOffset = 0;
export const defaultRandom: RandomSource = (size) => {
  if (size > POOL_SIZE) return randomBytes(size);
  if (poolOffset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  // A copy, so that no caller holds a view of bytes later handed to another.
  const out = Uint8Array.prototype.slice.call(pool, poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
};

function pick(alphabet: string, length: number, random: RandomSource): string {
  // Rejection-free because both alphabets have a power-of-two size (32, 64).
  const bytes = random(length);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** `AKIA`/`ASIA`/`AROA`... + 16 upper-case base32 characters, as AWS issues them. */
export function newUniqueId(prefix: IdPrefix, random: RandomSource = defaultRandom): string {
  return prefix + pick(BASE32, 16, random);
}

/** 40-character secret access key. */
export function newSecretAccessKey(random: RandomSource = defaultRandom): string {
  return pick(SECRET_CHARS, 40, random);
}

/** Opaque session token; long and base64 like AWS's, meaningful only as a lookup key. */
export function newSessionToken(random: RandomSource = defaultRandom): string {
  return `FQoGZXIvYXdzE${Buffer.from(random(96)).toString("base64")}`;
}

/** Cognito identity id: `REGION:UUID`. */
export function newIdentityId(region: string, uuid: () => string = randomUUID): string {
  return `${region}:${uuid()}`;
}
