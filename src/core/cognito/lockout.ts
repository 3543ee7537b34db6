/**
 * Cognito's lockout after wrong passwords, as pure arithmetic on a user's failure count: from the fifth
 * consecutive failure each further one locks the user for 2^(n-5) seconds, doubling up to about 15
 * minutes; a success, or 15 quiet minutes after the last failure, starts the count again.
 */
export const FREE_FAILURES = 5;
export const MAX_LOCK_MS = 15 * 60_000;
export const FORGET_AFTER_MS = 15 * 60_000;

export interface FailureState {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** The state a new try at `now` starts from: the count forgotten after 15 quiet minutes. */
export function current(state: FailureState, now: number): FailureState {
  if (state.failures > 0 && now - Math.max(state.lastFailureAt, state.lockedUntil) >= FORGET_AFTER_MS)
    return { failures: 0, lastFailureAt: 0, lockedUntil: 0 };
  return state;
}

export function isLocked(state: FailureState, now: number): boolean {
  return current(state, now).lockedUntil > now;
}

/** The state after one more wrong password at `now`. */
export function afterWrongPassword(state: FailureState, now: number): FailureState {
  const failures = current(state, now).failures + 1;
  const lockMs =
    failures >= FREE_FAILURES ? Math.min(2 ** Math.min(failures - FREE_FAILURES, 30) * 1000, MAX_LOCK_MS) : 0;
  return { failures, lastFailureAt: now, lockedUntil: lockMs === 0 ? 0 : now + lockMs };
}
