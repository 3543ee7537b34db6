import type { JWK } from "jose";

/** Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4): never published. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/**
 * The JWKS document the issuer serves at its jwks_uri. Publishing a private member or two keys under one kid
 * is the caller's mistake, so both throw rather than being quietly mended.
 */
export function jwksDocument(publicJwks: readonly JWK[]): { keys: JWK[] } {
  const kids = new Set<string>();
  const keys = publicJwks.map((jwk) => {
    if (typeof jwk.kid !== "string" || jwk.kid === "")
      throw new TypeError("jwksDocument: every key needs a kid");
    if (kids.has(jwk.kid)) throw new TypeError(`jwksDocument: two keys share kid ${jwk.kid}`);
    kids.add(jwk.kid);
    const secret = PRIVATE_MEMBERS.find((name) => Object.hasOwn(jwk, name));
    if (secret) throw new TypeError(`jwksDocument: key ${jwk.kid} has the private member "${secret}"`);
    return { ...jwk };
  });
  return { keys };
}
