import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { afterWrongPassword, isLocked } from "../../core/cognito/lockout.js";
import { passwordPolicyViolation } from "../../core/cognito/passwordPolicy.js";
import { N } from "../../core/srp/group.js";
import { claimSignature, serverPublic, sharedKey } from "../../core/srp/server.js";
import { parseSrpTimestamp } from "../../core/srp/timestamp.js";
import { srpPoolName, srpVerifier } from "../../core/srp/verifier.js";
import { AwsError } from "../../errors.js";
import type { ClientRow, PoolRow, PoolUserRow } from "../../store/userPools.js";
import {
  type Body,
  checkSecretHash,
  requireClient,
  requirePool,
  str,
  stringMap,
  type UserPoolDeps,
} from "./common.js";
import { passwordMatches, storedPassword } from "./passwords.js";
import { seal, unseal } from "./seal.js";
import { issueTokens, refreshTokenHash } from "./tokens.js";

const INCORRECT = "Incorrect username or password.";
const CHALLENGE_LIFETIME_MS = 3 * 60_000;
// A decoy hash for unknown users under ENABLED, so a wrong username costs as long as a wrong password.
const DECOY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

function sessionKey(deps: UserPoolDeps): Buffer {
  return deps.store.secrets.secret("cognito-idp-challenges");
}

function flowAllowed(client: ClientRow, flow: string): boolean {
  return client.settings.explicitAuthFlows.includes(flow);
}

function missing(name: string): AwsError {
  return new AwsError("InvalidParameterException", `Missing required parameter ${name}`);
}

/** The user signing in, or Cognito's answer for an unknown one under the client's PreventUserExistenceErrors. */
function signingInUser(
  deps: UserPoolDeps,
  pool: PoolRow,
  client: ClientRow,
  username: string,
): PoolUserRow | undefined {
  const user = deps.repo.getUser(pool.id, username);
  if (!user && client.settings.preventUserExistenceErrors === "LEGACY")
    throw new AwsError("UserNotFoundException", "User does not exist.");
  return user;
}

export function refuseIfLocked(deps: UserPoolDeps, user: PoolUserRow | undefined): void {
  if (user && isLocked(user, deps.clock().getTime()))
    throw new AwsError("NotAuthorizedException", "Password attempts exceeded");
}

export function wrongPassword(deps: UserPoolDeps, user: PoolUserRow | undefined): never {
  // Counted from the row as it is now, not as it was before the hash ran: guesses sent in a burst all read
  // the row before any scrypt finished, and would otherwise count as one failure between them.
  const now = user && deps.repo.getUser(user.poolId, user.username);
  if (now) deps.repo.setFailures(now.poolId, now.username, afterWrongPassword(now, deps.clock().getTime()));
  throw new AwsError("NotAuthorizedException", INCORRECT);
}

/**
 * The user as they are once a password check that awaited scrypt has passed: the lock a burst of wrong
 * guesses set meanwhile holds for the right guess among them too.
 */
export function afterPasswordCheck(deps: UserPoolDeps, user: PoolUserRow): PoolUserRow {
  const now = deps.repo.getUser(user.poolId, user.username);
  if (!now || now.sub !== user.sub) wrongPassword(deps, undefined);
  refuseIfLocked(deps, now);
  return now;
}

/** After the password is proven: the user's state decides between tokens, a challenge and a refusal. */
async function passwordProven(deps: UserPoolDeps, pool: PoolRow, client: ClientRow, user: PoolUserRow) {
  if (!user.enabled) throw new AwsError("NotAuthorizedException", "User is disabled.");
  deps.repo.setFailures(pool.id, user.username, { failures: 0, lastFailureAt: 0, lockedUntil: 0 });
  if (user.status === "UNCONFIRMED")
    throw new AwsError("UserNotConfirmedException", "User is not confirmed.");
  if (user.status === "RESET_REQUIRED")
    throw new AwsError("PasswordResetRequiredException", "Password reset required for the user");
  if (user.status === "FORCE_CHANGE_PASSWORD") {
    const session = seal(sessionKey(deps), "new-password", {
      p: pool.id,
      c: client.id,
      u: user.username,
      e: deps.clock().getTime() + CHALLENGE_LIFETIME_MS,
    });
    const attributes = Object.fromEntries(
      Object.entries(user.attributes).filter(([n]) => !n.endsWith("_verified")),
    );
    return {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: session.toString("base64"),
      ChallengeParameters: {
        USER_ID_FOR_SRP: user.username,
        requiredAttributes: "[]",
        userAttributes: JSON.stringify(attributes),
      },
    };
  }
  return {
    ChallengeParameters: {},
    AuthenticationResult: await issueTokens(
      { repo: deps.repo, keys: deps.keys, now: deps.clock() },
      pool,
      client,
      user,
    ),
  };
}

export interface AuthTarget {
  pool: PoolRow;
  client: ClientRow;
}

