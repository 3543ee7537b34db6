import { beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("jose", async (importOriginal) => {
  const jose = await importOriginal<typeof import("jose")>();
  return { ...jose, importJWK: vi.fn(jose.importJWK) };
});

const { importJWK } = await import("jose");
const { keyProblem, selectKey } = await import("../../../src/core/oidc/jwks.js");
const { es256, p384JwkUnder, rs256, rsaKeyOfSize } = await import("./fixtures.js");

describe("selectKey caches imported keys", () => {
  beforeEach(() => {
    vi.mocked(importJWK).mockClear();
  });

  it("imports a key once per JWKS entry and algorithm, however often it verifies", async () => {
    const jwks = { keys: [{ ...rs256.publicJwk, alg: undefined }] };
    for (let i = 0; i < 3; i++) expect((await selectKey(jwks, "RS256", rs256.kid)).ok).toBe(true);
    expect(importJWK).toHaveBeenCalledTimes(1);
    // WebCrypto holds an RSA key for PKCS#1 v1.5 or for PSS, not both, so PS256 imports it again.
    expect((await selectKey(jwks, "PS256", rs256.kid)).ok).toBe(true);
    expect(importJWK).toHaveBeenCalledTimes(2);
  });

  it("imports again for a newly fetched JWKS document, even with equal content", async () => {
    await selectKey({ keys: [{ ...es256.publicJwk }] }, "ES256", es256.kid);
    await selectKey({ keys: [{ ...es256.publicJwk }] }, "ES256", es256.kid);
    expect(importJWK).toHaveBeenCalledTimes(2);
  });

  it("imports only the public members of a published key", async () => {
    const leaked = { ...es256.publicJwk, d: "c2VjcmV0", ext: false, key_ops: ["verify", "sign"] };
    expect((await selectKey({ keys: [leaked] }, "ES256", es256.kid)).ok).toBe(true);
    const { kty, crv, x, y } = es256.publicJwk;
    expect(importJWK).toHaveBeenCalledWith({ kty, crv, x, y }, "ES256");
  });
});

describe("keyProblem", () => {
  it("accepts a published key that fits the algorithm", () => {
    expect(keyProblem(rs256.publicJwk as Record<string, unknown>, "RS256")).toBeUndefined();
  });

  it.each([
    [
      "an RSA key under 2048 bits",
      () => rsaKeyOfSize(1024, "weak").publicJwk,
      "RS256",
      "its RSA modulus is 1024 bits and fedsim requires at least 2048",
    ],
    [
      "an EC key on the wrong curve",
      () => p384JwkUnder("p384"),
      "ES256",
      "it is on curve P-384 and ES256 needs P-256",
    ],
    ["a symmetric key", () => ({ kty: "oct", k: "c2VjcmV0" }), "RS256", "its kty is oct and RS256 needs RSA"],
    [
      "a key whose key_ops exclude verify",
      () => ({ ...rs256.publicJwk, key_ops: ["encrypt"] }),
      "RS256",
      'its "key_ops" do not include "verify"',
    ],
    [
      "an RSA key without its modulus",
      () => ({ kty: "RSA", e: "AQAB" }),
      "RS256",
      'it lacks the RSA members "n" and "e"',
    ],
    [
      "an EC key without y",
      () => ({ kty: "EC", crv: "P-256", x: "AAAA" }),
      "ES256",
      'it lacks the EC members "x" and "y"',
    ],
  ] as const)("refuses %s", async (_name, jwk, alg, problem) => {
    expect(keyProblem((await jwk()) as Record<string, unknown>, alg)).toBe(problem);
  });
});
