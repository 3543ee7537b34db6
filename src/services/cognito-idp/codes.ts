import { createHash, createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { AwsError } from "../../errors.js";
import type { CodeRow, PoolRow, PoolUserRow } from "../../store/userPools.js";
import type { UserPoolDeps } from "./common.js";

export type SentCodePurpose = Exclude<CodeRow["purpose"], "temporary-password">;

/** How long a code lives: sign-up and attribute codes a day, password-reset codes an hour (Cognito's). */
export const CODE_LIFETIME_MS: ReadonlyMap<SentCodePurpose, number> = new Map([
  ["signup", 24 * 3_600_000],
  ["attribute:email", 24 * 3_600_000],
  ["attribute:phone_number", 24 * 3_600_000],
  ["forgot-password", 3_600_000],
]);

/**
 * The purpose a verification code for this attribute is kept under: one per attribute, so the code sent to a
 * phone the user owns never verifies an email they do not (nor the reverse).
 */
export function attributeCodePurpose(name: "email" | "phone_number"): SentCodePurpose {
  return `attribute:${name}`;
}

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: "EMAIL" | "SMS";
  AttributeName: "email" | "phone_number";
}

const LIMIT_EXCEEDED = "Attempt limit exceeded, please try after some time.";
const MISMATCH = "Invalid verification code provided, please try again.";
const EXPIRED = "Invalid code provided, please request a code again.";
// fedsim's limits (Cognito publishes none per user): wrong codes before a code is spent, codes sent an hour.
const WRONG_CODES = 5;
const SENDS_PER_HOUR = 5;

export function limitExceeded(): AwsError {
  return new AwsError("LimitExceededException", LIMIT_EXCEEDED);
}
export function codeMismatch(): AwsError {
  return new AwsError("CodeMismatchException", MISMATCH);
}
export function expiredCode(): AwsError {
  return new AwsError("ExpiredCodeException", EXPIRED);
}

