import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import { callerContextKeys, principalTags } from "../../src/authz/contextKeys.js";
import type { RoleRow } from "../../src/store/roles.js";
import type { SessionRow } from "../../src/store/sessions.js";

describe("aws:PrincipalTag values of a role session", () => {
  it("lets a session tag replace the role's tag of the same key, whatever its case", () => {
    const caller = {
      kind: "assumed-role",
      role: {
        tags: [
          { key: "Team", value: "from-role" },
          { key: "cost", value: "42" },
        ],
      } as RoleRow,
      session: { tags: [{ key: "team", value: "from-session" }] } as SessionRow,
    } as Caller;
    expect(Object.fromEntries(principalTags(caller))).toEqual({ team: "from-session", cost: "42" });
  });

  it("keeps a tag named like an Object.prototype member, so a policy on it applies", () => {
    const caller = {
      kind: "assumed-role",
      accountId: "123456789012",
      arn: "arn:aws:sts::123456789012:assumed-role/R/s",
      userId: "AROAEXAMPLE:s",
      accessKeyId: "ASIAEXAMPLE",
      role: {
        tags: [
          { key: "__proto__", value: "x" },
          { key: "constructor", value: "y" },
        ],
      } as RoleRow,
      session: {
        tags: [],
        issuedAt: 0,
        roleArn: "arn:aws:iam::123456789012:role/R",
      } as unknown as SessionRow,
    } as Caller;
    const keys = callerContextKeys(caller, {
      requestId: "r",
      door: "aws-api",
      now: new Date(0),
      region: "us-east-1",
      sourceIp: "127.0.0.1",
      secureTransport: false,
    });
    expect(keys["aws:PrincipalTag/__proto__"]).toBe("x");
    expect(keys["aws:PrincipalTag/constructor"]).toBe("y");
  });
});
