import { issueToken } from "../../core/oidc/issueToken.js";
import type { SigningKey } from "../../core/oidc/signingKeys.js";
import type { Tag } from "../../store/tags.js";

/** The issuer of Cognito Identity's OpenID tokens; fedsim stands in for it, with its own key. */
export const COGNITO_ISSUER = "https://cognito-identity.amazonaws.com";
/** Where AWS's tokens carry session tags: {principal_tags: {key: [value]}}. */
export const TAGS_CLAIM = "https://aws.amazon.com/tags";
/** GetOpenIdToken: "The OpenID token is valid for 10 minutes." */
export const OPEN_ID_TOKEN_SECONDS = 600;
/** GetOpenIdTokenForDeveloperIdentity's TokenDuration default (15 minutes) and bounds. */
export const DEVELOPER_TOKEN_DEFAULT_SECONDS = 900;
export const DEVELOPER_TOKEN_MAX_SECONDS = 86_400;

export interface CognitoTokenInput {
  poolId: string;
  identityId: string;
  amr: readonly string[];
  now: Date;
  lifetimeSeconds: number;
  principalTags?: readonly Tag[];
}

/** An RS512 JWT as Cognito Identity issues them: iss, sub (identity id), aud (pool id), amr, iat, exp. */
export function issueCognitoToken(key: SigningKey, input: CognitoTokenInput): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: COGNITO_ISSUER,
    sub: input.identityId,
    aud: input.poolId,
    amr: [...input.amr],
  };
  if (input.principalTags && input.principalTags.length > 0)
    claims[TAGS_CLAIM] = {
      principal_tags: Object.fromEntries(input.principalTags.map((t) => [t.key, [t.value]])),
    };
  return issueToken({
    privateKey: key.privateKey,
    kid: key.kid,
    alg: "RS512",
    claims,
    now: input.now,
    lifetimeSeconds: input.lifetimeSeconds,
  });
}
