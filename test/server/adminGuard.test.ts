import type { NextFunction, Request, Response } from "express";
import { describe, expect, it } from "vitest";
import { adminGuard, isLoopback } from "../../src/server/adminGuard.js";

/** Runs the guard on a request from `address` with `headers`; whether it let the request through, and the answer. */
function guard(address: string, headers: Record<string, string> = {}) {
  let passed = false;
  let status = 0;
  let body: unknown;
  const req = {
    socket: { remoteAddress: address },
    headers: { host: "127.0.0.1:4566", ...headers },
  } as unknown as Request;
  const res = {
    status(code: number) {
      status = code;
      return this;
    },
    set() {
      return this;
    },
    json(value: unknown) {
      body = value;
      return this;
    },
  } as unknown as Response;
  adminGuard("s3cret-token")(req, res, (() => {
    passed = true;
  }) as NextFunction);
  return { passed, status, body };
}

describe("the admin guard of /_fedsim/*", () => {
  it("lets loopback clients through, IPv4, IPv6 and IPv4-mapped", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
      expect(guard(address).passed, address).toBe(true);
  });

  it("refuses other clients with 403 and says how to get in", () => {
    for (const address of ["10.1.2.3", "192.168.0.7", "::ffff:10.1.2.3", "2001:db8::1", "::ffff:7f00:1"]) {
      const out = guard(address);
      expect(out.passed, address).toBe(false);
      expect(out.status).toBe(403);
      expect(out.body).toMatchObject({ __type: "AccessDenied" });
    }
  });

  it("lets a client off loopback in with the admin token, as a Bearer token or X-Fedsim-Admin-Token", () => {
    expect(guard("10.1.2.3", { authorization: "Bearer s3cret-token" }).passed).toBe(true);
    expect(guard("10.1.2.3", { "x-fedsim-admin-token": "s3cret-token" }).passed).toBe(true);
  });

  it("refuses a wrong, truncated or differently-cased token", () => {
    for (const token of ["s3cret-tokem", "s3cret-toke", "S3CRET-TOKEN", "", "s3cret-token "])
      expect(guard("10.1.2.3", { authorization: `Bearer ${token}` }).passed, token).toBe(false);
    expect(guard("10.1.2.3", { authorization: "Basic s3cret-token" }).passed).toBe(false);
  });

  it("refuses a loopback client whose Host names another machine (DNS rebinding, a local reverse proxy)", () => {
    for (const host of [
      "attacker.example",
      "attacker.example:4566",
      "fedsim.company.internal",
      "127.0.0.1.nip.io:4566",
    ])
      expect(guard("127.0.0.1", { host }).passed, host).toBe(false);
    for (const host of [
      "localhost:4566",
      "LOCALHOST",
      "petstore.execute-api.localhost:4566",
      "[::1]:4566",
      "127.0.0.5",
    ])
      expect(guard("127.0.0.1", { host }).passed, host).toBe(true);
    expect(
      guard("127.0.0.1", { host: "attacker.example", authorization: "Bearer s3cret-token" }).passed,
    ).toBe(true);
  });

  it("knows loopback addresses by their form, not by prefix", () => {
    expect(isLoopback("127.0.0.1")).toBe(true);
    expect(isLoopback("127.0.0.1.evil")).toBe(false);
    expect(isLoopback("1127.0.0.1")).toBe(false);
    expect(isLoopback("::2")).toBe(false);
  });
});
