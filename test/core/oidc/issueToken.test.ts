import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { issueToken } from "../../../src/core/oidc/issueToken.js";
import { CLIENT_ID, ISSUER, NOW, NOW_SECONDS, rs256 } from "./fixtures.js";

const input = {
  privateKey: rs256.privateKey,
  kid: rs256.kid,
  alg: rs256.alg,
  claims: { iss: ISSUER, sub: "alice", aud: CLIENT_ID, nonce: "n-0S6" },
  now: NOW,
  lifetimeSeconds: 900,
};

describe("issueToken", () => {
  it("signs the claims with alg, kid and typ JWT, iat from now and exp lifetimeSeconds later", async () => {
    const token = await issueToken(input);
    expect(decodeProtectedHeader(token)).toEqual({ alg: "RS256", kid: rs256.kid, typ: "JWT" });
    expect(decodeJwt(token)).toEqual({ ...input.claims, iat: NOW_SECONDS, exp: NOW_SECONDS + 900 });
    const { payload } = await jwtVerify(token, rs256.publicJwk, { currentDate: NOW, issuer: ISSUER });
    expect(payload.sub).toBe("alice");
  });

  it("rounds a now with milliseconds down to whole seconds", async () => {
    const token = await issueToken({ ...input, now: new Date(NOW.getTime() + 999) });
    expect(decodeJwt(token).iat).toBe(NOW_SECONDS);
  });

  it("signs with a private JWK as well as a CryptoKey", async () => {
    const { exportJWK } = await import("jose");
    const token = await issueToken({ ...input, privateKey: await exportJWK(rs256.privateKey) });
    await expect(jwtVerify(token, rs256.publicJwk, { currentDate: NOW })).resolves.toBeDefined();
  });

  it.each([
    ["HS256", { alg: "HS256" as never }, "issueToken: alg HS256 is not a signing algorithm fedsim accepts"],
    ["an empty kid", { kid: "" }, "issueToken: kid must be a non-empty string"],
    ["a zero lifetime", { lifetimeSeconds: 0 }, "issueToken: lifetimeSeconds must be a positive integer"],
    ["claims without aud", { claims: { iss: ISSUER, sub: "alice" } }, "issueToken: claims must include aud"],
    [
      "claims that set exp",
      { claims: { ...input.claims, exp: 1 } },
      "issueToken: exp comes from now and lifetimeSeconds",
    ],
  ])("throws TypeError for %s", async (_name, change, message) => {
    await expect(issueToken({ ...input, ...change })).rejects.toThrow(new TypeError(message));
  });
});
