import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8 } from "jose";
import { isSigningAlgorithm, type SigningAlgorithm } from "./algorithms.js";

/** A signing key of fedsim's issuer: the private key, and the public JWK to publish (with kid, alg, use). */
export interface SigningKey {
  alg: SigningAlgorithm;
  kid: string;
  /** Extractable, so the caller can save it (jose's exportPKCS8) under certs/. */
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A fresh key pair: RSA 2048 for the RS and PS algorithms, the algorithm's curve for ES. Random; otherwise pure. */
export async function generateSigningKey(alg: SigningAlgorithm = "RS256"): Promise<SigningKey> {
  assertAlgorithm(alg);
  const { privateKey, publicKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  return withPublicJwk(alg, privateKey, publicKey);
}

/** The signing key kept in a PKCS#8 PEM file, with its public JWK derived from it. */
export async function signingKeyFromPkcs8(pem: string, alg: SigningAlgorithm = "RS256"): Promise<SigningKey> {
  assertAlgorithm(alg);
  const privateKey = await importPKCS8(pem, alg, { extractable: true });
  const publicKey = createPublicKey(createPrivateKey(pem));
  return withPublicJwk(alg, privateKey, publicKey);
}

/**
 * The JWK to publish for a public key: its public members plus `kid` (the RFC 7638 SHA-256 thumbprint, so
 * the same key always gets the same kid and two keys never share one), `alg` and `use: "sig"`.
 */
export async function publicJwkOf(publicKey: CryptoKey | KeyObject, alg: SigningAlgorithm): Promise<JWK> {
  assertAlgorithm(alg);
  const jwk = await exportJWK(publicKey);
  if (jwk.d !== undefined) throw new TypeError("publicJwkOf: pass the public key, not the private key");
  return { ...jwk, kid: await calculateJwkThumbprint(jwk, "sha256"), alg, use: "sig" };
}

async function withPublicJwk(
  alg: SigningAlgorithm,
  privateKey: CryptoKey,
  publicKey: CryptoKey | KeyObject,
): Promise<SigningKey> {
  const publicJwk = await publicJwkOf(publicKey, alg);
  return { alg, kid: publicJwk.kid!, privateKey, publicJwk };
}

function assertAlgorithm(alg: SigningAlgorithm): void {
  if (!isSigningAlgorithm(alg))
    throw new TypeError(`${String(alg)} is not a signing algorithm fedsim accepts`);
}
