import { describe, expect, it } from "vitest";
import { sourceAddress } from "../../src/auth/requestContext.js";
import { LoginThrottle } from "../../src/idp/loginThrottle.js";
import { TestClock } from "../helpers/fedsim.js";

function throttle(options: { enabled?: boolean; maxEntries?: number } = {}) {
  const clock = new TestClock();
  return {
    clock,
    throttle: new LoginThrottle({
      enabled: options.enabled ?? true,
      clock: clock.now,
      maxEntries: options.maxEntries,
    }),
  };
}

describe("the built-in IdP's login throttle", () => {
  it("locks a username from one address after five wrong passwords, and a success forgets them", () => {
    const { throttle: t, clock } = throttle();
    for (let i = 0; i < 5; i++) {
      expect(t.retryAfter("alice", "192.0.2.1")).toBe(0);
      t.failed("alice", "192.0.2.1");
    }
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(1);
    clock.advance(1_000);
    t.succeeded("alice", "192.0.2.1");
    for (let i = 0; i < 4; i++) t.failed("alice", "192.0.2.1");
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(0);
  });

  it("keeps the lockout to that pair: another address, or another username, may still try", () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed("alice", "192.0.2.1");
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(1);
    expect(t.retryAfter("alice", "192.0.2.2")).toBe(0);
    expect(t.retryAfter("bob", "192.0.2.1")).toBe(0);
  });

  it("counts an IPv4 client of a dual-stack socket (::ffff:192.0.2.1) as 192.0.2.1", () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 5; i++) t.failed("alice", sourceAddress(i % 2 ? "::ffff:192.0.2.1" : "192.0.2.1"));
    expect(t.retryAfter("alice", sourceAddress("192.0.2.1"))).toBe(1);
    expect(t.retryAfter("alice", sourceAddress("::FFFF:192.0.2.1"))).toBe(1);
  });

  it("never locks when switched off", () => {
    const { throttle: t } = throttle({ enabled: false });
    for (let i = 0; i < 50; i++) t.failed("alice", "192.0.2.1");
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(0);
    expect(t.size).toBe(0);
  });

  it("keeps no more than its cap of pairs, dropping the stalest first", () => {
    const { throttle: t, clock } = throttle({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) t.failed("alice", "192.0.2.1");
    clock.advance(10);
    for (const user of ["u1", "u2", "u3"]) t.failed(user, "192.0.2.9");
    expect(t.size).toBe(3);
    // alice's lockout was the stalest entry and went first.
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(0);
  });

  it("drops forgotten pairs before ones that still count", () => {
    const { throttle: t, clock } = throttle({ maxEntries: 2 });
    t.failed("old", "192.0.2.1");
    clock.advance(15 * 60_000);
    for (let i = 0; i < 5; i++) t.failed("alice", "192.0.2.1");
    t.failed("new", "192.0.2.1");
    expect(t.size).toBe(2);
    expect(t.retryAfter("alice", "192.0.2.1")).toBe(1);
  });
});

describe("sourceAddress", () => {
  it("strips the IPv4-mapped prefix and leaves other addresses alone", () => {
    expect(sourceAddress("::ffff:10.0.0.7")).toBe("10.0.0.7");
    expect(sourceAddress("10.0.0.7")).toBe("10.0.0.7");
    expect(sourceAddress("::1")).toBe("::1");
    expect(sourceAddress("2001:db8::ffff:1")).toBe("2001:db8::ffff:1");
    expect(sourceAddress("::ffff:abcd")).toBe("::ffff:abcd");
  });
});
