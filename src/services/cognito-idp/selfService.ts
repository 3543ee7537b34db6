import { AwsError } from "../../errors.js";
import { accessTokenUser } from "./accessToken.js";
import { checkUserAttributes } from "./attributes.js";
import { afterPasswordCheck, checkPasswordPolicy, refuseIfLocked, wrongPassword } from "./auth.js";
import { attributeCodePurpose, destinationOf, issueCode, spendCode } from "./codes.js";
import { attributeList, type Body, str, type UserPoolDeps, userAttributes } from "./common.js";
import { passwordMatches, storedPassword } from "./passwords.js";

/** GetUser: the signed-in user's name and attributes. */
export async function getUser(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { user } = await accessTokenUser(deps, body);
  return { Username: user.username, UserAttributes: userAttributes(user) };
}

/**
 * UpdateUserAttributes: the user's own standard and custom: attributes. A new email or phone the pool
 * verifies automatically is unverified until the code sent to it comes back (VerifyUserAttribute).
 */
export async function updateUserAttributes(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { pool, user } = await accessTokenUser(deps, body);
  const changes = attributeList(body, "UserAttributes");
  checkUserAttributes(changes);
  for (const name of ["email_verified", "phone_number_verified"])
    if (changes.has(name))
      throw new AwsError(
        "InvalidParameterException",
        `${name} can be set only by an administrator or by verifying the attribute's code`,
      );
  const next = { ...user.attributes, ...Object.fromEntries(changes) };
  const deliveries = [];
  for (const name of ["email", "phone_number"] as const) {
    if (!changes.has(name) || changes.get(name) === user.attributes[name]) continue;
    next[`${name}_verified`] = "false";
    // A code sent to the old value proves nothing about the new one.
    deps.repo.deleteCode(pool.id, user.username, attributeCodePurpose(name));
    const delivery = destinationOf(pool, { [name]: next[name]! }, false);
    if (delivery) {
      issueCode(deps, pool, user.username, attributeCodePurpose(name), delivery);
      deliveries.push(delivery);
    }
  }
  deps.repo.setAttributes(pool.id, user.username, next, deps.clock().getTime());
  return { CodeDeliveryDetailsList: deliveries };
}

/** GetUserAttributeVerificationCode: a code to prove the user's email or phone. */
export async function getUserAttributeVerificationCode(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { pool, user } = await accessTokenUser(deps, body);
  const name = str(body, "AttributeName", true);
  const value = Object.hasOwn(user.attributes, name) ? user.attributes[name] : undefined;
  if ((name !== "email" && name !== "phone_number") || value === undefined)
    throw new AwsError("InvalidParameterException", `Attribute ${name} cannot be verified for this user`);
  const delivery = destinationOf(
    { ...pool, settings: { ...pool.settings, autoVerifiedAttributes: [name] } },
    { [name]: value },
    false,
  )!;
  issueCode(deps, pool, user.username, attributeCodePurpose(name), delivery);
  return { CodeDeliveryDetails: delivery };
}

/** VerifyUserAttribute: the code GetUserAttributeVerificationCode or UpdateUserAttributes sent. */
export async function verifyUserAttribute(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { pool, user } = await accessTokenUser(deps, body);
  const name = str(body, "AttributeName", true);
  const code = str(body, "Code", true);
  if (name !== "email" && name !== "phone_number")
    throw new AwsError("InvalidParameterException", `Attribute ${name} cannot be verified`);
  spendCode(deps, user, attributeCodePurpose(name), code);
  deps.repo.setAttributes(
    pool.id,
    user.username,
    { ...user.attributes, [`${name}_verified`]: "true" },
    deps.clock().getTime(),
  );
  return {};
}

/**
 * ChangePassword: the current password (a wrong one counts toward the lockout, as at sign-in) and a new one
 * the pool's policy accepts. Other sign-ins stay valid, as at AWS.
 */
export async function changePassword(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { pool, user } = await accessTokenUser(deps, body);
  const previous = str(body, "PreviousPassword", true);
  const proposed = str(body, "ProposedPassword", true);
  checkPasswordPolicy(pool, proposed);
  refuseIfLocked(deps, user);
  if (!user.passwordHash || !(await passwordMatches(previous, user.passwordHash))) wrongPassword(deps, user);
  afterPasswordCheck(deps, user);
  deps.repo.setPassword(
    pool.id,
    user.username,
    { ...(await storedPassword(pool.id, user.username, proposed)), status: user.status },
    deps.clock().getTime(),
  );
  return {};
}

/**
 * GlobalSignOut: every refresh token of the user revoked, and with them every ID and access token their
 * sign-ins issued (fedsim refuses those from then on: "Access Token has been revoked").
 */
export async function globalSignOut(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const { pool, user } = await accessTokenUser(deps, body);
  deps.repo.revokeAllOf(pool.id, user.username);
  return {};
}
