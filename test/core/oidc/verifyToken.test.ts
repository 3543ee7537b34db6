import { describe, expect, it } from "vitest";
import type { SigningAlgorithm } from "../../../src/core/oidc/algorithms.js";
import { issueToken } from "../../../src/core/oidc/issueToken.js";
import { readToken } from "../../../src/core/oidc/readToken.js";
import { generateSigningKey } from "../../../src/core/oidc/signingKeys.js";
import {
  CLIENT_ID,
  claims,
  es256,
  handmade,
  ISSUER,
  NOW,
  NOW_SECONDS,
  ps256,
  rs256,
  signedBy,
  verify,
} from "./fixtures.js";

const issue = (key: typeof rs256, extra: Record<string, unknown> = {}) =>
  issueToken({
    privateKey: key.privateKey,
    kid: key.kid,
    alg: key.alg,
    claims: { iss: ISSUER, sub: "alice", aud: CLIENT_ID, ...extra },
    now: NOW,
    lifetimeSeconds: 3600,
  });

describe("verifyToken accepts", () => {
  it.each([
    ["RS256", rs256],
    ["PS256", ps256],
    ["ES256", es256],
  ] as const)("a %s token issued by issueToken and published in the JWKS", async (alg, key) => {
    const result = await verify(await issue(key, { email: "alice@example.com" }));
    expect(result).toEqual({
      ok: true,
      header: { alg, kid: key.kid, typ: "JWT" },
      claims: { ...claims(), email: "alice@example.com" },
      audiences: [CLIENT_ID],
      matchedAudience: CLIENT_ID,
    });
  });

  it("every allowed algorithm, RS/PS 384 and 512 with one RSA key published without alg, ES384/ES512 on their curves", async () => {
    const rsa = await generateSigningKey("RS384");
    const { alg: _alg, ...rsaAnyAlg } = rsa.publicJwk;
    const es384 = await generateSigningKey("ES384");
    const es512 = await generateSigningKey("ES512");
    const jwks = { keys: [rsaAnyAlg, es384.publicJwk, es512.publicJwk] };
    const algs: SigningAlgorithm[] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
    for (const alg of algs) {
      const result = await verify(signedBy({ ...rsa, alg }), { jwks });
      expect(result.ok && result.header.alg).toBe(alg);
    }
    for (const key of [es384, es512]) {
      const result = await verify(signedBy(key), { jwks });
      expect(result.ok && result.header.alg).toBe(key.alg);
    }
  });

  it("an audience list that names one allowed client among others, reporting which one matched", async () => {
    const result = await verify(signedBy(rs256, claims({ aud: ["other-app", CLIENT_ID] })), {
      audience: { oneOf: ["third", CLIENT_ID] },
    });
    expect(result.ok && [result.audiences, result.matchedAudience]).toEqual([
      ["other-app", CLIENT_ID],
      CLIENT_ID,
    ]);
  });

  it("any audience when the caller checks it, and says no audience was matched here", async () => {
    const result = await verify(signedBy(rs256, claims({ aud: ["pool-client-1", "pool-client-2"] })), {
      audience: { checkedByCaller: true },
    });
    expect(result.ok && [result.audiences, result.matchedAudience]).toEqual([
      ["pool-client-1", "pool-client-2"],
      undefined,
    ]);
  });

  it("a token without kid when exactly one published key fits its algorithm", async () => {
    const token = handmade({ alg: "ES256" }, claims(), es256);
    expect((await verify(token)).ok).toBe(true);
  });

  it("times within the 60-second default skew: expired 59 s ago, valid from 59 s ahead, issued 59 s ahead", async () => {
    const inSkew = claims({ exp: NOW_SECONDS - 59, nbf: NOW_SECONDS + 59, iat: NOW_SECONDS + 59 });
    expect((await verify(signedBy(rs256, inSkew))).ok).toBe(true);
  });

  it("ignores embedded-key headers when the token is signed by the published key", async () => {
    const token = signedBy(rs256, claims(), {
      jku: "https://evil.example/jwks",
      x5u: "https://evil.example/c",
    });
    expect((await verify(token)).ok).toBe(true);
  });
});

