import type { JsonWebKeySet } from "../../../core/oidc/jwks.js";
import type { IdentityPoolRow } from "../../../store/identityPools.js";
import type { RoomDeps } from "../../deps.js";
import { oidcProviderName } from "../operation.js";
import { invalidLogin, unsupportedProvider } from "../refusal.js";
import { cognitoTokenVerifier } from "./cognitoTokenLogin.js";
import { oidcLoginVerifier } from "./oidcLogin.js";
import { COGNITO_LOGIN, type LoginSources, type LoginVerifier, type VerifiedLogin } from "./types.js";

/** Cognito user pools: `cognito-idp.REGION.amazonaws.com/POOL_ID`. */
const USER_POOL_KEY = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[\w-]+$/;

/**
 * Verifies a request's Logins against its pool: each key must be a provider the pool names, and each token
 * must verify with that provider. The first refusal stops the request; nothing is linked or issued for a
 * request with any bad login.
 */
export function loginVerification(deps: RoomDeps, sources: LoginSources, cognitoJwks: JsonWebKeySet) {
  const ownTokens = cognitoTokenVerifier(cognitoJwks);

  const verifierFor = (key: string, pool: IdentityPoolRow): LoginVerifier | Promise<LoginVerifier> => {
    if (key === COGNITO_LOGIN) return ownTokens;
    const external = sources.providers?.(key, pool);
    if (external) return external;
    if (pool.samlProviderArns.includes(key)) {
      const provider = deps.store.identityProviders.getSaml(key);
      if (!provider || provider.accountId !== pool.accountId)
        throw unsupportedProvider(
          `the pool names the SAML provider ${key}, which does not exist in account ${pool.accountId}`,
        );
      // The XML stack loads with the first SAML login, not at start-up.
      return import("./samlLogin.js").then((m) => m.samlLoginVerifier(provider, deps.publicUrl));
    }
    const oidcArn = pool.openIdConnectProviderArns.find((arn) => oidcProviderName(arn) === key);
    if (oidcArn !== undefined) {
      const provider = deps.store.identityProviders.getOidc(oidcArn);
      if (!provider || provider.accountId !== pool.accountId)
        throw unsupportedProvider(
          `the pool names the OIDC provider ${oidcArn}, which does not exist in account ${pool.accountId}`,
        );
      return oidcLoginVerifier(key, provider, sources.oidcJwks);
    }
    if (USER_POOL_KEY.test(key) && pool.cognitoIdentityProviders.some((p) => p.ProviderName === key)) {
      const userPool = sources.userPools?.(key, pool);
      if (userPool) return userPool;
      throw invalidLogin(
        "Couldn't verify signed token.",
        `fedsim does not emulate the Cognito user pool ${key} yet`,
      );
    }
    if (Object.hasOwn(pool.supportedLoginProviders, key))
      throw invalidLogin(
        "Couldn't verify signed token.",
        `fedsim cannot reach the public provider ${key} offline; define it as an IAM OIDC provider with jwks and list it in the pool's OpenIdConnectProviderARNs`,
      );
    if (key === pool.developerProviderName)
      throw unsupportedProvider(
        `${key} is the pool's developer provider: its users sign in through GetOpenIdTokenForDeveloperIdentity (a signed call from the app's server), never through Logins`,
      );
    throw unsupportedProvider(`${key} is not a login provider of identity pool ${pool.id}`);
  };

  return async function verifyLogins(
    pool: IdentityPoolRow,
    logins: ReadonlyMap<string, string>,
    now: Date,
  ): Promise<VerifiedLogin[]> {
    const out: VerifiedLogin[] = [];
    for (const [key, token] of logins) {
      const verifier = await verifierFor(key, pool);
      out.push(await verifier.verify(token, pool, now));
    }
    return out;
  };
}

export type VerifyLogins = ReturnType<typeof loginVerification>;
