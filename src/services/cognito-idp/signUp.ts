import { randomUUID } from "node:crypto";
import { AwsError } from "../../errors.js";
import type { PoolUserRow } from "../../store/userPools.js";
import { checkUserAttributes } from "./attributes.js";
import { checkPasswordPolicy } from "./auth.js";
import { destinationOf, issueCode, madeUpCodeWrong, simulatedDestination, spendCode } from "./codes.js";
import { attributeList, type Body, str, type UserPoolDeps } from "./common.js";
import { storedPassword } from "./passwords.js";
import { checkUsername, publicTarget, userDisabled, userNotFound } from "./publicClient.js";

/**
 * SignUp: a new UNCONFIRMED user with the password the pool's policy accepts, and a confirmation code to
 * the pool's auto-verified email or phone (CodeDeliveryDetails says where, masked). A taken name is
 * UsernameExistsException whatever PreventUserExistenceErrors says, as at AWS.
 */
export async function signUp(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const t = publicTarget(deps, body);
  checkUsername(t.username);
  const password = str(body, "Password", true);
  const attributes = attributeList(body, "UserAttributes");
  checkUserAttributes(attributes);
  checkPasswordPolicy(t.pool, password);
  if (t.user) throw new AwsError("UsernameExistsException", "User already exists");
  const now = deps.clock().getTime();
  const attrs = Object.fromEntries(attributes);
  // A user cannot vouch for their own address.
  delete attrs.email_verified;
  delete attrs.phone_number_verified;
  const user: PoolUserRow = {
    poolId: t.pool.id,
    username: t.username,
    sub: randomUUID(),
    status: "UNCONFIRMED",
    enabled: true,
    attributes: attrs,
    ...(await storedPassword(t.pool.id, t.username, password)),
    failures: 0,
    lastFailureAt: 0,
    lockedUntil: 0,
    createdAt: now,
    updatedAt: now,
  };
  if (deps.repo.getUser(t.pool.id, t.username))
    throw new AwsError("UsernameExistsException", "User already exists");
  deps.repo.insertUser(user);
  const delivery = destinationOf(t.pool, attrs, false);
  if (delivery) issueCode(deps, t.pool, t.username, "signup", delivery);
  return {
    UserConfirmed: false,
    UserSub: user.sub,
    ...(delivery ? { CodeDeliveryDetails: delivery } : {}),
  };
}

/**
 * ConfirmSignUp: the code SignUp sent makes the user CONFIRMED and the address it went to verified. Under
 * ENABLED an unknown or disabled user gets the wrong-code answer, so the call tells nobody who exists.
 */
export function confirmSignUp(deps: UserPoolDeps, body: Body): unknown {
  const t = publicTarget(deps, body);
  const code = str(body, "ConfirmationCode", true);
  const user = t.user;
  if (!user?.enabled) {
    if (t.hiding) throw madeUpCodeWrong(deps, t.pool.id, t.username, "signup");
    throw user ? userDisabled() : userNotFound();
  }
  if (user.status !== "UNCONFIRMED")
    throw new AwsError(
      "NotAuthorizedException",
      `User cannot be confirmed. Current status is ${user.status}`,
    );
  spendCode(deps, user, "signup", code);
  const now = deps.clock().getTime();
  const delivery = destinationOf(t.pool, user.attributes, false);
  if (delivery)
    deps.repo.setAttributes(
      user.poolId,
      user.username,
      { ...user.attributes, [`${delivery.AttributeName}_verified`]: "true" },
      now,
    );
  deps.repo.setStatus(user.poolId, user.username, "CONFIRMED", now);
  return {};
}

/** ResendConfirmationCode: a new code for an UNCONFIRMED user; a made-up delivery for unknown ones under ENABLED. */
export function resendConfirmationCode(deps: UserPoolDeps, body: Body): unknown {
  const t = publicTarget(deps, body);
  const user = t.user;
  if (!user?.enabled) {
    if (t.hiding) {
      deps.attempts.send(t.pool.id, t.username, "signup", deps.clock().getTime());
      return { CodeDeliveryDetails: simulatedDestination(deps, t.pool, t.username) };
    }
    throw user ? userDisabled() : userNotFound();
  }
  if (user.status !== "UNCONFIRMED")
    throw new AwsError("InvalidParameterException", "User is already confirmed.");
  const delivery = destinationOf(t.pool, user.attributes, false);
  if (!delivery)
    throw new AwsError("InvalidParameterException", "Cannot resend codes. Auto verification not turned on.");
  issueCode(deps, t.pool, user.username, "signup", delivery);
  return { CodeDeliveryDetails: delivery };
}
