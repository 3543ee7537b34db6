import type { Store } from "../../store/store.js";

/**
 * Expired sessions are kept a day, so that their keys still answer ExpiredToken (not InvalidClientTokenId)
 * to a client that comes back late, then dropped, so that a long-running fedsim does not grow without bound.
 */
export const SESSION_RETENTION_MS = 24 * 3600_000;

export function purgeExpiredSessions(store: Store, now: number): number {
  return store.sessions.deleteExpired(now - SESSION_RETENTION_MS);
}