describe("verifyToken refuses", () => {
  const cases: [string, () => string | Promise<string>, Parameters<typeof verify>[1], string, string][] = [
    [
      "a token longer than 20,000 characters",
      () => signedBy(rs256, claims({ pad: "x".repeat(20_000) })),
      {},
      "too-large",
      /^The token is \d+ characters long; web identity tokens are limited to 20000\.$/.source,
    ],
    [
      "a header segment longer than 4,096 characters",
      () => signedBy(rs256, claims(), { pad: "x".repeat(3100) }),
      {},
      "too-large",
      "^The token header is \\d+ base64url characters; fedsim reads headers up to 4096\\.$",
    ],
    [
      "a token that is not three parts",
      () => "abc.def",
      {},
      "malformed",
      "^The token has 2 dot-separated parts; a signed JWT has exactly 3 \\(header\\.payload\\.signature\\)\\.$",
    ],
    [
      "a header that is not JSON",
      () => `${Buffer.from("{alg").toString("base64url")}.e30.c2ln`,
      {},
      "malformed",
      "^The token's header is not valid JSON\\.$",
    ],
    [
      "padding in a segment",
      () => `${signedBy(rs256)}=`,
      {},
      "malformed",
      "^The token's signature part is not unpadded base64url\\.$",
    ],
    [
      "a missing sub claim",
      () => signedBy(rs256, claims({ sub: undefined })),
      {},
      "malformed",
      '^The token\'s "sub" claim must be a non-empty string\\.$',
    ],
    [
      "an exp that is a string",
      () => signedBy(rs256, claims({ exp: "9999999999" })),
      {},
      "malformed",
      '^The token\'s "exp" claim must be a NumericDate \\(seconds since 1970\\)\\.$',
    ],
    [
      "an empty audience list",
      () => signedBy(rs256, claims({ aud: [] })),
      {},
      "malformed",
      '^The token\'s "aud" claim must be a non-empty string or array of strings\\.$',
    ],
    [
      "a crit header",
      () => signedBy(rs256, claims(), { crit: ["exp"], exp: 1 }),
      {},
      "unsupported",
      '^The token header has "crit", which fedsim does not accept on a web identity token; sign a plain JWT\\.$',
    ],
    [
      "a nested JWT",
      () => signedBy(rs256, claims(), { cty: "jwt" }),
      {},
      "unsupported",
      '^The token header has cty "JWT" \\(a nested token\\); send the inner ID token itself\\.$',
    ],
    [
      "RS1, an algorithm not on the list",
      () => handmade({ alg: "RS1", kid: rs256.kid }, claims(), undefined, "c2ln"),
      {},
      "algorithm",
      '^The token header says alg "RS1", which is not accepted; sign with one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512\\.$',
    ],
    [
      "an unknown kid",
      () => signedBy({ ...rs256, kid: "retired-2019" }),
      {},
      "unknown-kid",
      '^The issuer\'s JWKS has no key with kid "retired-2019"\\.$',
    ],
    [
      "a token without kid when two published keys fit",
      () => handmade({ alg: "RS256" }, claims(), rs256),
      { jwks: { keys: [rs256.publicJwk, { ...ps256.publicJwk, alg: "RS256" }] } },
      "unknown-kid",
      "^The token has no kid and the issuer's JWKS holds 2 keys for RS256; without a kid fedsim accepts only a set with exactly one such key\\.$",
    ],
    [
      "an ES256 token whose kid names an RSA key",
      () => handmade({ alg: "ES256", kid: rs256.kid }, claims(), es256),
      {},
      "key-type",
      `^The key with kid "${rs256.kid}" cannot verify ES256: its kty is RSA and ES256 needs EC\\.$`,
    ],
    [
      "a PS256 token whose kid names a key published for RS256",
      () => handmade({ alg: "PS256", kid: rs256.kid }, claims(), { ...rs256, alg: "PS256" }),
      {},
      "key-type",
      `^The key with kid "${rs256.kid}" cannot verify PS256: it is published for RS256\\.$`,
    ],
    [
      "a key published for encryption",
      () => signedBy(rs256),
      { jwks: { keys: [{ ...rs256.publicJwk, use: "enc" }] } },
      "key-type",
      `^The key with kid "${rs256.kid}" cannot verify RS256: its "use" is enc, not "sig"\\.$`,
    ],
    [
      "two published keys under the token's kid",
      () => signedBy(rs256),
      { jwks: { keys: [rs256.publicJwk, { ...ps256.publicJwk, kid: rs256.kid, alg: "RS256" }] } },
      "jwks",
      `^The issuer's JWKS holds 2 keys with kid "${rs256.kid}" for RS256; each key needs its own kid\\.$`,
    ],
    [
      "a published key that does not import",
      () => signedBy(es256),
      { jwks: { keys: [{ ...es256.publicJwk, x: "AAAA" }] } },
      "jwks",
      `^The issuer's key with kid "${es256.kid}" does not import for ES256 \\(.+\\)\\.$`,
    ],
    [
      "a signature that does not verify",
      () => signedBy(rs256).replace(/.{4}$/, "AAAA"),
      {},
      "signature",
      `^The token's RS256 signature does not verify with the issuer's key "${rs256.kid}"\\.$`,
    ],
    [
      "another issuer",
      () => signedBy(rs256, claims({ iss: "https://other.example.test" })),
      {},
      "issuer",
      `^The token's issuer "https://other\\.example\\.test" is not "${ISSUER.replaceAll(".", "\\.")}", the provider it was verified against\\.$`,
    ],
    [
      "an audience that is not one of the client ids",
      () => signedBy(rs256, claims({ aud: "someone-else" })),
      {},
      "audience",
      `^The token's audience "someone-else" names none of the provider's client ids; add it to the provider or request a token for one of them\\.$`,
    ],
    [
      "a token expired exactly the skew ago",
      () => signedBy(rs256, claims({ exp: NOW_SECONDS - 60 })),
      {},
      "expired",
      "^The token expired at 2025-06-01T11:59:00\\.000Z, more than 60 seconds before 2025-06-01T12:00:00\\.000Z; get a new token from the identity provider\\.$",
    ],
    [
      "a token expired one second ago with no skew allowed",
      () => signedBy(rs256, claims({ exp: NOW_SECONDS - 1 })),
      { clockSkewSeconds: 0 },
      "expired",
      "^The token expired at 2025-06-01T11:59:59\\.000Z, more than 0 seconds before 2025-06-01T12:00:00\\.000Z; get a new token from the identity provider\\.$",
    ],
    [
      "a token not valid until after the skew",
      () => signedBy(rs256, claims({ nbf: NOW_SECONDS + 61 })),
      {},
      "not-yet-valid",
      "^The token is not valid before 2025-06-01T12:01:01\\.000Z, more than 60 seconds after 2025-06-01T12:00:00\\.000Z; check the identity provider's clock\\.$",
    ],
    [
      "a token issued after the skew",
      () => signedBy(rs256, claims({ iat: NOW_SECONDS + 61 })),
      {},
      "issued-in-future",
      "^The token was issued at 2025-06-01T12:01:01\\.000Z, more than 60 seconds after 2025-06-01T12:00:00\\.000Z; check the identity provider's clock\\.$",
    ],
  ];

  it.each(cases)("%s", async (_name, token, options, reason, message) => {
    const result = await verify(await token(), options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.message).toMatch(new RegExp(message));
  });
});

