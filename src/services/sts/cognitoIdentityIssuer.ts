import type { OidcProviderRow } from "../../store/identityProviders.js";

/**
 * Cognito Identity's OpenID tokens (GetOpenIdToken, GetOpenIdTokenForDeveloperIdentity: the basic flow). Their
 * issuer is one AWS defines itself: a role trusts it as `Federated: cognito-identity.amazonaws.com` with no
 * IAM OIDC provider in the account, and its trust policy sees cognito-identity.amazonaws.com:aud (the pool
 * id), :sub (the identity id) and :amr. fedsim stands in for the issuer with its own Cognito key (handed to
 * the key source under COGNITO_IDENTITY_PROVIDER, never fetched over HTTP).
 */
export const COGNITO_IDENTITY_ISSUER = "https://cognito-identity.amazonaws.com";
export const COGNITO_IDENTITY_PROVIDER = "cognito-identity.amazonaws.com";

/**
 * The provider a Cognito token is verified as, in the role's account. It lists no client ids: a token's aud
 * is an identity pool id, and which pools a role admits is its trust policy's to say (aud conditions).
 */
export function cognitoIdentityProvider(accountId: string): OidcProviderRow {
  return {
    arn: COGNITO_IDENTITY_PROVIDER,
    accountId,
    url: COGNITO_IDENTITY_ISSUER,
    clientIds: [],
    thumbprints: [],
    tags: [],
    createdAt: 0,
  };
}
