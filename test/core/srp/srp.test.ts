import { randomBytes } from "node:crypto";
import * as identityJs from "amazon-cognito-identity-js";
// @ts-expect-error: the client's own big-integer class has no types; it is what its SRP code takes.
import BigIntegerModule from "amazon-cognito-identity-js/lib/BigInteger.js";

// biome-ignore lint/suspicious/noExplicitAny: exported at run time, absent from the package's types.
const AuthenticationHelper = (identityJs as any).AuthenticationHelper;
const BigInteger = (BigIntegerModule as { default?: unknown }).default ?? BigIntegerModule;

import { describe, expect, it } from "vitest";
import { g, modPowN, N, padHex } from "../../../src/core/srp/group.js";
import { claimSignature, serverPublic, sharedKey } from "../../../src/core/srp/server.js";
import { parseSrpTimestamp, srpTimestamp } from "../../../src/core/srp/timestamp.js";
import { srpPoolName, srpVerifier } from "../../../src/core/srp/verifier.js";

// An independent implementation (AWS's own JavaScript client) derives the client side.
function clientKey(poolName: string, user: string, password: string, B: bigint, saltHex: string) {
  const helper = new AuthenticationHelper(poolName);
  return new Promise<{ key: Buffer; A: bigint }>((resolve, reject) => {
    helper.getLargeAValue((error: unknown, A: { toString(radix: number): string }) => {
      if (error) return reject(error);
      helper.getPasswordAuthenticationKey(
        user,
        password,
        new (BigInteger as new (v: string, r: number) => unknown)(B.toString(16), 16),
        new (BigInteger as new (v: string, r: number) => unknown)(saltHex, 16),
        (e: unknown, key: Buffer) => (e ? reject(e) : resolve({ key, A: BigInt(`0x${A.toString(16)}`) })),
      );
    });
  });
}

describe("AWS's SRP-6a variant", () => {
  it("derives the same key as amazon-cognito-identity-js for the right password", async () => {
    for (const saltHex of [
      randomBytes(16).toString("hex"),
      `00${randomBytes(15).toString("hex")}`,
      `ff${randomBytes(15).toString("hex")}`,
    ]) {
      const poolName = srpPoolName("us-east-1_AbCdEf123");
      const verifier = srpVerifier(poolName, "alice", "Passw0rd!", saltHex);
      const b = BigInt(`0x${randomBytes(64).toString("hex")}`);
      const B = serverPublic(verifier, b);
      const { key, A } = await clientKey(poolName, "alice", "Passw0rd!", B, saltHex);
      expect(sharedKey(A, B, verifier, b)?.toString("hex")).toBe(Buffer.from(key).toString("hex"));
    }
  });

  it("derives a different key when the client's password is wrong", async () => {
    const saltHex = randomBytes(16).toString("hex");
    const verifier = srpVerifier("AbCdEf123", "alice", "Passw0rd!", saltHex);
    const b = BigInt(`0x${randomBytes(64).toString("hex")}`);
    const B = serverPublic(verifier, b);
    const { key, A } = await clientKey("AbCdEf123", "alice", "wrong", B, saltHex);
    expect(sharedKey(A, B, verifier, b)?.toString("hex")).not.toBe(Buffer.from(key).toString("hex"));
  });

  it("refuses a client value that is a multiple of N or degenerate", () => {
    const verifier = srpVerifier("AbCdEf123", "alice", "x", "01");
    const b = 12345n;
    const B = serverPublic(verifier, b);
    expect(sharedKey(0n, B, verifier, b)).toBeUndefined();
    expect(sharedKey(N, B, verifier, b)).toBeUndefined();
    expect(sharedKey(2n * N, B, verifier, b)).toBeUndefined();
  });

  it("pads hex as AWS hashes it", () => {
    expect(padHex(0x1n)).toBe("01");
    expect(padHex(0x7fn)).toBe("7f");
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0xabcn)).toBe("0abc");
    expect(modPowN(g, 10n)).toBe(1024n);
  });

  it("signs the claim over pool, user, block and time", () => {
    const key = Buffer.alloc(16, 1);
    const a = claimSignature(key, "P", "u", Buffer.from("b"), "t");
    expect(a).toBe(claimSignature(key, "P", "u", Buffer.from("b"), "t"));
    expect(a).not.toBe(claimSignature(key, "P", "u", Buffer.from("c"), "t"));
  });

  it("writes and reads the timestamp as ddd MMM d HH:mm:ss UTC yyyy", () => {
    const when = new Date(Date.UTC(2021, 0, 5, 9, 3, 7));
    expect(srpTimestamp(when)).toBe("Tue Jan 5 09:03:07 UTC 2021");
    expect(parseSrpTimestamp("Tue Jan 5 09:03:07 UTC 2021")?.getTime()).toBe(when.getTime());
    expect(parseSrpTimestamp("Wed Jan 5 09:03:07 UTC 2021")).toBeUndefined();
    expect(parseSrpTimestamp("Tue Jan 05 09:03:07 UTC 2021")).toBeUndefined();
    expect(parseSrpTimestamp("2021-01-05T09:03:07Z")).toBeUndefined();
  });
});
