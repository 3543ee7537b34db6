import { join } from "node:path";
import { jwksDocument } from "../../core/oidc/jwksDocument.js";
import type { IssuerKeys } from "../../oidc/keys.js";
import { loadOrCreateSigningKey } from "../../oidc/signingKeyFile.js";

/**
 * Each user pool's RS256 key, in certs/cognito-idp/POOL_ID.key: read when present, generated there on first
 * use (see loadOrCreateSigningKey), so tokens stay valid across restarts.
 */
export class PoolKeys {
  private readonly loaded = new Map<string, Promise<IssuerKeys>>();
  constructor(private readonly certsDir: string) {}

  of(poolId: string): Promise<IssuerKeys> {
    let keys = this.loaded.get(poolId);
    if (!keys) {
      keys = this.load(poolId);
      this.loaded.set(poolId, keys);
      keys.catch(() => this.loaded.delete(poolId));
    }
    return keys;
  }

  private async load(poolId: string): Promise<IssuerKeys> {
    if (!/^[\w-]+$/.test(poolId)) throw new TypeError(`PoolKeys: ${poolId} is not a pool id`);
    const signing = await loadOrCreateSigningKey(
      join(this.certsDir, "cognito-idp", `${poolId}.key`),
      "RS256",
    );
    return { signing, jwks: jwksDocument([signing.publicJwk]) };
  }
}
