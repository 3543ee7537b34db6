/**
 * Known attacks on JWT verifiers, each a hand-built token and the refusal verifyToken must give: reason (what
 * the service layer maps to an AWS code) and message (what the developer reads). The cases are listed, with
 * where each attack comes from, in README.md beside this file.
 */
import { createPublicKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TokenRefusalReason } from "../../../src/core/oidc/refusal.js";
import type { VerifyTokenOptions } from "../../../src/core/oidc/verifyToken.js";
import {
  b64,
  CLIENT_ID,
  claims,
  es256,
  handmade,
  hmacToken,
  ISSUER,
  NOW_SECONDS,
  p384JwkUnder,
  ps256,
  rogue,
  rs256,
  rsaKeyOfSize,
  signedBy,
  verify,
} from "../../core/oidc/fixtures.js";

interface AttackCase {
  name: string;
  token: () => string | Promise<string>;
  options?: Partial<VerifyTokenOptions>;
  reason: TokenRefusalReason;
  /** The refusal's sentence; a function of the token where it quotes the token's own size. */
  message: string | ((token: string) => string);
}

const rsaPem = createPublicKey({ key: rs256.publicJwk, format: "jwk" }).export({
  type: "spki",
  format: "pem",
});
const weak = rsaKeyOfSize(1024, "weak-1024");
const { alg: _alg, ...rsaWithoutAlg } = rs256.publicJwk;

const NONE = (alg: string) =>
  `The token header says alg "${alg}", an unsigned token, which is never accepted.`;
const HMAC = (alg: string) =>
  `The token header says alg "${alg}", an HMAC algorithm, which is refused because the issuer's keys are public and must never serve as an HMAC secret.`;
const BAD_SIGNATURE = (alg: string, kid: string) =>
  `The token's ${alg} signature does not verify with the issuer's key "${kid}".`;
const UNKNOWN_KID = (kid: string) => `The issuer's JWKS has no key with kid "${kid}".`;
const UNSUPPORTED = (name: string) =>
  `The token header has "${name}", which fedsim does not accept on a web identity token; sign a plain JWT.`;

