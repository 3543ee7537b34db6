import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JWK } from "jose";
import { exportPKCS8 } from "jose";
import { jwksDocument } from "../../core/oidc/jwksDocument.js";
import { generateSigningKey, type SigningKey, signingKeyFromPkcs8 } from "../../core/oidc/signingKeys.js";

const KEY_FILE = "cognito-identity-signing.key";

/**
 * The RS512 key fedsim signs Cognito Identity's OpenID tokens with: read from the certs directory, or
 * generated there on first start (written to a temporary name and renamed, as the IdP's keys are).
 */
export async function loadOrCreateCognitoKey(dir: string): Promise<SigningKey> {
  const path = join(dir, KEY_FILE);
  if (existsSync(path)) return signingKeyFromPkcs8(readFileSync(path, "utf8"), "RS512");
  mkdirSync(dir, { recursive: true });
  const key = await generateSigningKey("RS512");
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, await exportPKCS8(key.privateKey), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return key;
}

/**
 * The JWKS served at {publicUrl}/cognito-identity/.well-known/jwks_uri, and what AssumeRoleWithWebIdentity
 * verifies Cognito's tokens with. One object per key, so verifiers reuse the imported key.
 */
const documents = new WeakMap<SigningKey, { keys: JWK[] }>();
export function cognitoJwks(key: SigningKey): { keys: JWK[] } {
  let doc = documents.get(key);
  if (!doc) {
    doc = jwksDocument([key.publicJwk]);
    documents.set(key, doc);
  }
  return doc;
}
