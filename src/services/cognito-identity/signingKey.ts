import { join } from "node:path";
import type { JWK } from "jose";
import { jwksDocument } from "../../core/oidc/jwksDocument.js";
import type { SigningKey } from "../../core/oidc/signingKeys.js";
import { loadOrCreateSigningKey } from "../../oidc/signingKeyFile.js";

const KEY_FILE = "cognito-identity-signing.key";

/**
 * The RS512 key fedsim signs Cognito Identity's OpenID tokens with: read from the certs directory, or
 * generated there on first start (see loadOrCreateSigningKey).
 */
export function loadOrCreateCognitoKey(dir: string): Promise<SigningKey> {
  return loadOrCreateSigningKey(join(dir, KEY_FILE), "RS512");
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