const cases: AttackCase[] = [
  // Algorithm confusion
  {
    name: "alg none with an empty signature",
    token: () => handmade({ alg: "none" }, claims(), undefined),
    reason: "algorithm",
    message: NONE("none"),
  },
  {
    name: "alg None (any case) with a real key's kid and a copied signature",
    token: () =>
      `${handmade({ alg: "None", kid: rs256.kid }, claims(), undefined)}${signedBy(rs256).split(".")[2]}`,
    reason: "algorithm",
    message: NONE("None"),
  },
  {
    name: "HS256 keyed with the issuer's RSA public key PEM",
    token: () => hmacToken({ alg: "HS256", kid: rs256.kid }, claims(), rsaPem),
    reason: "algorithm",
    message: HMAC("HS256"),
  },
  {
    name: "HS256 keyed with the issuer's public JWK as JSON bytes",
    token: () => hmacToken({ alg: "HS256", kid: rs256.kid }, claims(), JSON.stringify(rs256.publicJwk)),
    reason: "algorithm",
    message: HMAC("HS256"),
  },
  {
    name: "HS512 keyed with the issuer's RSA modulus bytes",
    token: () =>
      hmacToken({ alg: "HS512", kid: rs256.kid }, claims(), Buffer.from(rs256.publicJwk.n!, "base64url")),
    reason: "algorithm",
    message: HMAC("HS512"),
  },
  {
    name: "an RS256 signature relabelled PS256 against a key published without alg",
    token: () =>
      `${b64(JSON.stringify({ alg: "PS256", kid: rs256.kid }))}.${signedBy(rs256).split(".").slice(1).join(".")}`,
    options: { jwks: { keys: [rsaWithoutAlg] } },
    reason: "signature",
    message: BAD_SIGNATURE("PS256", rs256.kid),
  },
  // Key selection
  {
    name: "an unknown kid",
    token: () => signedBy({ ...rogue, kid: "attacker-key" }),
    reason: "unknown-kid",
    message: UNKNOWN_KID("attacker-key"),
  },
  {
    name: "a kid that names an Object.prototype member",
    token: () => signedBy({ ...rogue, kid: "__proto__" }),
    reason: "unknown-kid",
    message: UNKNOWN_KID("__proto__"),
  },
  {
    name: "a path-traversal kid",
    token: () => signedBy({ ...rogue, kid: "../../../../dev/null" }),
    reason: "unknown-kid",
    message: UNKNOWN_KID("../../../../dev/null"),
  },
  {
    name: "a rogue key's signature under the published kid",
    token: () => signedBy({ ...rogue, kid: rs256.kid }),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "another issuer's token signed by its own key under the same kid",
    token: () => signedBy({ ...rogue, kid: rs256.kid }, claims({ iss: "https://other-idp.example.test" })),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "an RS256 header whose kid names an EC key",
    token: () => handmade({ alg: "RS256", kid: es256.kid }, claims(), rs256),
    reason: "key-type",
    message: `The key with kid "${es256.kid}" cannot verify RS256: its kty is EC and RS256 needs RSA.`,
  },
  {
    name: "an ES256 header whose kid names a P-384 key",
    token: async () => signedBy(es256),
    options: { jwks: { keys: [await p384JwkUnder(es256.kid)] } },
    reason: "key-type",
    message: `The key with kid "${es256.kid}" cannot verify ES256: it is on curve P-384 and ES256 needs P-256.`,
  },
  {
    name: "a token signed by a published 1024-bit RSA key",
    token: () => signedBy(weak),
    options: { jwks: { keys: [weak.publicJwk] } },
    reason: "key-type",
    message:
      'The key with kid "weak-1024" cannot verify RS256: its RSA modulus is 1024 bits and fedsim requires at least 2048.',
  },
  // Embedded keys: never trusted, so the rogue signature fails against the published key
  {
    name: "a jku header pointing at the attacker's JWKS",
    token: () =>
      signedBy({ ...rogue, kid: rs256.kid }, claims(), { jku: "https://attacker.example/jwks.json" }),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "an x5u header pointing at the attacker's certificate",
    token: () =>
      signedBy({ ...rogue, kid: rs256.kid }, claims(), { x5u: "https://attacker.example/cert.pem" }),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "a jwk header carrying the attacker's public key",
    token: () => signedBy({ ...rogue, kid: rs256.kid }, claims(), { jwk: rogue.publicJwk }),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "a jwk header and no kid, against a JWKS with one key",
    token: () => handmade({ alg: "RS256", jwk: rogue.publicJwk }, claims(), rogue),
    options: { jwks: { keys: [rs256.publicJwk] } },
    reason: "signature",
    message: "The token's RS256 signature does not verify with the issuer's key.",
  },
  {
    name: "an x5c header (never read)",
    token: () => signedBy({ ...rogue, kid: rs256.kid }, claims(), { x5c: ["MIIBattacker"] }),
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  // Signature and tampering
  {
    name: "a tampered payload (sub changed after signing)",
    token: () => {
      const [h, , s] = signedBy(rs256).split(".");
      return `${h}.${b64(JSON.stringify(claims({ sub: "admin" })))}.${s}`;
    },
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "a tampered header (typ added after signing)",
    token: () => {
      const [, p, s] = signedBy(rs256).split(".");
      return `${b64(JSON.stringify({ alg: "RS256", kid: rs256.kid, typ: "at+jwt" }))}.${p}.${s}`;
    },
    reason: "signature",
    message: BAD_SIGNATURE("RS256", rs256.kid),
  },
  {
    name: "an ES256 signature of zeros (CVE-2022-21449, psychic signatures)",
    token: () => handmade({ alg: "ES256", kid: es256.kid }, claims(), undefined, b64(Buffer.alloc(64))),
    reason: "signature",
    message: BAD_SIGNATURE("ES256", es256.kid),
  },
  {
    name: "an RS256 token with its signature stripped",
    token: () => handmade({ alg: "RS256", kid: rs256.kid }, claims(), undefined),
    reason: "malformed",
    message: "The token has an empty signature part; an unsigned token is never accepted.",
  },
  {
    name: "an RS256 token with the signature part removed",
    token: () => signedBy(rs256).split(".").slice(0, 2).join("."),
    reason: "malformed",
    message: "The token has 2 dot-separated parts; a signed JWT has exactly 3 (header.payload.signature).",
  },
  // Parser differentials
  {
    name: "a duplicate alg in the header (none, then RS256), signed by the real key",
    token: () => handmade(`{"alg":"none","alg":"RS256","kid":"${rs256.kid}"}`, claims(), rs256),
    reason: "malformed",
    message: 'The token\'s header names the member "alg" twice in one object.',
  },
  {
    name: "a duplicate alg hidden behind a \\u escape",
    token: () => handmade(`{"alg":"RS256","\\u0061lg":"HS256","kid":"${rs256.kid}"}`, claims(), rs256),
    reason: "malformed",
    message: 'The token\'s header names the member "alg" twice in one object.',
  },
  {
    name: "a duplicate sub in the payload, signed by the real key",
    token: () =>
      handmade(
        { alg: "RS256", kid: rs256.kid },
        `{"iss":"${ISSUER}","sub":"alice","sub":"admin","aud":"${CLIENT_ID}","iat":${NOW_SECONDS},"exp":${NOW_SECONDS + 60}}`,
        rs256,
      ),
    reason: "malformed",
    message: 'The token\'s payload names the member "sub" twice in one object.',
  },
  {
    name: "a payload that is not UTF-8",
    token: () =>
      `${b64(JSON.stringify({ alg: "RS256", kid: rs256.kid }))}.${b64(Buffer.from([0x7b, 0xff, 0x7d]))}.c2ln`,
    reason: "malformed",
    message: "The token's payload is not UTF-8 text.",
  },
  {
    name: "a header that is a JSON string, not an object",
    token: () => `${b64('"RS256"')}.${b64("{}")}.c2ln`,
    reason: "malformed",
    message: "The token's header is not a JSON object.",
  },
  {
    name: "whitespace inside a segment",
    token: () => signedBy(rs256).replace(".", ". "),
    reason: "malformed",
    message: "The token's payload part is not unpadded base64url.",
  },
  // Claims
  {
    name: "a token that claims another issuer, signed by the real key",
    token: () => signedBy(rs256, claims({ iss: "https://other-idp.example.test" })),
    reason: "issuer",
    message: `The token's issuer "https://other-idp.example.test" is not "${ISSUER}", the provider it was verified against.`,
  },
  {
    name: "an issuer that differs only by a trailing slash",
    token: () => signedBy(rs256, claims({ iss: `${ISSUER}/` })),
    reason: "issuer",
    message: `The token's issuer "${ISSUER}/" is not "${ISSUER}", the provider it was verified against.`,
  },
  {
    name: "a wrong aud",
    token: () => signedBy(rs256, claims({ aud: "attacker-app" })),
    reason: "audience",
    message: `The token's audience "attacker-app" names none of the provider's client ids; add it to the provider or request a token for one of them.`,
  },
  {
    name: "an expired token",
    token: () => signedBy(rs256, claims({ exp: NOW_SECONDS - 3600 })),
    reason: "expired",
    message:
      "The token expired at 2025-06-01T11:00:00.000Z, more than 60 seconds before 2025-06-01T12:00:00.000Z; get a new token from the identity provider.",
  },
  {
    name: "a token not yet valid",
    token: () => signedBy(rs256, claims({ nbf: NOW_SECONDS + 3600 })),
    reason: "not-yet-valid",
    message:
      "The token is not valid before 2025-06-01T13:00:00.000Z, more than 60 seconds after 2025-06-01T12:00:00.000Z; check the identity provider's clock.",
  },
  {
    name: "a token issued in the future",
    token: () => signedBy(rs256, claims({ iat: NOW_SECONDS + 3600 })),
    reason: "issued-in-future",
    message:
      "The token was issued at 2025-06-01T13:00:00.000Z, more than 60 seconds after 2025-06-01T12:00:00.000Z; check the identity provider's clock.",
  },
  {
    name: "an exp given as a string",
    token: () => signedBy(rs256, claims({ exp: "9999999999" })),
    reason: "malformed",
    message: 'The token\'s "exp" claim must be a NumericDate (seconds since 1970).',
  },
  {
    name: "an exp beyond year 9999",
    token: () => signedBy(rs256, claims({ exp: 1e300 })),
    reason: "malformed",
    message: 'The token\'s "exp" claim must be a NumericDate (seconds since 1970).',
  },
  {
    name: "a token without exp",
    token: () => signedBy(rs256, claims({ exp: undefined })),
    reason: "malformed",
    message: 'The token\'s "exp" claim must be a NumericDate (seconds since 1970).',
  },
  // Size
  {
    name: "an oversized token (20,001+ characters)",
    token: () => signedBy(rs256, claims({ pad: "x".repeat(15_000) })),
    reason: "too-large",
    message: (token) =>
      `The token is ${token.length} characters long; web identity tokens are limited to 20000.`,
  },
  {
    name: "an oversized header",
    token: () => signedBy(rs256, claims(), { pad: "x".repeat(5000) }),
    reason: "too-large",
    message: (token) =>
      `The token header is ${token.indexOf(".")} base64url characters; fedsim reads headers up to 4096.`,
  },
  // Headers that change what the signature means
  {
    name: "a crit header",
    token: () => signedBy(rs256, claims(), { crit: ["http://attacker.example/ext"] }),
    reason: "unsupported",
    message: UNSUPPORTED("crit"),
  },
  {
    name: "b64:false named in crit (unencoded payload)",
    token: () => signedBy(rs256, claims(), { b64: false, crit: ["b64"] }),
    reason: "unsupported",
    message: UNSUPPORTED("crit"),
  },
  {
    name: "b64:false without crit",
    token: () => signedBy(rs256, claims(), { b64: false }),
    reason: "unsupported",
    message: UNSUPPORTED("b64"),
  },
  {
    name: "a JWE (5-part) token",
    token: () =>
      `${b64(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM", kid: rs256.kid }))}.ZW5j.aXY.Y2lwaGVy.dGFn`,
    reason: "unsupported",
    message: "The token has 5 parts, so it is an encrypted JWE; send the signed ID token (3 parts) instead.",
  },
  {
    name: "a JWE header squeezed into 3 parts",
    token: () => signedBy(rs256, claims(), { enc: "A256GCM" }),
    reason: "unsupported",
    message: UNSUPPORTED("enc"),
  },
  {
    name: "a compressed (zip) payload",
    token: () => signedBy(rs256, claims(), { zip: "DEF" }),
    reason: "unsupported",
    message: UNSUPPORTED("zip"),
  },
  {
    name: "a nested JWT (cty JWT)",
    token: () => signedBy(rs256, claims(), { cty: "JWT" }),
    reason: "unsupported",
    message: 'The token header has cty "JWT" (a nested token); send the inner ID token itself.',
  },
];

describe("JWT verifier attack corpus", () => {
  it("covers every refusal reason", () => {
    const reasons = new Set(cases.map((c) => c.reason));
    expect([...reasons].sort()).toEqual(
      [
        "algorithm",
        "audience",
        "expired",
        "issued-in-future",
        "issuer",
        "key-type",
        "malformed",
        "not-yet-valid",
        "signature",
        "too-large",
        "unknown-kid",
        "unsupported",
      ].sort(),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))("refuses %s", async (_name, attack) => {
    const token = await attack.token();
    const message = typeof attack.message === "string" ? attack.message : attack.message(token);
    expect(await verify(token, attack.options)).toEqual({ ok: false, reason: attack.reason, message });
  });

  it("accepts the untampered token the attacks start from, so each refusal is the attack's doing", async () => {
    for (const key of [rs256, ps256, es256]) expect((await verify(signedBy(key))).ok).toBe(true);
  });
});
