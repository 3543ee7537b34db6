import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportPKCS8 } from "jose";
import type { JsonWebKeySet } from "../core/oidc/jwks.js";
import { jwksDocument } from "../core/oidc/jwksDocument.js";
import { generateSigningKey, type SigningKey, signingKeyFromPkcs8 } from "../core/oidc/signingKeys.js";

const KEY_FILE = "oidc-signing.key";

/** The built-in issuer's signing key and the JWKS it publishes (one object, so verifiers reuse its imports). */
export interface IssuerKeys {
  signing: SigningKey;
  jwks: JsonWebKeySet;
}

/**
 * The built-in OpenID issuer's RS256 key: a PKCS#8 PEM in `certs/`, read when present, generated there
 * otherwise. Written to a temporary name and renamed, so two processes starting together never read half a
 * file; the kid is the key's thumbprint, so both derive the same one.
 */
export async function loadOrCreateIssuerKeys(dir: string): Promise<IssuerKeys> {
  const path = join(dir, KEY_FILE);
  let signing: SigningKey;
  if (existsSync(path)) {
    signing = await signingKeyFromPkcs8(readFileSync(path, "utf8"), "RS256");
  } else {
    signing = await generateSigningKey("RS256");
    mkdirSync(dir, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, await exportPKCS8(signing.privateKey), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  }
  return { signing, jwks: jwksDocument([signing.publicJwk]) };
}
