import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { exportPKCS8 } from "jose";
import type { SigningAlgorithm } from "../core/oidc/algorithms.js";
import { generateSigningKey, type SigningKey, signingKeyFromPkcs8 } from "../core/oidc/signingKeys.js";

/**
 * A JWT signing key kept as a PKCS#8 PEM file (mode 0600): read when present, generated otherwise. Written to
 * a temporary name and renamed, so two processes starting together never read half a file; the kid is the
 * key's thumbprint, so both derive the same one. Shared by the built-in issuer, Cognito Identity and user pools.
 */
export async function loadOrCreateSigningKey(path: string, alg: SigningAlgorithm): Promise<SigningKey> {
  if (existsSync(path)) return signingKeyFromPkcs8(readFileSync(path, "utf8"), alg);
  const key = await generateSigningKey(alg);
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, await exportPKCS8(key.privateKey), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return key;
}
