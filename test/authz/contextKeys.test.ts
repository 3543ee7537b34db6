import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import type { RequestContext } from "../../src/auth/requestContext.js";
import {
  callerContextKeys,
  callerContextMap,
  requestContextKeys,
  requestContextMap,
} from "../../src/authz/contextKeys.js";
import { buildContext } from "../../src/core/policy/context.js";
import type { RoleRow } from "../../src/store/roles.js";
import type { SessionRow } from "../../src/store/sessions.js";
import type { UserRow } from "../../src/store/users.js";

const ACCOUNT = "123456789012";

function ctx(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: "r-1",
    door: "gateway",
    now: new Date("2026-12-01T12:00:00.250Z"),
    region: "us-east-1",
    sourceIp: "192.0.2.10",
    secureTransport: false,
    userAgent: "aws-sdk-js/3",
    ...overrides,
  };
}

function role(tags: { key: string; value: string }[]): RoleRow {
  return Object.freeze({
    id: "AROAEXAMPLE",
    accountId: ACCOUNT,
    name: "PetStoreCustomer",
    path: "/",
    description: null,
    assumeRolePolicy: "{}",
    maxSessionDuration: 3600,
    permissionsBoundaryArn: null,
    tags,
    createdAt: 0,
  });
}

function session(extra: Partial<SessionRow> = {}): SessionRow {
  return Object.freeze({
    accessKeyId: "ASIAEXAMPLE",
    secretAccessKey: "secret",
    sessionToken: "token",
    accountId: ACCOUNT,
    kind: "assumed-role",
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/PetStoreCustomer/bob`,
    userId: "AROAEXAMPLE:bob",
    sourceId: "AROAEXAMPLE",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/PetStoreCustomer`,
    sessionName: "bob",
    sessionPolicies: [],
    tags: [{ key: "team", value: "from-session" }],
    transitiveTagKeys: [],
    sourceIdentity: "bob@example.com",
    chained: false,
    issuedAt: Date.parse("2026-12-01T11:00:00.999Z"),
    expiresAt: Date.parse("2026-12-01T13:00:00Z"),
    ...extra,
  });
}

function roleCaller(s: SessionRow, r: RoleRow | undefined): Caller {
  return {
    kind: "assumed-role",
    accountId: ACCOUNT,
    arn: s.principalArn,
    userId: s.userId,
    accessKeyId: s.accessKeyId,
    session: s,
    role: r,
  };
}

const user: UserRow = Object.freeze({
  id: "AIDAEXAMPLE",
  accountId: ACCOUNT,
  name: "alice",
  path: "/",
  permissionsBoundaryArn: null,
  tags: [{ key: "Dept", value: "pets" }],
  createdAt: 0,
});

const callers: [string, Caller][] = [
  [
    "a role session with session and role tags",
    roleCaller(
      session(),
      role([
        { key: "Team", value: "from-role" },
        { key: "cost", value: "42" },
      ]),
    ),
  ],
  [
    "a web-identity session with provider keys (one claiming to be aws:*, one multi-valued)",
    roleCaller(
      session({
        accessKeyId: "ASIAFEDERATED",
        federationKeys: {
          "cognito-identity.amazonaws.com:sub": ["us-east-1:abc"],
          "cognito-identity.amazonaws.com:amr": ["authenticated", "graph.facebook.com"],
          "AWS:SourceIp": ["10.0.0.1"],
        },
      }),
      role([]),
    ),
  ],
  [
    "an IAM user with long-term keys",
    {
      kind: "user",
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      userId: user.id,
      accessKeyId: "AKIAEXAMPLE",
      user,
    },
  ],
  [
    "the account root",
    {
      kind: "root",
      accountId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      userId: ACCOUNT,
      accessKeyId: "AKIAROOT",
    },
  ],
];

describe("the condition keys evaluation reads, as the gateway builds them", () => {
  for (const [name, caller] of callers)
    it(`are buildContext(callerContextKeys(...)) entry for entry, in order, for ${name}`, () => {
      const expected = [...buildContext(callerContextKeys(caller, ctx())).entries()];
      expect([...callerContextMap(caller, ctx()).entries()]).toEqual(expected);
      // A second request by the same caller, from elsewhere and a second later, reads its own request's keys.
      const later = ctx({
        now: new Date("2026-12-01T12:00:01.000Z"),
        sourceIp: "198.51.100.7",
        secureTransport: true,
        userAgent: undefined,
      });
      expect([...callerContextMap(caller, later).entries()]).toEqual([
        ...buildContext(callerContextKeys(caller, later)).entries(),
      ]);
    });

  it("reads a role's changed tags on the next request (a changed role is a new row)", () => {
    const s = session({ accessKeyId: "ASIACHANGED", tags: [] });
    const before = callerContextMap(roleCaller(s, role([{ key: "tier", value: "gold" }])), ctx());
    expect(before.get("aws:principaltag/tier")).toEqual(["gold"]);
    const after = callerContextMap(roleCaller(s, role([{ key: "tier", value: "silver" }])), ctx());
    expect(after.get("aws:principaltag/tier")).toEqual(["silver"]);
    // The role deleted (or recreated as another role): its tags no longer apply to the old session.
    expect(callerContextMap(roleCaller(s, undefined), ctx()).has("aws:principaltag/tier")).toBe(false);
  });

  it("reads an unsigned request's keys as buildContext(requestContextKeys(...)) does", () => {
    for (const c of [ctx(), ctx({ userAgent: undefined, secureTransport: true })])
      expect([...requestContextMap(c).entries()]).toEqual([...buildContext(requestContextKeys(c)).entries()]);
  });

  it("writes aws:CurrentTime without milliseconds and aws:EpochTime in whole seconds", () => {
    const keys = requestContextMap(ctx({ now: new Date("2026-12-01T12:00:00.999Z") }));
    expect(keys.get("aws:currenttime")).toEqual(["2026-12-01T12:00:00Z"]);
    expect(keys.get("aws:epochtime")).toEqual([String(Date.parse("2026-12-01T12:00:00Z") / 1000)]);
  });
});