/** The client (and its pool) a sign-in call names; admin calls name the pool too, and must agree. */
export function authTarget(deps: UserPoolDeps, body: Body, admin: boolean): AuthTarget {
  const poolId = admin ? str(body, "UserPoolId", true) : undefined;
  const clientId = str(body, "ClientId", true);
  if (poolId !== undefined) requirePool(deps, poolId);
  const client = requireClient(deps, clientId, poolId);
  return { pool: requirePool(deps, client.poolId), client };
}

export async function initiateAuth(deps: UserPoolDeps, body: Body, admin: boolean): Promise<unknown> {
  const flow = str(body, "AuthFlow", true);
  const { pool, client } = authTarget(deps, body, admin);
  const params = stringMap(body, "AuthParameters");
  const passwordFlow = admin
    ? flow === "ADMIN_USER_PASSWORD_AUTH" || flow === "ADMIN_NO_SRP_AUTH"
    : flow === "USER_PASSWORD_AUTH";
  if (passwordFlow) {
    const allow = admin ? "ALLOW_ADMIN_USER_PASSWORD_AUTH" : "ALLOW_USER_PASSWORD_AUTH";
    if (!flowAllowed(client, allow))
      throw new AwsError("InvalidParameterException", `${flow} flow not enabled for this client`);
    const username = params.get("USERNAME");
    if (username === undefined) throw missing("USERNAME");
    const password = params.get("PASSWORD");
    if (password === undefined) throw missing("PASSWORD");
    checkSecretHash(client, username, params.get("SECRET_HASH"));
    const user = signingInUser(deps, pool, client, username);
    refuseIfLocked(deps, user);
    const ok = await passwordMatches(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !ok) wrongPassword(deps, user);
    return passwordProven(deps, pool, client, afterPasswordCheck(deps, user));
  }
  if (flow === "USER_SRP_AUTH") {
    if (!flowAllowed(client, "ALLOW_USER_SRP_AUTH"))
      throw new AwsError("InvalidParameterException", "USER_SRP_AUTH flow not enabled for this client");
    const username = params.get("USERNAME");
    if (username === undefined) throw missing("USERNAME");
    const srpA = params.get("SRP_A");
    if (srpA === undefined) throw missing("SRP_A");
    checkSecretHash(client, username, params.get("SECRET_HASH"));
    if (!/^[0-9a-fA-F]{1,1024}$/.test(srpA))
      throw new AwsError("InvalidParameterException", "SRP_A is not a hexadecimal number");
    const A = BigInt(`0x${srpA}`);
    if (A % N === 0n) throw new AwsError("InvalidParameterException", "SRP_A cannot be 0 mod N");
    const user = signingInUser(deps, pool, client, username);
    refuseIfLocked(deps, user);
    // Unknown users under ENABLED get a stable decoy salt and verifier, so the challenge looks the same.
    const salt = user?.srpSalt ?? decoy(deps, pool.id, username, "salt").subarray(0, 16).toString("hex");
    const verifier = user?.srpVerifier ?? decoy(deps, pool.id, username, "verifier").toString("hex");
    const b = BigInt(`0x${randomBytes(64).toString("hex")}`);
    const B = serverPublic(verifier, b);
    const key = sharedKey(A, B, verifier, b);
    if (!key) throw new AwsError("InvalidParameterException", "SRP_A cannot be 0 mod N");
    const block = seal(sessionKey(deps), "srp", {
      p: pool.id,
      c: client.id,
      u: username,
      k: key.toString("base64"),
      e: deps.clock().getTime() + CHALLENGE_LIFETIME_MS,
      d: user === undefined,
    });
    return {
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeParameters: {
        SALT: salt,
        SECRET_BLOCK: block.toString("base64"),
        SRP_B: B.toString(16),
        USERNAME: username,
        USER_ID_FOR_SRP: username,
      },
    };
  }
  if (flow === "REFRESH_TOKEN_AUTH" || flow === "REFRESH_TOKEN") {
    if (!flowAllowed(client, "ALLOW_REFRESH_TOKEN_AUTH"))
      throw new AwsError("InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client");
    const token = params.get("REFRESH_TOKEN");
    if (token === undefined) throw missing("REFRESH_TOKEN");
    const row = deps.repo.getRefreshToken(refreshTokenHash(token));
    if (!row || row.clientId !== client.id)
      throw new AwsError("NotAuthorizedException", "Invalid Refresh Token");
    checkSecretHash(client, params.get("USERNAME") ?? row.username, params.get("SECRET_HASH"));
    if (row.revoked) throw new AwsError("NotAuthorizedException", "Refresh Token has been revoked");
    if (row.expiresAt <= deps.clock().getTime())
      throw new AwsError("NotAuthorizedException", "Refresh Token has expired");
    const user = deps.repo.getUser(pool.id, row.username);
    if (!user) throw new AwsError("NotAuthorizedException", "Invalid Refresh Token");
    if (!user.enabled) throw new AwsError("NotAuthorizedException", "User is disabled.");
    return {
      ChallengeParameters: {},
      AuthenticationResult: await issueTokens(
        { repo: deps.repo, keys: deps.keys, now: deps.clock() },
        pool,
        client,
        user,
        {
          originJti: row.originJti,
          authTime: row.authTime,
        },
      ),
    };
  }
  throw new AwsError(
    "InvalidParameterException",
    `1 validation error detected: Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set`,
  );
}

