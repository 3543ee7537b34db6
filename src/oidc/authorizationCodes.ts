import { randomBytes } from "node:crypto";

/** What a code stands for: who signed in, for which client and redirect, and the PKCE challenge to meet. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  username: string;
  /** Seconds since 1970, for auth_time. */
  authTime: number;
}

/** RFC 6749 §4.1.2 recommends at most 10 minutes; a code is redeemed within a second of the redirect. */
const CODE_LIFETIME_MS = 60_000;
const MAX_CODES = 10_000;

/**
 * Authorization codes in memory (a restart forgets them, which costs a person one more sign-in). Each is
 * 256 random bits, redeemable once: taking it deletes it, whether or not the token request then succeeds,
 * so a code stolen from a redirect is worth nothing once its owner has tried it. Bounded, oldest first out.
 */
export class AuthorizationCodes {
  private readonly codes = new Map<string, CodeGrant & { expiresAt: number }>();

  constructor(private readonly clock: () => Date) {}

  issue(grant: CodeGrant): string {
    const now = this.clock().getTime();
    for (const [code, entry] of this.codes) {
      if (this.codes.size < MAX_CODES && entry.expiresAt > now) break;
      this.codes.delete(code);
    }
    const code = randomBytes(32).toString("base64url");
    this.codes.set(code, { ...grant, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** The grant, once: undefined when the code is unknown, used or expired. */
  take(code: string): CodeGrant | undefined {
    const entry = this.codes.get(code);
    if (!entry) return undefined;
    this.codes.delete(code);
    if (entry.expiresAt <= this.clock().getTime()) return undefined;
    const { expiresAt: _, ...grant } = entry;
    return grant;
  }
}
