import type { JWK } from "jose";
import { keyTypeFor, type SigningAlgorithm } from "./algorithms.js";
import { jose } from "./jose.js";
import { printable, refuse, type TokenRefusal } from "./refusal.js";

/** An issuer's JWKS as fetched (JSON); its entries are checked here, since they come from outside. */
export interface JsonWebKeySet {
  readonly keys: readonly unknown[];
}

export type SelectKeyResult = { ok: true; key: CryptoKey; kid: string | undefined } | TokenRefusal;

type Imported = { key: CryptoKey } | { problem: string };

/**
 * Imported keys, per JWK entry object of a fetched JWKS and per algorithm (WebCrypto imports an RSA key
 * separately for PKCS#1 v1.5 and PSS). Weakly held, so a replaced JWKS document takes its keys with it;
 * the adapter must hand over a new object when the issuer's keys change, never mutate one in place.
 */
const importedKeys = new WeakMap<object, Map<SigningAlgorithm, Promise<Imported>>>();

/**
 * The one published key that may verify a token with this `alg` and `kid`. A token without kid is accepted
 * only when exactly one key in the set fits its alg: guessing among several would let the weakest-guarded
 * key stand in for the others, and trying them all multiplies the cost of every forged token.
 */
export async function selectKey(
  jwks: JsonWebKeySet,
  alg: SigningAlgorithm,
  kid: string | undefined,
): Promise<SelectKeyResult> {
  if (typeof jwks !== "object" || jwks === null || !Array.isArray(jwks.keys)) {
    throw new TypeError("selectKey: jwks must be a JWKS document ({ keys: [...] })");
  }
  const entries = jwks.keys.filter(isObject);
  let chosen: Record<string, unknown>;
  if (kid === undefined) {
    const fitting = entries.filter((jwk) => keyProblem(jwk, alg) === undefined);
    if (fitting.length !== 1) {
      return refuse(
        "unknown-kid",
        `The token has no kid and the issuer's JWKS holds ${fitting.length} keys for ${alg}; without a kid fedsim accepts only a set with exactly one such key.`,
      );
    }
    chosen = fitting[0]!;
  } else {
    const named = entries.filter((jwk) => jwk.kid === kid);
    if (named.length === 0) {
      return refuse("unknown-kid", `The issuer's JWKS has no key with kid "${printable(kid)}".`);
    }
    const fitting = named.filter((jwk) => keyProblem(jwk, alg) === undefined);
    if (fitting.length === 0) {
      return refuse(
        "key-type",
        `The key with kid "${printable(kid)}" cannot verify ${alg}: ${keyProblem(named[0]!, alg)}.`,
      );
    }
    if (fitting.length > 1) {
      return refuse(
        "jwks",
        `The issuer's JWKS holds ${fitting.length} keys with kid "${printable(kid)}" for ${alg}; each key needs its own kid.`,
      );
    }
    chosen = fitting[0]!;
  }
  const imported = await importOnce(chosen, alg);
  if ("problem" in imported) return refuse("jwks", imported.problem);
  return { ok: true, key: imported.key, kid };
}

/** Why this JWK cannot verify `alg`, as a clause; undefined when it can. */
export function keyProblem(jwk: Record<string, unknown>, alg: SigningAlgorithm): string | undefined {
  const want = keyTypeFor(alg);
  if (jwk.kty !== want.kty) return `its kty is ${printable(String(jwk.kty))} and ${alg} needs ${want.kty}`;
  if ("crv" in want && jwk.crv !== want.crv) {
    return `it is on curve ${printable(String(jwk.crv))} and ${alg} needs ${want.crv}`;
  }
  if (jwk.use !== undefined && jwk.use !== "sig")
    return `its "use" is ${printable(String(jwk.use))}, not "sig"`;
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) {
    return 'its "key_ops" do not include "verify"';
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) return `it is published for ${printable(String(jwk.alg))}`;
  if (want.kty === "RSA") {
    if (typeof jwk.n !== "string" || typeof jwk.e !== "string") return 'it lacks the RSA members "n" and "e"';
    const bits = modulusBits(jwk.n);
    if (bits < 2048) return `its RSA modulus is ${bits} bits and fedsim requires at least 2048`;
  } else if (typeof jwk.x !== "string" || typeof jwk.y !== "string") {
    return 'it lacks the EC members "x" and "y"';
  }
  return undefined;
}

/**
 * Imports only the public members, so a JWKS that (wrongly) publishes a private key still yields a
 * verification key, and no stray member (ext, key_ops, x5c) reaches WebCrypto.
 */
function importOnce(jwk: Record<string, unknown>, alg: SigningAlgorithm): Promise<Imported> {
  let perAlg = importedKeys.get(jwk);
  if (!perAlg) {
    perAlg = new Map();
    importedKeys.set(jwk, perAlg);
  }
  let pending = perAlg.get(alg);
  if (!pending) {
    // keyProblem has already checked these members are strings.
    const publicMembers = (
      jwk.kty === "RSA" ? { kty: "RSA", n: jwk.n, e: jwk.e } : { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y }
    ) as JWK;
    pending = jose()
      .then(({ importJWK }) => importJWK(publicMembers, alg))
      .then(
        (key) => ({ key: key as CryptoKey }),
        (cause: unknown) => ({
          problem: `The issuer's key${typeof jwk.kid === "string" ? ` with kid "${printable(jwk.kid)}"` : ""} does not import for ${alg} (${cause instanceof Error ? cause.message : String(cause)}).`,
        }),
      );
    perAlg.set(alg, pending);
  }
  return pending;
}

function modulusBits(n: string): number {
  const bytes = Buffer.from(n, "base64url");
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
