import type { DecisionSink } from "../../authz/decisionRecord.js";
import type { SigningKey } from "../../core/oidc/signingKeys.js";
import type { JsonServiceDef } from "../../protocol/awsEndpoint.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import type { RoomDeps, ServiceDeps } from "../deps.js";
import { developerOperations } from "./developer.js";
import { getCredentialsForIdentity } from "./getCredentialsForIdentity.js";
import { getId } from "./getId.js";
import { getOpenIdToken } from "./getOpenIdToken.js";
import { identityOperations } from "./identities.js";
import type { LoginSources } from "./logins/types.js";
import { loginVerification } from "./logins/verifyLogins.js";
import { SERVICE } from "./operation.js";
import { poolRoleOperations } from "./poolRoles.js";
import { poolOperations } from "./pools.js";
import { principalTagOperations } from "./principalTags.js";
import { cognitoJwks } from "./signingKey.js";
import { tagOperations } from "./tags.js";
import { unlinkIdentity } from "./unlinkIdentity.js";

export const COGNITO_TARGET_PREFIX = "AWSCognitoIdentityService";

export interface CognitoIdentityOptions {
  /** The RS512 key of Cognito's OpenID tokens (loadOrCreateCognitoKey). */
  signingKey: SigningKey;
  /** Where logins from IAM OIDC providers, user pools and other issuers are verified (see LoginSources). */
  logins: LoginSources;
}

/** Cognito Identity (AWS JSON 1.1, SigV4 name cognito-identity): all 23 operations, by target. */
export function cognitoIdentityService(
  shared: ServiceDeps,
  decisions: DecisionSink,
  options: CognitoIdentityOptions,
): JsonServiceDef {
  const deps: RoomDeps = { ...shared, decisions };
  const room = {
    deps,
    signingKey: options.signingKey,
    verifyLogins: loginVerification(deps, options.logins, cognitoJwks(options.signingKey)),
  };
  const ops: AnyJsonOperation[] = [
    ...poolOperations(deps),
    ...poolRoleOperations(deps),
    ...tagOperations(deps),
    ...principalTagOperations(deps),
    ...identityOperations(deps),
    ...developerOperations(room),
    getId(room),
    getCredentialsForIdentity(room),
    getOpenIdToken(room),
    unlinkIdentity(room),
  ];
  return {
    name: SERVICE,
    targetPrefix: COGNITO_TARGET_PREFIX,
    operations: new Map(ops.map((op) => [op.target, op])),
  };
}
