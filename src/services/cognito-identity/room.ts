import type { SigningKey } from "../../core/oidc/signingKeys.js";
import type { RoomDeps } from "../deps.js";
import type { VerifyLogins } from "./logins/verifyLogins.js";

/** What the Cognito Identity operations share: the room's deps, its login verification and its signing key. */
export interface CognitoRoom {
  deps: RoomDeps;
  verifyLogins: VerifyLogins;
  signingKey: SigningKey;
}
