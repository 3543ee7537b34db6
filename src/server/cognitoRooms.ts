import type { DecisionLog } from "../authz/decisionLog.js";
import type { JsonWebKeySet } from "../core/oidc/jwks.js";
import type { SigningKey } from "../core/oidc/signingKeys.js";
import type { JsonServiceDef } from "../protocol/awsEndpoint.js";
import { cognitoIdentityService } from "../services/cognito-identity/index.js";
import { userPoolLogin } from "../services/cognito-identity/logins/userPoolLogin.js";
import { cognitoJwks, loadOrCreateCognitoKey } from "../services/cognito-identity/signingKey.js";
import { type UserPoolsRoom, userPoolsRoom } from "../services/cognito-idp/room.js";
import type { ServiceDeps } from "../services/deps.js";
import type { WebIdentityKeySource } from "../services/sts/webIdentityKeys.js";

export interface CognitoRooms {
  identity: JsonServiceDef;
  userPools: UserPoolsRoom;
  /** The RS512 key of Cognito Identity's OpenID tokens. */
  signingKey: SigningKey;
  /** Its public JWKS, one object for the rooms' life (token verification caches by key object). */
  jwks: JsonWebKeySet;
}

/**
 * Cognito Identity and the user pools, built together (identity pools verify user pools' ID tokens through the
 * user-pool room). Imported by src/server/compose.ts on the first request that needs either, so a start whose
 * first call is STS loads neither, nor the key (jose) they sign with.
 */
export async function buildCognitoRooms(input: {
  deps: ServiceDeps;
  decisions: DecisionLog;
  webIdentity: WebIdentityKeySource;
  certsDir: string;
  log?: (line: string) => void;
}): Promise<CognitoRooms> {
  const { deps, decisions, webIdentity } = input;
  const signingKey = await loadOrCreateCognitoKey(input.certsDir);
  // Cognito user pools: the JSON 1.1 service, its public JWKS/discovery routes and its admin codes route.
  const userPools = userPoolsRoom({ ...deps, decisions }, input.certsDir, input.log);
  const identity = cognitoIdentityService(deps, decisions, {
    signingKey,
    // The same keys AssumeRoleWithWebIdentity uses: the config's inline JWKS, the built-in issuer's in-process,
    // anyone else's discovered and cached; user pools' ID tokens verified by the user-pool room itself.
    logins: {
      userPools: (key, pool) => userPoolLogin(userPools, key, pool),
      // A provider whose keys cannot be had makes its logins invalid (NotAuthorizedException), not a fault.
      oidcJwks: (provider) =>
        webIdentity
          .jwksFor(provider.url.startsWith("http") ? provider.url : `https://${provider.url}`, provider.arn)
          .then(
            (found) => found.jwks,
            () => undefined,
          ),
    },
  });
  return { identity, userPools, signingKey, jwks: cognitoJwks(signingKey) };
}
