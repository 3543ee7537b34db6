/** Names fedsim's built-in OpenID issuer in a config; expanded at start (src/config/fedsimReferences.ts). */
export const FEDSIM_OIDC_REFERENCE = "${fedsim:oidc}";
