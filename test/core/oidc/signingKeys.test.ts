import { calculateJwkThumbprint, exportPKCS8 } from "jose";
import { describe, expect, it } from "vitest";
import { publicJwkOf, signingKeyFromPkcs8 } from "../../../src/core/oidc/signingKeys.js";
import { es256, rs256 } from "./fixtures.js";

describe("signing keys", () => {
  it("generates an RSA 2048 key whose published JWK is public, for signing, with its thumbprint as kid", async () => {
    const { kty, n, e } = rs256.publicJwk;
    expect(rs256.publicJwk).toEqual({ kty, n, e, kid: rs256.kid, alg: "RS256", use: "sig" });
    expect(Buffer.from(n!, "base64url").length * 8).toBe(2048);
    expect(rs256.kid).toBe(await calculateJwkThumbprint({ kty, n, e }, "sha256"));
  });

  it("generates ES256 on P-256", () => {
    expect([es256.publicJwk.kty, es256.publicJwk.crv, es256.publicJwk.d]).toEqual(["EC", "P-256", undefined]);
  });

  it("loads a saved PKCS#8 key back with the same public JWK and kid", async () => {
    const loaded = await signingKeyFromPkcs8(await exportPKCS8(rs256.privateKey));
    expect([loaded.kid, loaded.publicJwk]).toEqual([rs256.kid, rs256.publicJwk]);
  });

  it("refuses to publish a private key", async () => {
    await expect(publicJwkOf(rs256.privateKey, "RS256")).rejects.toThrow(
      new TypeError("publicJwkOf: pass the public key, not the private key"),
    );
  });
});