describe("verifyToken throws TypeError for a caller's mistakes", () => {
  it.each([
    ["no issuer", { issuer: "" }, "verifyToken: issuer must be a non-empty string"],
    ["an invalid Date", { now: new Date(Number.NaN) }, "verifyToken: now must be a valid Date"],
    [
      "a negative skew",
      { clockSkewSeconds: -1 },
      "verifyToken: clockSkewSeconds must be a non-negative number",
    ],
    [
      "an audience rule that is neither form",
      { audience: {} as never },
      "verifyToken: audience must be { oneOf: string[] } or { checkedByCaller: true }",
    ],
    [
      "a JWKS without keys",
      { jwks: {} as never },
      "selectKey: jwks must be a JWKS document ({ keys: [...] })",
    ],
  ])("%s", async (_name, options, message) => {
    await expect(verify(signedBy(rs256), options)).rejects.toThrow(new TypeError(message));
  });

  it("a token that is not a string", async () => {
    await expect(verify(42 as never)).rejects.toThrow(new TypeError("readToken: token must be a string"));
  });
});

describe("verifyToken checks a re-sent token in full, though its signature verified before", () => {
  it("refuses it once it has expired", async () => {
    const token = signedBy(rs256, claims({ exp: NOW_SECONDS + 600 }));
    expect((await verify(token)).ok).toBe(true);
    const later = await verify(token, { now: new Date(NOW.getTime() + 661_000) });
    expect(later.ok === false && [later.reason, later.message]).toEqual([
      "expired",
      "The token expired at 2025-06-01T12:10:00.000Z, more than 60 seconds before 2025-06-01T12:11:01.000Z; get a new token from the identity provider.",
    ]);
  });

  it("refuses it for an audience or issuer it was not verified for", async () => {
    const token = signedBy(rs256);
    expect((await verify(token)).ok).toBe(true);
    const audience = await verify(token, { audience: { oneOf: ["another-client"] } });
    expect(audience.ok === false && audience.reason).toBe("audience");
    const issuer = await verify(token, { issuer: "https://other.example.test" });
    expect(issuer.ok === false && issuer.reason).toBe("issuer");
  });

  it("refuses it once the issuer has replaced the key under the same kid", async () => {
    const token = signedBy(rs256);
    expect((await verify(token)).ok).toBe(true);
    const replacement = await generateSigningKey("RS256");
    const rotated = { keys: [{ ...replacement.publicJwk, kid: rs256.kid }] };
    const result = await verify(token, { jwks: rotated });
    expect(result.ok === false && [result.reason, result.message]).toEqual([
      "signature",
      `The token's RS256 signature does not verify with the issuer's key "${rs256.kid}".`,
    ]);
  });

  it("refuses it once the issuer no longer publishes its key", async () => {
    const token = signedBy(rs256);
    expect((await verify(token)).ok).toBe(true);
    const result = await verify(token, { jwks: { keys: [ps256.publicJwk] } });
    expect(result.ok === false && [result.reason, result.message]).toEqual([
      "unknown-kid",
      `The issuer's JWKS has no key with kid "${rs256.kid}".`,
    ]);
  });

  it("still refuses a tampered copy of a token that verified", async () => {
    const token = signedBy(rs256);
    expect((await verify(token)).ok).toBe(true);
    const result = await verify(token.replace(/.{4}$/, "AAAA"));
    expect(result.ok === false && result.reason).toBe("signature");
  });
});

