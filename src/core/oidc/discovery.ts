import type { SigningAlgorithm } from "./algorithms.js";

export interface DiscoveryInput {
  /** The issuer identifier: an http(s) URL without query or fragment, exactly the tokens' `iss`. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  userinfoEndpoint?: string;
  /** Default ["RS256"]. */
  signingAlgorithms?: readonly SigningAlgorithm[];
  /** Default ["openid", "profile", "email"]. */
  scopes?: readonly string[];
  /** Default the registered ID-token claims plus email and name. */
  claims?: readonly string[];
  /** Default ["client_secret_basic", "client_secret_post", "none"] (none: public clients using PKCE). */
  tokenEndpointAuthMethods?: readonly string[];
  /** Default ["authorization_code"]. */
  grantTypes?: readonly string[];
}

/** OpenID Provider Metadata (OpenID Connect Discovery 1.0 §3), as served at /.well-known/openid-configuration. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  scopes_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  grant_types_supported: string[];
  code_challenge_methods_supported: string[];
  claims_supported: string[];
}

const DEFAULT_CLAIMS = [
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "nonce",
  "email",
  "email_verified",
  "name",
];

/**
 * The discovery document of fedsim's built-in issuer: the authorization-code flow with PKCE (S256 only, since
 * `plain` gives no protection), public subject identifiers, and the endpoints the HTTP room serves.
 */
export function discoveryDocument(input: DiscoveryInput): ProviderMetadata {
  const issuer = checkUrl("issuer", input.issuer);
  if (issuer.search !== "" || issuer.hash !== "") {
    throw new TypeError("discoveryDocument: the issuer must have no query or fragment");
  }
  const document: ProviderMetadata = {
    issuer: input.issuer,
    authorization_endpoint: checkUrl("authorizationEndpoint", input.authorizationEndpoint).href,
    token_endpoint: checkUrl("tokenEndpoint", input.tokenEndpoint).href,
    jwks_uri: checkUrl("jwksUri", input.jwksUri).href,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [...(input.signingAlgorithms ?? ["RS256"])],
    scopes_supported: [...(input.scopes ?? ["openid", "profile", "email"])],
    token_endpoint_auth_methods_supported: [
      ...(input.tokenEndpointAuthMethods ?? ["client_secret_basic", "client_secret_post", "none"]),
    ],
    grant_types_supported: [...(input.grantTypes ?? ["authorization_code"])],
    code_challenge_methods_supported: ["S256"],
    claims_supported: [...(input.claims ?? DEFAULT_CLAIMS)],
  };
  if (input.userinfoEndpoint !== undefined) {
    document.userinfo_endpoint = checkUrl("userinfoEndpoint", input.userinfoEndpoint).href;
  }
  if (!document.scopes_supported.includes("openid")) {
    throw new TypeError('discoveryDocument: scopes must include "openid"');
  }
  return document;
}

function checkUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`discoveryDocument: ${name} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`discoveryDocument: ${name} must be an http or https URL`);
  }
  return url;
}
