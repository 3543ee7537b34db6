import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import { principalTags } from "../../src/authz/contextKeys.js";
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
    expect(principalTags(caller)).toEqual({ team: "from-session", cost: "42" });
  });
});
