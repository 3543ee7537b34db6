import type { FedsimConfig } from "../../../config/schema.js";
import { iamArn } from "../../../core/arn.js";
import type { JsonWebKeySet } from "../../../core/oidc/jwks.js";
import type { OidcJwksSource } from "./types.js";

/**
 * The default OidcJwksSource: the `jwks` the config gives an IAM OIDC provider inline, by the provider's ARN.
 * The same objects are handed out on every call, so verifiers import each key once.
 */
export function inlineOidcJwks(config: FedsimConfig): OidcJwksSource {
  const byArn = new Map<string, JsonWebKeySet>();
  for (const account of config.accounts)
    for (const p of account.oidcProviders) {
      if (p.jwks === undefined) continue;
      const host = p.url.replace(/^https:\/\//, "").replace(/\/$/, "");
      byArn.set(iamArn(account.id, "oidc-provider", host, "/"), p.jwks);
    }
  return (provider) => byArn.get(provider.arn);
}
