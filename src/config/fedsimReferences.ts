import { oidcProviderName } from "../core/oidc/providerName.js";
import { ConfigError } from "./configError.js";
import { FEDSIM_OIDC_REFERENCE } from "./fedsimReference.js";
import { formatPath } from "./formatPath.js";
import type { FedsimConfig } from "./schema.js";

const REFERENCE = /\$\{fedsim:([^}]*)\}/g;

/**
 * The config with `${fedsim:oidc}` replaced by the built-in issuer's name, known only once fedsim listens
 * (its host and port, or --public-url): a provider's `url` that is the reference becomes the issuer URL
 * (`http://127.0.0.1:4566/oidc`); everywhere else (a Federated principal ARN, a condition key such as
 * `${fedsim:oidc}:aud`, a Logins key) it becomes the name IAM gives the provider, without the scheme
 * (`127.0.0.1:4566/oidc`). Object keys are expanded as well as values, since condition keys are keys.
 * Any other `${fedsim:...}` is refused with its path, rather than left for the policy engine to read as
 * a policy variable.
 */
export function expandFedsimReferences(
  config: FedsimConfig,
  issuerUrl: string,
  file = "config",
): FedsimConfig {
  const name = oidcProviderName(issuerUrl);
  const expandText = (text: string, path: readonly PropertyKey[]): string =>
    text.replace(REFERENCE, (whole, what: string) => {
      if (what !== "oidc")
        throw new ConfigError(
          `${file}: ${formatPath(path) || "(top level)"}: unknown reference ${whole}; fedsim defines only ${FEDSIM_OIDC_REFERENCE}`,
        );
      return name;
    });
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === "string") return value.includes("${fedsim:") ? expandText(value, path) : value;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const expandedKey = key.includes("${fedsim:") ? expandText(key, path) : key;
        // ${fedsim:oidc}:aud beside its literal expansion would silently collapse into one key, dropping a
        // condition: refused with its path instead.
        if (Object.hasOwn(out, expandedKey))
          throw new ConfigError(
            `${file}: ${formatPath([...path, key])}: names the same key as another entry once ${FEDSIM_OIDC_REFERENCE} is expanded (${expandedKey})`,
          );
        // defineProperty, so that a key spelled __proto__ stays an own key.
        Object.defineProperty(out, expandedKey, {
          value: walk(v, [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return value;
  };
  const expanded = walk(config, []) as FedsimConfig;
  // The provider URL itself names the issuer with its scheme: that is what tokens carry as iss.
  for (const [i, account] of config.accounts.entries())
    for (const [j, provider] of account.oidcProviders.entries())
      if (provider.url === FEDSIM_OIDC_REFERENCE) expanded.accounts[i]!.oidcProviders[j]!.url = issuerUrl;
  // So does a JWT authorizer's issuer.
  for (const [i, api] of config.apis.entries())
    for (const [j, authorizer] of (api.authorizers ?? []).entries())
      if (authorizer.type === "JWT" && authorizer.issuer === FEDSIM_OIDC_REFERENCE)
        (expanded.apis[i]!.authorizers![j] as { issuer: string }).issuer = issuerUrl;
  return expanded;
}
