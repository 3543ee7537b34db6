import { describe, expect, it } from "vitest";
import {
  afterFailure,
  isForgotten,
  LOGIN_LOCKOUT_RULES,
  type LockoutState,
  lockoutRemaining,
  retryAfterSeconds,
} from "../../src/core/loginLockout.js";

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const MINUTE = 60_000;

/** The state after `n` wrong passwords, each `every` ms after the one before, starting at `from`. */
function failures(n: number, from = T0, every = 0, start?: LockoutState): LockoutState | undefined {
  let state = start;
  for (let i = 0; i < n; i++) state = afterFailure(state, from + i * every);
  return state;
}

describe("login lockout", () => {
  it("lets four wrong passwords through and locks for one second from the fifth", () => {
    expect(lockoutRemaining(failures(4), T0)).toBe(0);
    const locked = failures(5)!;
    expect(lockoutRemaining(locked, T0)).toBe(1_000);
    expect(retryAfterSeconds(lockoutRemaining(locked, T0))).toBe(1);
    expect(lockoutRemaining(locked, T0 + 1_000)).toBe(0);
  });

  it("doubles each lockout while the failures keep coming: 1 s, 2 s, 4 s, 8 s", () => {
    let state = failures(5)!;
    let at = T0;
    for (const expected of [1_000, 2_000, 4_000, 8_000]) {
      expect(lockoutRemaining(state, at)).toBe(expected);
      at += expected;
      expect(lockoutRemaining(state, at)).toBe(0);
      state = afterFailure(state, at);
    }
    expect(lockoutRemaining(state, at)).toBe(16_000);
  });

  it("never locks for longer than 15 minutes, however long the guessing goes on", () => {
    // Each time the door opens, guess until it shuts again.
    let state = failures(5)!;
    const locks: number[] = [];
    for (let i = 0; i < 40; i++) {
      const at = state.lockedUntil;
      while (lockoutRemaining(state, at) === 0) state = afterFailure(state, at);
      locks.push(lockoutRemaining(state, at));
    }
    expect(locks.slice(0, 4)).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(Math.max(...locks)).toBe(LOGIN_LOCKOUT_RULES.maxLockMs);
    expect(locks.at(-1)).toBe(LOGIN_LOCKOUT_RULES.maxLockMs);
    expect(retryAfterSeconds(locks.at(-1)!)).toBe(900);
  });

  it("counts only failures within 15 minutes of each other", () => {
    // Five failures four minutes apart: the first has left the window when the fifth comes.
    expect(lockoutRemaining(failures(5, T0, 4 * MINUTE), T0 + 16 * MINUTE)).toBe(0);
    // Five within three and a half minutes lock.
    const locked = failures(5, T0, 50_000)!;
    expect(lockoutRemaining(locked, T0 + 200_000)).toBe(1_000);
  });

  it("forgets everything after 15 quiet minutes, so the next lockout starts again at one second", () => {
    let state = failures(5)!;
    state = afterFailure(state, state.lockedUntil); // 2 s lockout
    expect(isForgotten(state, state.lockedUntil + 15 * MINUTE - 1)).toBe(false);
    expect(isForgotten(state, state.lockedUntil + 15 * MINUTE)).toBe(true);
    const later = state.lockedUntil + 15 * MINUTE;
    const again = failures(5, later, 0, state)!;
    expect(again.lockouts).toBe(1);
    expect(lockoutRemaining(again, later)).toBe(1_000);
  });

  it("keeps at most five failure times, however many come", () => {
    expect(failures(5)!.failures).toHaveLength(5);
    const state = failures(200, T0, 0)!;
    expect(state.failures).toHaveLength(LOGIN_LOCKOUT_RULES.maxFailures);
  });

  it("rounds Retry-After up to whole seconds and never answers 0", () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
    expect(retryAfterSeconds(2_000)).toBe(2);
  });
});
