import type { AnyJsonOperation } from "../../protocol/operation.js";
import { jsonOperation } from "../../protocol/operation.js";
import { initiateAuth, respondToAuthChallenge } from "./auth.js";
import { asBody, type Body, type UserPoolDeps } from "./common.js";
import { adminResetUserPassword, confirmForgotPassword, forgotPassword } from "./forgotPassword.js";
import { listUsers } from "./listUsers.js";
import { managed } from "./managed.js";
import { managementOperations } from "./management.js";
import { revokeToken } from "./revokeToken.js";
import {
  changePassword,
  getUser,
  getUserAttributeVerificationCode,
  globalSignOut,
  updateUserAttributes,
  verifyUserAttribute,
} from "./selfService.js";
import { confirmSignUp, resendConfirmationCode, signUp } from "./signUp.js";

export const COGNITO_IDP_TARGET_PREFIX = "AWSCognitoIdentityProviderService";

function anonymous(target: string, run: (body: Body) => unknown | Promise<unknown>): AnyJsonOperation {
  return jsonOperation<Body>({ target, anonymous: true, input: asBody, run: (_ctx, body) => run(body) });
}

/** Every operation of the Cognito user pools API fedsim answers. */
export function cognitoIdpOperations(deps: UserPoolDeps): ReadonlyMap<string, AnyJsonOperation> {
  const ops: AnyJsonOperation[] = [
    anonymous("InitiateAuth", (b) => initiateAuth(deps, b, false)),
    anonymous("RespondToAuthChallenge", (b) => respondToAuthChallenge(deps, b, false)),
    anonymous("SignUp", (b) => signUp(deps, b)),
    anonymous("ConfirmSignUp", (b) => confirmSignUp(deps, b)),
    anonymous("ResendConfirmationCode", (b) => resendConfirmationCode(deps, b)),
    anonymous("ForgotPassword", (b) => forgotPassword(deps, b)),
    anonymous("ConfirmForgotPassword", (b) => confirmForgotPassword(deps, b)),
    // Access-token calls: unsigned at AWS, the AccessToken member is the credential.
    anonymous("GetUser", (b) => getUser(deps, b)),
    anonymous("UpdateUserAttributes", (b) => updateUserAttributes(deps, b)),
    anonymous("GetUserAttributeVerificationCode", (b) => getUserAttributeVerificationCode(deps, b)),
    anonymous("VerifyUserAttribute", (b) => verifyUserAttribute(deps, b)),
    anonymous("ChangePassword", (b) => changePassword(deps, b)),
    anonymous("GlobalSignOut", (b) => globalSignOut(deps, b)),
    anonymous("RevokeToken", (b) => revokeToken(deps, b)),
    managed(deps, "AdminInitiateAuth", (_c, b) => initiateAuth(deps, b, true)),
    managed(deps, "AdminRespondToAuthChallenge", (_c, b) => respondToAuthChallenge(deps, b, true)),
    adminResetUserPassword(deps),
    listUsers(deps),
    ...managementOperations(deps),
  ];
  return new Map(ops.map((op) => [op.target, op]));
}
