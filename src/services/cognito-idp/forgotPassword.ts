import { AwsError } from "../../errors.js";
import type { AnyJsonOperation } from "../../protocol/operation.js";
import { checkPasswordPolicy } from "./auth.js";
import { destinationOf, issueCode, madeUpCodeWrong, simulatedDestination, spendCode } from "./codes.js";
import { type Body, requirePool, requireUser, str, type UserPoolDeps } from "./common.js";
import { managed } from "./managed.js";
import { storedPassword } from "./passwords.js";
import { publicTarget, userDisabled, userNotFound } from "./publicClient.js";

/**
 * ForgotPassword: a 6-digit code, valid an hour, to the user's verified email (else verified phone). Under
 * ENABLED an unknown, disabled or unreachable user gets a made-up delivery instead of an error.
 */
export function forgotPassword(deps: UserPoolDeps, body: Body): unknown {
  const t = publicTarget(deps, body);
  const user = t.user;
  const delivery = user ? destinationOf(t.pool, user.attributes, true) : undefined;
  if (!user?.enabled || !delivery) {
    if (t.hiding) {
      // The made-up delivery counts toward the send limit as a real one does, or the limit would tell.
      deps.attempts.send(t.pool.id, t.username, "forgot-password", deps.clock().getTime());
      return { CodeDeliveryDetails: simulatedDestination(deps, t.pool, t.username) };
    }
    if (!user) throw userNotFound();
    if (!user.enabled) throw userDisabled();
    throw new AwsError(
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
  }
  issueCode(deps, t.pool, user.username, "forgot-password", delivery);
  return { CodeDeliveryDetails: delivery };
}

/**
 * ConfirmForgotPassword: the code and a new password the policy accepts. The policy is checked first, so
 * an unknown user under ENABLED meets the same answers as a real one with a wrong code.
 */
export async function confirmForgotPassword(deps: UserPoolDeps, body: Body): Promise<unknown> {
  const t = publicTarget(deps, body);
  const code = str(body, "ConfirmationCode", true);
  const password = str(body, "Password", true);
  checkPasswordPolicy(t.pool, password);
  const user = t.user;
  if (!user?.enabled) {
    if (t.hiding) throw madeUpCodeWrong(deps, t.pool.id, t.username, "forgot-password");
    throw user ? userDisabled() : userNotFound();
  }
  spendCode(deps, user, "forgot-password", code);
  const stored = await storedPassword(t.pool.id, user.username, password);
  deps.repo.setPassword(
    t.pool.id,
    user.username,
    { ...stored, status: user.status === "UNCONFIRMED" ? "UNCONFIRMED" : "CONFIRMED" },
    deps.clock().getTime(),
  );
  return {};
}

/**
 * AdminResetUserPassword: the password stops working (RESET_REQUIRED: sign-in answers
 * PasswordResetRequiredException) and a reset code goes out as ForgotPassword's would.
 */
export function adminResetUserPassword(deps: UserPoolDeps): AnyJsonOperation {
  return managed(deps, "AdminResetUserPassword", (_c, body) => {
    const pool = requirePool(deps, str(body, "UserPoolId", true));
    const user = requireUser(deps, pool.id, str(body, "Username", true));
    if (!user.enabled) throw userDisabled();
    const delivery = destinationOf(pool, user.attributes, true);
    if (!delivery)
      throw new AwsError(
        "InvalidParameterException",
        "Cannot reset password for the user as there is no registered/verified email or phone_number",
      );
    issueCode(deps, pool, user.username, "forgot-password", delivery);
    if (user.status !== "UNCONFIRMED")
      deps.repo.setStatus(pool.id, user.username, "RESET_REQUIRED", deps.clock().getTime());
    return {};
  });
}
