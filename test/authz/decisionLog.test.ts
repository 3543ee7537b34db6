import { describe, expect, it } from "vitest";
import { decide } from "../../src/authz/decide.js";
import { DecisionLog } from "../../src/authz/decisionLog.js";
import { recordEvaluation } from "../../src/authz/recordDecision.js";
import { Store } from "../../src/store/store.js";

const decision = (over: Record<string, unknown> = {}) => ({
  time: new Date(0),
  requestId: "r",
  door: "aws-api" as const,
  service: "sts",
  principal: "arn:aws:sts::123456789012:assumed-role/R/bob",
  action: "sts:GetCallerIdentity",
  resource: "*",
  decision: "implicit-deny" as const,
  reason: "denied",
  statements: [],
  ...over,
});

describe("the decision log's records stay small whatever a client sends", () => {
  it("clips long values (a 15 KB User-Agent read by a condition) in the context, trace and reason", () => {
    const store = Store.open(":memory:");
    const log = new DecisionLog(
      store.decisions,
      { enabled: true, maxRecords: 10, maxAgeSeconds: 60 },
      () => new Date(0),
    );
    const ua = "u".repeat(15_000);
    log.record(
      decision({
        reason: `denied because ${ua}`,
        resource: `arn:aws:s3:::${ua}`,
        details: () => ({
          context: { "aws:UserAgent": ua, "aws:TagKeys": Array.from({ length: 500 }, () => ua) },
          trace: [
            {
              policy: "session-policy-1",
              type: "Session Policy",
              statements: [
                {
                  index: 0,
                  effect: "Allow",
                  outcome: "condition",
                  failedCondition: {
                    operator: "StringLike",
                    key: "aws:UserAgent",
                    values: [ua],
                    actual: [ua],
                  },
                },
              ],
            },
          ],
        }),
      }),
    );
    const [stored] = log.query({ limit: 1 });
    expect(JSON.stringify(stored).length).toBeLessThan(24 * 1024);
    expect(stored!.context["aws:UserAgent"]).toBe(`${"u".repeat(256)}… (15000 characters)`);
    expect(stored!.reason.endsWith("characters)")).toBe(true);
    store.close();
  });

  it("numbers records as SQLite assigns them, so two logs on one database never collide", () => {
    const store = Store.open(":memory:");
    const settings = { enabled: true, maxRecords: 100, maxAgeSeconds: 60 };
    const a = new DecisionLog(store.decisions, settings, () => new Date(0));
    const b = new DecisionLog(store.decisions, settings, () => new Date(0));
    a.record(decision({ requestId: "a" }));
    b.record(decision({ requestId: "b" }));
    a.flush();
    b.flush();
    expect(a.query({ limit: 10 }).map((d) => [d.id, d.requestId])).toEqual([
      ["2", "b"],
      ["1", "a"],
    ]);
    store.close();
  });

  it("keeps a batch it could not write for the next flush instead of throwing from a timer", () => {
    const store = Store.open(":memory:");
    const log = new DecisionLog(
      store.decisions,
      { enabled: true, maxRecords: 10, maxAgeSeconds: 60 },
      () => new Date(0),
    );
    log.record(decision({ requestId: "kept" }));
    store.db.exec("ALTER TABLE decisions RENAME TO decisions_away");
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(() => log.flush()).not.toThrow();
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
    store.db.exec("ALTER TABLE decisions_away RENAME TO decisions");
    expect(log.query({ limit: 10 }).map((d) => d.requestId)).toEqual(["kept"]);
    store.close();
  });
});

describe("the decision log's context keys are the policies' own words", () => {
  it("keeps a condition key named __proto__ (a session policy can name one) as a key, from evaluation to record", () => {
    const store = Store.open(":memory:");
    const log = new DecisionLog(
      store.decisions,
      { enabled: true, maxRecords: 10, maxAgeSeconds: 60 },
      () => new Date(0),
    );
    const denied = decide({
      principal: { kind: "user", arn: "arn:aws:iam::123456789012:user/bob", accountId: "123456789012" },
      action: "s3:GetObject",
      resource: "arn:aws:s3:::b/k",
      context: {},
      identity: [
        {
          id: "P",
          type: "IAM Policy",
          // Written as JSON: an object literal's __proto__ would set the prototype instead.
          document:
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"__proto__":"x"}}}]}',
        },
      ],
    });
    expect(denied.decision).toBe("implicitDeny");
    recordEvaluation(
      log,
      {
        requestId: "r",
        door: "aws-api",
        now: new Date(0),
      } as unknown as Parameters<typeof recordEvaluation>[1],
      { service: "s3", principal: "bob", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
      denied,
      "denied",
    );
    const [stored] = log.query({ limit: 1 });
    expect(Object.hasOwn(stored!.context, "__proto__")).toBe(true);
    expect(stored!.context.__proto__).toBeNull();
    store.close();
  });
});
