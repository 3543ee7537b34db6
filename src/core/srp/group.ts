import { createDiffieHellman, createHash, getDiffieHellman } from "node:crypto";

/**
 * The SRP-6a group Cognito uses: the 3072-bit MODP prime of RFC 3526 (Node's "modp15") with generator 2,
 * and k = H(N | g) over the padded hex forms, as AWS's clients compute it.
 */
export const N: bigint = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);
export const g = 2n;
const N_BYTES = getDiffieHellman("modp15").getPrime().length;

/** Hex of a positive integer as AWS's SRP hashes it: even length, and a 00 byte before a high first nibble. */
export function padHex(n: bigint): string {
  if (n < 0n) throw new TypeError("padHex: negative numbers have no place in SRP");
  const hex = n.toString(16);
  if (hex.length % 2 === 1) return `0${hex}`;
  return "89abcdef".includes(hex[0]!) ? `00${hex}` : hex;
}

/** SHA-256 of the bytes a hex string spells, as hex. */
export function hexHash(hex: string): string {
  return createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
}

export const k: bigint = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

/**
 * base^exp mod N with OpenSSL's modular exponentiation (through Node's Diffie-Hellman, whose "shared
 * secret" is exactly other^private mod p): BigInt square-and-multiply over 3072 bits is ten times slower.
 * Throws for a base outside 2..N-2, which OpenSSL refuses as a public value (never a valid SRP value either).
 */
export function modPowN(base: bigint, exp: bigint): bigint {
  const dh = createDiffieHellman(toBytes(N, N_BYTES), Buffer.from([2]));
  dh.setPrivateKey(toBytes(exp));
  return BigInt(`0x${dh.computeSecret(toBytes(base % N, N_BYTES)).toString("hex") || "0"}`);
}

export function toBytes(n: bigint, length?: number): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, "hex");
  if (length === undefined || bytes.length >= length) return bytes;
  return Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}
