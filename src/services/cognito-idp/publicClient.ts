import { AwsError } from "../../errors.js";
import type { ClientRow, PoolRow, PoolUserRow } from "../../store/userPools.js";
import { type Body, checkSecretHash, requireClient, requirePool, str, type UserPoolDeps } from "./common.js";

export interface PublicTarget {
  pool: PoolRow;
  client: ClientRow;
  username: string;
  /** The user, or undefined when there is none. */
  user: PoolUserRow | undefined;
  /** Whether the client hides which users exist (PreventUserExistenceErrors ENABLED). */
  hiding: boolean;
}

/**
 * The client, pool and user an unsigned self-service call (SignUp, ForgotPassword, ...) names, with the
 * client's SecretHash checked first when it has a secret, as Cognito does before looking at the user.
 */
export function publicTarget(deps: UserPoolDeps, body: Body): PublicTarget {
  const client = requireClient(deps, str(body, "ClientId", true));
  const pool = requirePool(deps, client.poolId);
  const username = str(body, "Username", true);
  checkUsername(username);
  checkSecretHash(client, username, str(body, "SecretHash"));
  return {
    pool,
    client,
    username,
    user: deps.repo.getUser(pool.id, username),
    hiding: client.settings.preventUserExistenceErrors === "ENABLED",
  };
}

export function userNotFound(): AwsError {
  return new AwsError("UserNotFoundException", "User does not exist.");
}

export function userDisabled(): AwsError {
  return new AwsError("NotAuthorizedException", "User is disabled.");
}

const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/**
 * A new username as the model constrains it (letters, marks, symbols, digits, punctuation; 1-128), for
 * SignUp and AdminCreateUser. Username is a sensitive member, so the message does not echo it.
 */
export function checkUsername(username: string): void {
  if ([...username].length > 128)
    throw new AwsError(
      "InvalidParameterException",
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  if (!USERNAME.test(username))
    throw new AwsError(
      "InvalidParameterException",
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
}
