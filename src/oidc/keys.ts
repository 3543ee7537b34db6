import { join } from "node:path";
import type { JsonWebKeySet } from "../core/oidc/jwks.js";
import { jwksDocument } from "../core/oidc/jwksDocument.js";
import type { SigningKey } from "../core/oidc/signingKeys.js";
import { loadOrCreateSigningKey } from "./signingKeyFile.js";

const KEY_FILE = "oidc-signing.key";

/** The built-in issuer's signing key and the JWKS it publishes (one object, so verifiers reuse its imports). */
export interface IssuerKeys {
  signing: SigningKey;
  jwks: JsonWebKeySet;
}

/** The built-in OpenID issuer's RS256 key, in `certs/` (see loadOrCreateSigningKey). */
export async function loadOrCreateIssuerKeys(dir: string): Promise<IssuerKeys> {
  const signing = await loadOrCreateSigningKey(join(dir, KEY_FILE), "RS256");
  return { signing, jwks: jwksDocument([signing.publicJwk]) };
}