function decoy(deps: UserPoolDeps, poolId: string, username: string, what: string): Buffer {
  const secret = deps.store.secrets.secret("cognito-idp-decoys");
  const seed = createHmac("sha256", secret).update(`${what}\0${poolId}\0${username}`).digest();
  if (what === "salt") return seed;
  // A verifier-shaped number: g^seed, computed the way a real one is.
  return Buffer.from(srpVerifier(srpPoolName(poolId), username, seed.toString("hex"), "00"), "hex");
}

export async function respondToAuthChallenge(
  deps: UserPoolDeps,
  body: Body,
  admin: boolean,
): Promise<unknown> {
  const name = str(body, "ChallengeName", true);
  const { pool, client } = authTarget(deps, body, admin);
  const responses = stringMap(body, "ChallengeResponses");
  const now = deps.clock().getTime();
  if (name === "PASSWORD_VERIFIER") {
    const username = responses.get("USERNAME");
    if (username === undefined) throw missing("USERNAME");
    const blockText = responses.get("PASSWORD_CLAIM_SECRET_BLOCK");
    if (blockText === undefined) throw missing("PASSWORD_CLAIM_SECRET_BLOCK");
    const signature = responses.get("PASSWORD_CLAIM_SIGNATURE");
    if (signature === undefined) throw missing("PASSWORD_CLAIM_SIGNATURE");
    const timestamp = responses.get("TIMESTAMP");
    if (timestamp === undefined) throw missing("TIMESTAMP");
    checkSecretHash(client, username, responses.get("SECRET_HASH"));
    const block = Buffer.from(blockText, "base64");
    const state = unseal(sessionKey(deps), "srp", block);
    if (!state || state.p !== pool.id || state.c !== client.id || state.u !== username)
      throw new AwsError("NotAuthorizedException", INCORRECT);
    if (typeof state.e !== "number" || state.e <= now)
      throw new AwsError("NotAuthorizedException", "Invalid session for the user, session is expired.");
    const when = parseSrpTimestamp(timestamp);
    if (!when || Math.abs(when.getTime() - now) > 5 * 60_000)
      throw new AwsError(
        "NotAuthorizedException",
        "Invalid timestamp: TIMESTAMP must be the current time as ddd MMM d HH:mm:ss UTC yyyy",
      );
    if (!deps.spentChallenges.spend(block, state.e, now))
      throw new AwsError(
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
      );
    const user = state.d === true ? undefined : deps.repo.getUser(pool.id, username);
    refuseIfLocked(deps, user);
    const expected = Buffer.from(
      claimSignature(
        Buffer.from(String(state.k), "base64"),
        srpPoolName(pool.id),
        username,
        block,
        timestamp,
      ),
      "utf8",
    );
    const actual = Buffer.from(signature, "utf8");
    const ok = expected.length === actual.length && timingSafeEqual(expected, actual);
    if (!user || !ok) wrongPassword(deps, user);
    return passwordProven(deps, pool, client, user);
  }
  if (name === "NEW_PASSWORD_REQUIRED") {
    const sessionText = str(body, "Session");
    if (sessionText === undefined) throw missing("Session");
    const username = responses.get("USERNAME");
    if (username === undefined) throw missing("USERNAME");
    const password = responses.get("NEW_PASSWORD");
    if (password === undefined) throw missing("NEW_PASSWORD");
    checkSecretHash(client, username, responses.get("SECRET_HASH"));
    const state = unseal(sessionKey(deps), "new-password", Buffer.from(sessionText, "base64"));
    if (!state || state.p !== pool.id || state.c !== client.id || state.u !== username)
      throw new AwsError("NotAuthorizedException", "Invalid session for the user.");
    if (typeof state.e !== "number" || state.e <= now)
      throw new AwsError("NotAuthorizedException", "Invalid session for the user, session is expired.");
    const user = deps.repo.getUser(pool.id, username);
    if (user?.status !== "FORCE_CHANGE_PASSWORD")
      throw new AwsError("NotAuthorizedException", "Invalid session for the user.");
    checkPasswordPolicy(pool, password);
    deps.repo.setPassword(
      pool.id,
      username,
      { ...(await storedPassword(pool.id, username, password)), status: "CONFIRMED" },
      now,
    );
    // The temporary password is spent: the admin endpoint stops showing it.
    deps.repo.deleteCode(pool.id, username, "temporary-password");
    return {
      ChallengeParameters: {},
      AuthenticationResult: await issueTokens(
        { repo: deps.repo, keys: deps.keys, now: deps.clock() },
        pool,
        client,
        deps.repo.getUser(pool.id, username)!,
      ),
    };
  }
  throw new AwsError("InvalidParameterException", `Challenge ${name} is not supported by fedsim`);
}

export function checkPasswordPolicy(pool: PoolRow, password: string): void {
  const why = passwordPolicyViolation(password, pool.settings.passwordPolicy);
  if (why) throw new AwsError("InvalidPasswordException", `Password did not conform with policy: ${why}`);
}
