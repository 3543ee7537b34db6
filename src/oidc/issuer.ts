import { oidcProviderName } from "../core/oidc/providerName.js";
import type { IssuerKeys } from "./keys.js";

/**
 * fedsim's built-in OpenID issuer as the rest of the house sees it: its identifier, exactly `{publicUrl}/oidc`
 * (discovery's `issuer` and every token's `iss`), and its keys, read or generated on first use. Nothing here
 * loads jose: STS asks for the keys only when a token from this issuer arrives, the /oidc room on its first
 * request, so start-up pays for neither.
 */
export interface BuiltinIssuer {
  readonly url: string;
  /** The name IAM gives it as a provider: the URL without its scheme (`127.0.0.1:4566/oidc`). */
  readonly name: string;
  keys(): Promise<IssuerKeys>;
}

export function builtinIssuer(publicUrl: string, certsDir: string): BuiltinIssuer {
  const url = `${publicUrl.replace(/\/+$/, "")}/oidc`;
  let keys: Promise<IssuerKeys> | undefined;
  return {
    url,
    name: oidcProviderName(url),
    keys() {
      if (!keys) {
        const loading = import("./keys.js").then((m) => m.loadOrCreateIssuerKeys(certsDir));
        // A failure (an unwritable certs dir) is retried on the next request rather than remembered.
        loading.catch(() => {
          if (keys === loading) keys = undefined;
        });
        keys = loading;
      }
      return keys;
    },
  };
}
