import type { Db } from "./database.js";

/** Replay records for SAML assertion ids (used only when rejectReplayedAssertions is on). */
export class SamlAssertionRepository {
  private readonly insert;
  private readonly purge;

  constructor(db: Db) {
    this.insert = db.prepare(
      "INSERT OR IGNORE INTO saml_assertions (assertion_id, issuer, expires_at) VALUES (?, ?, ?)",
    );
    this.purge = db.prepare("DELETE FROM saml_assertions WHERE expires_at < ?");
  }

  /**
   * Records the id; false when it was already recorded (a replay). Atomic: one INSERT decides. `keepUntil`
   * must be the last instant the verifier could still accept the assertion (NotOnOrAfter plus the clock
   * skew, or the redemption cut-off if later): a record purged earlier would let the assertion in again.
   */
  remember(issuer: string, assertionId: string, keepUntil: number, now: number): boolean {
    this.purge.run(now);
    return this.insert.run(assertionId, issuer, keepUntil).changes === 1;
  }
}
