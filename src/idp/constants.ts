/** The built-in test IdP's SAML entity id: stable across restarts and ports, so assertions stay comparable. */
export const BUILTIN_IDP_ENTITY_ID = "urn:fedsim:idp";
