import { describe, expect, it } from "vitest";
import { authenticate, EXECUTE_API_RULES } from "../../src/auth/authenticate.js";
import { signRequest } from "../../src/core/sigv4/signRequest.js";
import type { RoleRow } from "../../src/store/roles.js";
import type { SessionRow } from "../../src/store/sessions.js";
import type { Store } from "../../src/store/store.js";

const ACCOUNT = "123456789012";
const NOW = new Date("2026-12-01T12:00:00Z");

const session: SessionRow = Object.freeze({
  accessKeyId: "ASIAEXAMPLEKEY",
  secretAccessKey: "session-secret",
  sessionToken: "session-token",
  accountId: ACCOUNT,
  kind: "assumed-role",
  principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/bob`,
  userId: "AROAREADER:bob",
  sourceId: "AROAREADER",
  roleArn: `arn:aws:iam::${ACCOUNT}:role/Reader`,
  sessionName: "bob",
  sessionPolicies: [],
  tags: [],
  transitiveTagKeys: [],
  sourceIdentity: null,
  chained: false,
  issuedAt: NOW.getTime() - 60_000,
  expiresAt: NOW.getTime() + 3_600_000,
});

function role(name: string, tags: { key: string; value: string }[]): RoleRow {
  return Object.freeze({
    id: "AROAREADER",
    accountId: ACCOUNT,
    name,
    path: "/",
    description: null,
    assumeRolePolicy: "{}",
    maxSessionDuration: 3600,
    permissionsBoundaryArn: null,
    tags,
    createdAt: 0,
  });
}

/** A store holding the one session, and whatever role row the test puts behind it (as IAM writes would). */
function storeWith(current: { role: RoleRow | undefined }): Store {
  return {
    sessions: { get: (id: string) => (id === session.accessKeyId ? session : undefined) },
    roles: { get: (id: string) => (id === "AROAREADER" ? current.role : undefined) },
  } as unknown as Store;
}

function signed(token = session.sessionToken) {
  const headers = signRequest(
    { method: "GET", path: "/prod/pets", query: "", headers: { host: "api.example" }, body: "" },
    { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: token },
    { region: "us-east-1", service: "execute-api", now: NOW },
  );
  return {
    request: {
      method: "GET",
      path: "/prod/pets",
      query: "",
      rawHeaders: Object.entries(headers).flat(),
    },
    body: new Uint8Array(),
    now: NOW,
    expectedService: "execute-api",
    rules: EXECUTE_API_RULES,
  };
}

describe("the caller behind a session's signed requests", () => {
  it("is the role's current row on every request: changed tags, a deleted role, another role by the same name", () => {
    const current: { role: RoleRow | undefined } = { role: role("Reader", [{ key: "tier", value: "gold" }]) };
    const store = storeWith(current);
    expect(authenticate(store, signed()).role?.tags).toEqual([{ key: "tier", value: "gold" }]);
    // The same caller again while nothing changed.
    expect(authenticate(store, signed())).toBe(authenticate(store, signed()));

    current.role = role("Reader", [{ key: "tier", value: "silver" }]);
    expect(authenticate(store, signed()).role?.tags).toEqual([{ key: "tier", value: "silver" }]);

    current.role = undefined;
    const orphan = authenticate(store, signed());
    expect(orphan.role).toBeUndefined();
    expect(orphan.arn).toBe(session.principalArn);

    // A row whose name no longer gives the session's ARN is another role: the session keeps its ARN, not it.
    current.role = role("Writer", []);
    expect(authenticate(store, signed()).role).toBeUndefined();
  });

  it("refuses a wrong session token however often the right one was accepted before", () => {
    const store = storeWith({ role: role("Reader", []) });
    expect(authenticate(store, signed()).arn).toBe(session.principalArn);
    for (const token of ["session-tokeN", "session-token-", "sessión-token"])
      expect(() => authenticate(store, signed(token))).toThrow(
        expect.objectContaining({
          code: "InvalidClientTokenId",
          message: "The security token included in the request is invalid.",
        }),
      );
  });
});
