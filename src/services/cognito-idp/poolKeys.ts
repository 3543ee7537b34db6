import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportPKCS8 } from "jose";
import { jwksDocument } from "../../core/oidc/jwksDocument.js";
import { generateSigningKey, type SigningKey, signingKeyFromPkcs8 } from "../../core/oidc/signingKeys.js";
import type { IssuerKeys } from "../../oidc/keys.js";

/**
 * Each user pool's RS256 key, in certs/cognito-idp/POOL_ID.key: read when present, generated there on first
 * use (a temporary name renamed into place, as src/oidc/keys.ts does), so tokens stay valid across restarts.
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
    const dir = join(this.certsDir, "cognito-idp");
    const path = join(dir, `${poolId}.key`);
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
}