/** "alice@petstore.example" -> "a***@p***", "+12065550100" -> "+*******0100": as Cognito shows where a code went. */
export function maskDestination(attribute: "email" | "phone_number", value: string): string {
  if (attribute === "email") {
    const at = value.lastIndexOf("@");
    const local = at === -1 ? value : value.slice(0, at);
    const domain = at === -1 ? "" : value.slice(at + 1);
    return `${[...local][0] ?? ""}***@${[...domain][0] ?? ""}***`;
  }
  const digits = value.replace(/^\+/, "");
  return `+${"*".repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

/**
 * Where a code for this user goes. `verifiedOnly` (password reset) takes only a verified email or phone, as
 * ForgotPassword does; otherwise (sign-up, attribute change) the pool's auto-verified attributes the user has.
 */
export function destinationOf(
  pool: PoolRow,
  attributes: Record<string, string>,
  verifiedOnly: boolean,
): CodeDeliveryDetails | undefined {
  const auto = pool.settings.autoVerifiedAttributes ?? [];
  for (const [name, medium] of [
    ["email", "EMAIL"],
    ["phone_number", "SMS"],
  ] as const) {
    const value = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
    if (value === undefined || value === "") continue;
    const ok = verifiedOnly ? attributes[`${name}_verified`] === "true" : auto.includes(name);
    if (ok) return { Destination: maskDestination(name, value), DeliveryMedium: medium, AttributeName: name };
  }
  return undefined;
}

/**
 * What Cognito answers for a user who does not exist under PreventUserExistenceErrors ENABLED: a delivery to a
 * made-up destination of the same shape as a real one, the same for the same name every time.
 */
export function simulatedDestination(
  deps: UserPoolDeps,
  pool: PoolRow,
  username: string,
): CodeDeliveryDetails {
  const seed = createHmac("sha256", deps.store.secrets.secret("cognito-idp-decoys"))
    .update(`destination\0${pool.id}\0${username}`)
    .digest();
  const auto = pool.settings.autoVerifiedAttributes ?? [];
  const phone = /^\+\d{5,}$/.test(username)
    ? username
    : !username.includes("@") && auto.includes("phone_number") && !auto.includes("email")
      ? `+1206555${String(seed.readUInt16BE(2) % 10_000).padStart(4, "0")}`
      : undefined;
  if (phone !== undefined)
    return {
      Destination: maskDestination("phone_number", phone),
      DeliveryMedium: "SMS",
      AttributeName: "phone_number",
    };
  // A name that is an address shows as itself; any other gets a made-up domain letter, as a real user's would.
  const letter = (i: number) => String.fromCharCode(97 + (seed[i]! % 26));
  const email = username.includes("@") ? username : `${username}@${letter(1)}`;
  return { Destination: maskDestination("email", email), DeliveryMedium: "EMAIL", AttributeName: "email" };
}

/**
 * Per-user counters of codes sent and wrong codes tried, kept in memory (a restart forgets them; codes
 * themselves are in the database). Bounded: the oldest entries go first past 10,000 users.
 */
export class CodeAttempts {
  private readonly sends = new Map<string, number[]>();
  private readonly wrong = new Map<string, number>();

  // Hashed: names of users who do not exist are counted too (ENABLED), and must not hold memory by length.
  private static key(poolId: string, username: string, purpose: string): string {
    return createHash("sha256").update(`${poolId}\0${username}\0${purpose}`, "utf8").digest("base64");
  }

  /** Throws LimitExceededException when this user was sent SENDS_PER_HOUR codes of this kind in the last hour. */
  send(poolId: string, username: string, purpose: string, now: number): void {
    const key = CodeAttempts.key(poolId, username, purpose);
    const recent = (this.sends.get(key) ?? []).filter((t) => now - t < 3_600_000);
    if (recent.length >= SENDS_PER_HOUR) throw limitExceeded();
    recent.push(now);
    this.sends.delete(key);
    this.sends.set(key, recent);
    this.wrong.delete(key);
    trim(this.sends);
  }

  /** Counts a wrong code; true once the code has been tried wrongly too often and is spent. */
  wrongCode(poolId: string, username: string, purpose: string): boolean {
    const key = CodeAttempts.key(poolId, username, purpose);
    const n = (this.wrong.get(key) ?? 0) + 1;
    this.wrong.delete(key);
    this.wrong.set(key, n);
    trim(this.wrong);
    return n >= WRONG_CODES;
  }

  clear(poolId: string, username: string, purpose: string): void {
    this.wrong.delete(CodeAttempts.key(poolId, username, purpose));
  }
}

function trim(map: Map<string, unknown>): void {
  while (map.size > 10_000) map.delete(map.keys().next().value as string);
}

/**
 * Makes a 6-digit code for the user, keeps it (replacing any earlier one of the same purpose), and logs
 * where to read it, since fedsim mails nothing: GET /_fedsim/cognito-idp/POOL_ID/codes?username=NAME.
 */
export function issueCode(
  deps: UserPoolDeps,
  pool: PoolRow,
  username: string,
  purpose: SentCodePurpose,
  delivery: CodeDeliveryDetails | undefined,
): void {
  const now = deps.clock().getTime();
  deps.attempts.send(pool.id, username, purpose, now);
  deps.repo.putCode({
    poolId: pool.id,
    username,
    purpose,
    code: String(randomInt(0, 1_000_000)).padStart(6, "0"),
    expiresAt: now + CODE_LIFETIME_MS.get(purpose)!,
    createdAt: now,
  });
  const to = delivery ? ` for ${delivery.Destination} (${delivery.AttributeName})` : "";
  deps.log(
    `cognito-idp ${pool.id}: ${purpose} code for ${username}${to} (GET /_fedsim/cognito-idp/${pool.id}/codes?username=${encodeURIComponent(username)})`,
  );
}

/**
 * The answer to a code sent for a user who does not exist (or is disabled) under ENABLED: wrong, and after 5
 * tries spent (LimitExceededException), counted as a real user's are, so the limit tells nobody who exists.
 */
export function madeUpCodeWrong(
  deps: UserPoolDeps,
  poolId: string,
  username: string,
  purpose: string,
): AwsError {
  return deps.attempts.wrongCode(poolId, username, purpose) ? limitExceeded() : codeMismatch();
}

/**
 * Checks a code the user sent: none asked for or past its time -> ExpiredCodeException, wrong ->
 * CodeMismatchException (after 5 wrong tries the code is spent: LimitExceededException). A right code is
 * spent at once, so it cannot be used twice.
 */
export function spendCode(
  deps: UserPoolDeps,
  user: PoolUserRow,
  purpose: SentCodePurpose,
  sent: string,
): void {
  const row = deps.repo.getCode(user.poolId, user.username, purpose);
  if (!row || row.expiresAt <= deps.clock().getTime()) throw expiredCode();
  const a = Buffer.from(row.code, "utf8");
  const b = Buffer.from(sent, "utf8");
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    if (deps.attempts.wrongCode(user.poolId, user.username, purpose)) {
      deps.repo.deleteCode(user.poolId, user.username, purpose);
      throw limitExceeded();
    }
    throw codeMismatch();
  }
  deps.repo.deleteCode(user.poolId, user.username, purpose);
  deps.attempts.clear(user.poolId, user.username, purpose);
}