describe("verifyToken takes the caller's reading of a token only for that very token", () => {
  it("checks the claims of the token it verifies, not those of another token read before", async () => {
    const stranger = signedBy(rs256, claims({ sub: "mallory", aud: "another-client" }));
    const read = readToken(stranger);
    if (!read.ok) throw new Error("the fixture token must read");
    // A reading of one token handed over with another: the token verified is read afresh.
    const token = signedBy(rs256, claims());
    const result = await verify(token, { alreadyRead: { token: stranger, ...read } });
    expect(result.ok && result.claims.sub).toBe("alice");
  });

  it("refuses a tampered token although the reading it is handed came from the untampered one", async () => {
    const token = signedBy(rs256, claims());
    const read = readToken(token);
    if (!read.ok) throw new Error("the fixture token must read");
    const tampered = token.replace(/.{4}$/, "AAAA");
    const result = await verify(tampered, { alreadyRead: { token, ...read } });
    expect(result.ok === false && [result.reason, result.message]).toEqual([
      "signature",
      `The token's RS256 signature does not verify with the issuer's key "${rs256.kid}".`,
    ]);
  });

  it("verifies a token with the reading it is handed of it", async () => {
    const token = signedBy(rs256, claims());
    const read = readToken(token);
    if (!read.ok) throw new Error("the fixture token must read");
    const result = await verify(token, { alreadyRead: { token, ...read } });
    expect(result.ok && [result.claims.sub, result.matchedAudience]).toEqual(["alice", CLIENT_ID]);
  });
});
