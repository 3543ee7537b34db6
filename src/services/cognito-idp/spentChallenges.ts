import { createHash } from "node:crypto";

/**
 * SRP SECRET_BLOCKs already answered, so a PASSWORD_VERIFIER answer is good once: an overheard answer
 * (block, TIMESTAMP, signature) replayed within the block's lifetime would otherwise sign in again. Kept in
 * memory until the block would have expired anyway; every block lives as long, so the oldest go first and
 * pruning stops at the first still alive. A restart forgets them (a replay must then also beat the 3-minute
 * lifetime); two processes on one database do not share them.
 */
export class SpentChallenges {
  private readonly spent = new Map<string, number>();

  /** Marks the block answered; false when it already was. */
  spend(block: Buffer, expiresAt: number, now: number): boolean {
    for (const [key, until] of this.spent) {
      if (until > now) break;
      this.spent.delete(key);
    }
    const key = createHash("sha256").update(block).digest("base64");
    if (this.spent.has(key)) return false;
    this.spent.set(key, expiresAt);
    return true;
  }
}
