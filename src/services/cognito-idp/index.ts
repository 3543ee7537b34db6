import type { AnyJsonOperation } from "../../protocol/operation.js";
import { jsonOperation } from "../../protocol/operation.js";
import { initiateAuth, respondToAuthChallenge } from "./auth.js";
import { asBody, type Body, type UserPoolDeps } from "./common.js";
import { managed } from "./managed.js";
import { managementOperations } from "./management.js";

export const COGNITO_IDP_TARGET_PREFIX = "AWSCognitoIdentityProviderService";

function anonymous(target: string, run: (body: Body) => unknown | Promise<unknown>): AnyJsonOperation {
  return jsonOperation<Body>({ target, anonymous: true, input: asBody, run: (_ctx, body) => run(body) });
}

/** Every operation of the Cognito user pools API fedsim answers. */
export function cognitoIdpOperations(deps: UserPoolDeps): ReadonlyMap<string, AnyJsonOperation> {
  const ops: AnyJsonOperation[] = [
    anonymous("InitiateAuth", (b) => initiateAuth(deps, b, false)),
    anonymous("RespondToAuthChallenge", (b) => respondToAuthChallenge(deps, b, false)),
    managed(deps, "AdminInitiateAuth", (_c, b) => initiateAuth(deps, b, true)),
    managed(deps, "AdminRespondToAuthChallenge", (_c, b) => respondToAuthChallenge(deps, b, true)),
    ...managementOperations(deps),
  ];
  return new Map(ops.map((op) => [op.target, op]));
}
