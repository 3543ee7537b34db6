import type { JsonWebKeySet } from "../../../core/oidc/jwks.js";
import type { IdentityPoolRow } from "../../../store/identityPools.js";
import type { OidcProviderRow } from "../../../store/identityProviders.js";
import type { Tag } from "../../../store/tags.js";

/** The Logins key of tokens Cognito Identity issued itself (GetOpenIdToken, developer identities). */
export const COGNITO_LOGIN = "cognito-identity.amazonaws.com";

/** A login from an identity provider, verified: who it is, and what it says about them. */
export interface ProviderLogin {
  kind: "provider";
  /** The Logins key (an OIDC provider's name, a SAML provider's ARN, a developer provider's name). */
  provider: string;
  /** Who, as the provider names them: sub, the SAML NameID, a developer user identifier. */
  subject: string;
  /** Claims, or SAML attributes: what role rules and principal tag maps read. */
  claims: ReadonlyMap<string, unknown>;
  /** What this login adds to cognito-identity.amazonaws.com:amr after "authenticated". */
  amr: string[];
  /** For SAML logins, the roles the assertion grants through this provider. */
  samlRoles?: string[];
}

/** A token Cognito Identity issued (the developer flow's, or GetOpenIdToken's): it proves an identity directly. */
export interface CognitoTokenLogin {
  kind: "cognito";
  provider: typeof COGNITO_LOGIN;
  identityId: string;
  amr: string[];
  /** PrincipalTags given to GetOpenIdTokenForDeveloperIdentity, carried in the token. */
  principalTags: Tag[];
}

export type VerifiedLogin = ProviderLogin | CognitoTokenLogin;

/**
 * Verifies one kind of login. A token that does not verify is refused with an AwsError (see ../refusal.ts),
 * NotAuthorizedException as AWS answers it, carrying fedsim's reason for the decision log.
 */
export interface LoginVerifier {
  verify(token: string, pool: IdentityPoolRow, now: Date): Promise<VerifiedLogin>;
}

/** A verifier for a Logins key of a pool, or undefined when this source does not know the key. */
export type LoginVerifierLookup = (key: string, pool: IdentityPoolRow) => LoginVerifier | undefined;

/** An IAM OIDC provider's signing keys, or undefined when fedsim has none for it. */
export type OidcJwksSource = (
  provider: OidcProviderRow,
) => JsonWebKeySet | undefined | Promise<JsonWebKeySet | undefined>;

/**
 * Where logins are verified beyond what this room holds itself. The integrator's seams:
 * - `oidcJwks`: the keys of IAM OIDC providers. By default the inline `jwks` of the config's oidcProviders;
 *   the OIDC room's JWKS fetcher (remote issuers, the built-in issuer) plugs in here.
 * - `providers`: consulted first for every Logins key (e.g. the built-in issuer under its own name).
 * - `userPools`: Cognito user pools, `cognito-idp.REGION.amazonaws.com/POOL_ID` (the next issue).
 */
export interface LoginSources {
  oidcJwks: OidcJwksSource;
  providers?: LoginVerifierLookup;
  userPools?: LoginVerifierLookup;
}
