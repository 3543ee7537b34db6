import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";
import { srpPoolName, srpVerifier } from "../../core/srp/verifier.js";

/**
 * scrypt N=2^15, r=8, p=1 (32 MiB, tens of ms a hash here): OWASP's floor for scrypt is N=2^17 with r=8,
 * but fedsim is a local emulator whose tests sign in hundreds of times; 2^15 keeps a stolen database file
 * expensive to search while a sign-in stays quick. The parameters are stored with each hash, so raising
 * them later leaves old hashes readable.
 */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, maxmem: 64 * 1024 * 1024 };

export interface StoredPassword {
  passwordHash: string;
  srpSalt: string;
  srpVerifier: string;
}

function encode(salt: Buffer, hash: Buffer): string {
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/** The scrypt hash and the SRP verifier of a new password: what a user row keeps instead of it. */
export async function storedPassword(
  poolId: string,
  username: string,
  password: string,
): Promise<StoredPassword> {
  const salt = randomBytes(16);
  const hash = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, SCRYPT.keyLength, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );
  return withVerifier(poolId, username, password, encode(salt, hash));
}

/** The same, synchronously, for seeding the config before the server answers. */
export function storedPasswordSync(poolId: string, username: string, password: string): StoredPassword {
  const salt = randomBytes(16);
  return withVerifier(
    poolId,
    username,
    password,
    encode(salt, scryptSync(password, salt, SCRYPT.keyLength, SCRYPT)),
  );
}

function withVerifier(
  poolId: string,
  username: string,
  password: string,
  passwordHash: string,
): StoredPassword {
  const srpSalt = randomBytes(16).toString("hex");
  return {
    passwordHash,
    srpSalt,
    srpVerifier: srpVerifier(srpPoolName(poolId), username, password, srpSalt),
  };
}

/** Whether a password matches a stored scrypt hash, compared in constant time. */
export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, "base64");
  const expected = Buffer.from(parts[5]!, "base64");
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, expected.length, { N, r, p, maxmem: SCRYPT.maxmem }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
  return timingSafeEqual(actual, expected);
}
