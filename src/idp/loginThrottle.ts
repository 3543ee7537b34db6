import {
  afterFailure,
  isForgotten,
  LOGIN_LOCKOUT_RULES,
  type LockoutRules,
  type LockoutState,
  lockoutRemaining,
  retryAfterSeconds,
} from "../core/loginLockout.js";

/** Enough for a workshop room many times over; a flood of made-up usernames cannot grow memory past it. */
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * The built-in IdP's memory of wrong passwords, per (username, source address), in memory only: a restart
 * forgets it, which for a local testing tool is the right trade. Unknown usernames count like known ones,
 * so that being locked out says nothing about who exists. Switched off, it never locks (a workshop room
 * shares one address and one demo password, and a typo by one should not lock out the others).
 */
export class LoginThrottle {
  private readonly entries = new Map<string, LockoutState>();
  private readonly enabled: boolean;
  private readonly clock: () => Date;
  private readonly rules: LockoutRules;
  private readonly maxEntries: number;

  constructor(options: {
    enabled: boolean;
    clock: () => Date;
    rules?: LockoutRules;
    maxEntries?: number;
  }) {
    this.enabled = options.enabled;
    this.clock = options.clock;
    this.rules = options.rules ?? LOGIN_LOCKOUT_RULES;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Seconds the caller must wait before trying this username from this address again; 0 to go ahead. */
  retryAfter(username: string, address: string): number {
    if (!this.enabled) return 0;
    const remaining = lockoutRemaining(this.entries.get(key(username, address)), this.now());
    return remaining === 0 ? 0 : retryAfterSeconds(remaining);
  }

  failed(username: string, address: string): void {
    if (!this.enabled) return;
    const k = key(username, address);
    const now = this.now();
    const next = afterFailure(this.entries.get(k), now, this.rules);
    // Re-inserted, so the Map's order is least recently failed first: eviction drops the stalest.
    this.entries.delete(k);
    this.entries.set(k, next);
    this.evict(now);
  }

  succeeded(username: string, address: string): void {
    this.entries.delete(key(username, address));
  }

  /** How many (username, address) pairs are remembered; for tests of the bound. */
  get size(): number {
    return this.entries.size;
  }

  private evict(now: number): void {
    if (this.entries.size <= this.maxEntries) return;
    // Forgotten states first (the oldest are at the front), then the least recently failed.
    for (const [k, state] of this.entries) {
      if (this.entries.size <= this.maxEntries || !isForgotten(state, now, this.rules)) break;
      this.entries.delete(k);
    }
    for (const k of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(k);
    }
  }

  private now(): number {
    return this.clock().getTime();
  }
}

function key(username: string, address: string): string {
  // JSON, so that no username can be crafted to collide with another pair.
  return JSON.stringify([username, address]);
}
