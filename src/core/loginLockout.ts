/**
 * Lockout after repeated wrong passwords, as pure state transitions: the caller keeps one state per
 * (username, source address), passes the time in, and refuses a try while `lockoutRemaining` is above 0.
 *
 * `maxFailures` wrong passwords within `windowMs` lock for `firstLockMs`; each further lockout before the
 * state is forgotten lasts twice the one before, up to `maxLockMs`. A success forgets the state (the caller
 * deletes it), and so does quiet: nothing within `windowMs` of the last failure or lockout.
 */
export interface LockoutRules {
  maxFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

/** Five wrong passwords in 15 minutes lock for 1 s, then 2 s, 4 s, ... up to 15 minutes. */
export const LOGIN_LOCKOUT_RULES: LockoutRules = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  firstLockMs: 1_000,
  maxLockMs: 15 * 60_000,
};

export interface LockoutState {
  /** Times (epoch ms) of the latest wrong passwords, oldest first; never more than maxFailures. */
  readonly failures: readonly number[];
  /** Lockouts so far: the next lasts firstLockMs * 2^lockouts (capped). */
  readonly lockouts: number;
  /** Epoch ms until which tries are refused; 0 when never locked. */
  readonly lockedUntil: number;
}

// Past this the doubling has long reached any sane maxLockMs; it keeps 2 ** n finite.
const MAX_DOUBLINGS = 40;

/** How long (ms) a try at `now` must still wait; 0 when it may go ahead. */
export function lockoutRemaining(state: LockoutState | undefined, now: number): number {
  return state === undefined ? 0 : Math.max(0, state.lockedUntil - now);
}

/** Whole seconds for a Retry-After header: rounded up, so that a client waiting that long is let in. */
export function retryAfterSeconds(remainingMs: number): number {
  return Math.max(1, Math.ceil(remainingMs / 1000));
}

/** Whether nothing in the state still counts at `now`, so that it can be dropped. */
export function isForgotten(
  state: LockoutState,
  now: number,
  rules: LockoutRules = LOGIN_LOCKOUT_RULES,
): boolean {
  const last = Math.max(state.lockedUntil, state.failures.at(-1) ?? 0);
  return now - last >= rules.windowMs;
}

/**
 * The state after a wrong password at `now`. The try that reaches maxFailures is itself answered as a
 * wrong password; the lockout applies from the next one.
 */
export function afterFailure(
  state: LockoutState | undefined,
  now: number,
  rules: LockoutRules = LOGIN_LOCKOUT_RULES,
): LockoutState {
  const live = state === undefined || isForgotten(state, now, rules) ? undefined : state;
  const failures = [...(live?.failures ?? []).filter((t) => now - t < rules.windowMs), now].slice(
    -rules.maxFailures,
  );
  const lockouts = live?.lockouts ?? 0;
  if (failures.length < rules.maxFailures) {
    return { failures, lockouts, lockedUntil: live?.lockedUntil ?? 0 };
  }
  const lockMs = Math.min(rules.firstLockMs * 2 ** Math.min(lockouts, MAX_DOUBLINGS), rules.maxLockMs);
  return { failures, lockouts: lockouts + 1, lockedUntil: now + lockMs };
}
