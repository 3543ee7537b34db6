import { describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";

const POOL = "us-east-1:11111111-2222-3333-4444-555555555555";
const IDENTITY = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const OTHER = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-ffffffffffff";

function storeWithPool(): Store {
  const store = Store.open(":memory:");
  store.accounts.upsert("111122223333", null, 1);
  store.identityPools.create({
    id: POOL,
    accountId: "111122223333",
    region: "us-east-1",
    name: "pool",
    allowUnauthenticated: false,
    allowClassicFlow: false,
    supportedLoginProviders: {},
    developerProviderName: "login.app",
    openIdConnectProviderArns: [],
    cognitoIdentityProviders: [],
    samlProviderArns: [],
    roles: {},
    roleMappings: {},
    tags: {},
    fromConfig: false,
    createdAt: 1,
  });
  return store;
}

const login = (identityId: string, subject: string) => ({
  poolId: POOL,
  provider: "login.app",
  subject,
  identityId,
  linkedAt: 2,
});

describe("cached reads of Cognito identities and their logins", () => {
  it("see every write at once: link, unlink, disable, merge, delete", () => {
    const store = storeWithPool();
    const repo = store.cognitoIdentities;
    repo.create(IDENTITY, POOL, 1);
    repo.create(OTHER, POOL, 1);
    expect(repo.logins(IDENTITY)).toEqual([]);
    expect(repo.linked(POOL, "login.app", "alice")).toBeUndefined();
    repo.link(login(IDENTITY, "alice"));
    expect(repo.logins(IDENTITY).map((l) => l.subject)).toEqual(["alice"]);
    expect(repo.linked(POOL, "login.app", "alice")?.identityId).toBe(IDENTITY);
    repo.setDisabled(IDENTITY, true, 3);
    expect(repo.get(IDENTITY)?.disabled).toBe(true);
    repo.moveLogins(IDENTITY, OTHER);
    expect(repo.logins(IDENTITY)).toEqual([]);
    expect(repo.linked(POOL, "login.app", "alice")?.identityId).toBe(OTHER);
    repo.unlink(POOL, "login.app", "alice");
    expect(repo.logins(OTHER)).toEqual([]);
    repo.delete(OTHER);
    expect(repo.get(OTHER)).toBeUndefined();
    store.close();
  });

  it("forget the identities a deleted pool took with it", () => {
    const store = storeWithPool();
    store.cognitoIdentities.create(IDENTITY, POOL, 1);
    store.cognitoIdentities.link(login(IDENTITY, "alice"));
    expect(store.cognitoIdentities.get(IDENTITY)?.poolId).toBe(POOL);
    expect(store.cognitoIdentities.logins(IDENTITY)).toHaveLength(1);
    store.identityPools.delete(POOL);
    expect(store.cognitoIdentities.get(IDENTITY)).toBeUndefined();
    expect(store.cognitoIdentities.logins(IDENTITY)).toEqual([]);
    store.close();
  });

  it("forget an identity created in a transaction that rolled back", () => {
    const store = storeWithPool();
    expect(() =>
      store.transaction(() => {
        store.cognitoIdentities.create(IDENTITY, POOL, 1);
        expect(store.cognitoIdentities.get(IDENTITY)).toBeDefined();
        throw new Error("abort");
      }),
    ).toThrow("abort");
    expect(store.cognitoIdentities.get(IDENTITY)).toBeUndefined();
    store.close();
  });

  it("hand each caller its own list of logins, which it may add to", () => {
    const store = storeWithPool();
    store.cognitoIdentities.create(IDENTITY, POOL, 1);
    store.cognitoIdentities.link(login(IDENTITY, "alice"));
    const first = store.cognitoIdentities.logins(IDENTITY);
    first.push(login(IDENTITY, "bob"));
    expect(store.cognitoIdentities.logins(IDENTITY).map((l) => l.subject)).toEqual(["alice"]);
    store.close();
  });
});
