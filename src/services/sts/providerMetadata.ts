import { type IdpMetadata, parseIdpMetadata } from "../../core/saml/metadata.js";
import type { SamlProviderRow } from "../../store/identityProviders.js";

/**
 * Parsed IdP metadata per provider, keyed by the exact metadata text so an UpdateSAMLProvider takes effect at
 * once. Parsing (a hardened XML parse) cost as much as a third of an AssumeRoleWithSAML call.
 */
const cache = new Map<string, { text: string; metadata: IdpMetadata }>();

export function providerMetadata(provider: SamlProviderRow): IdpMetadata {
  const hit = cache.get(provider.arn);
  if (hit?.text === provider.metadata) return hit.metadata;
  const metadata = parseIdpMetadata(provider.metadata);
  if (cache.size > 256) cache.clear();
  cache.set(provider.arn, { text: provider.metadata, metadata });
  return metadata;
}
