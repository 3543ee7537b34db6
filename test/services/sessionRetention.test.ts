import { describe, expect, it } from "vitest";
import { purgeExpiredSessions, SESSION_RETENTION_MS } from "../../src/services/sessions/sessionRetention.js";
import { Store } from "../../src/store/store.js";

describe("session retention", () => {
  it("keeps a session for a day after it expires, then drops it", () => {
    const store = Store.open(":memory:");
    const base = {
      secretAccessKey: "s",
      accountId: "1",
      kind: "user-session" as const,
      principalArn: "a",
      userId: "u",
      sourceId: null,
      roleArn: null,
      sessionName: null,
      sessionPolicies: [],
      tags: [],
      transitiveTagKeys: [],
      sourceIdentity: null,
      chained: false,
      issuedAt: 0,
    };
    const now = 10 * SESSION_RETENTION_MS;
    store.sessions.create({
      ...base,
      accessKeyId: "ASIARECENTLYEXPIRED",
      sessionToken: "t1",
      expiresAt: now - 23 * 3600_000,
    });
    store.sessions.create({
      ...base,
      accessKeyId: "ASIALONGEXPIRED0000",
      sessionToken: "t2",
      expiresAt: now - 25 * 3600_000,
    });
    store.sessions.create({
      ...base,
      accessKeyId: "ASIASTILLVALID00000",
      sessionToken: "t3",
      expiresAt: now + 1,
    });
    expect(purgeExpiredSessions(store, now)).toBe(1);
    expect(store.sessions.get("ASIALONGEXPIRED0000")).toBeUndefined();
    expect(store.sessions.get("ASIARECENTLYEXPIRED")).toBeDefined();
    expect(store.sessions.get("ASIASTILLVALID00000")).toBeDefined();
    store.close();
  });
});
