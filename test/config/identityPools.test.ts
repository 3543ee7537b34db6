import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "../../src/config/load.js";
import { seedStore } from "../../src/config/seed.js";
import { derivedPoolId } from "../../src/core/cognito/poolId.js";
import { Store } from "../../src/store/store.js";

const config = (pools: string, roles = "") => `
accounts:
  - id: "111122223333"
    roles:
      - name: AppUser
        assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: sts:AssumeRoleWithWebIdentity }] }
${roles}
    identityPools:
${pools}
`;

function seeded(text: string) {
  const store = Store.open(":memory:");
  seedStore(store, { file: "test.yaml", config: parseConfigText(text) }, { now: 1_000 });
  return store;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("identity pools in the config", () => {
  it("seeds a pool under the id derived from region, account and name, the same on every start", () => {
    const text = config("      - { name: App, roles: { authenticated: AppUser } }");
    const id = derivedPoolId("us-east-1", "111122223333", "App");
    const first = seeded(text);
    const second = seeded(text);
    expect(first.identityPools.get(id)).toMatchObject({
      name: "App",
      accountId: "111122223333",
      roles: { authenticated: "arn:aws:iam::111122223333:role/AppUser" },
      fromConfig: true,
    });
    expect(second.identityPools.get(id)?.name).toBe("App");
  });

  it("keeps a fixed id, and refuses one outside AWS's pattern or the config's region", () => {
    const store = seeded(config("      - { name: App, id: 'us-east-1:0123-abcd' }"));
    expect(store.identityPools.get("us-east-1:0123-abcd")?.name).toBe("App");
    expect(errorOf(() => parseConfigText(config("      - { name: App, id: 'us-east-1:XYZ' }")))).toContain(
      "accounts[0].identityPools[0].id: an identity pool id REGION:UUID",
    );
    expect(errorOf(() => parseConfigText(config("      - { name: App, id: 'eu-west-1:0123' }")))).toContain(
      "accounts[0].identityPools[0].id: an identity pool id starts with its region, here us-east-1:",
    );
  });

  it("refuses two pools of one name that would share a derived id", () => {
    expect(errorOf(() => parseConfigText(config("      - { name: App }\n      - { name: App }")))).toContain(
      "accounts[0].identityPools[1].name: duplicate identity pool id",
    );
  });

  it("names a role, SAML provider or OIDC provider that the account does not define", () => {
    expect(
      errorOf(() => seeded(config("      - { name: App, roles: { unauthenticated: Nobody } }"))),
    ).toContain("accounts[0].identityPools[0].roles.unauthenticated: no role named Nobody");
    expect(errorOf(() => seeded(config("      - { name: App, samlProviders: [corp] }")))).toContain(
      "accounts[0].identityPools[0].samlProviders[0]: no SAML provider named corp",
    );
    expect(
      errorOf(() => seeded(config("      - { name: App, openIdConnectProviders: [login.example.com] }"))),
    ).toContain(
      "accounts[0].identityPools[0].openIdConnectProviders[0]: no OpenID Connect provider login.example.com",
    );
  });

  it("refuses a Rules mapping without rules", () => {
    const pool = "      - { name: App, roleMappings: { x: { type: Rules, ambiguousRoleResolution: Deny } } }";
    expect(errorOf(() => parseConfigText(config(pool)))).toContain("type Rules needs rules");
  });

  it("updates a configured pool when the file changes, keeping its identities", () => {
    const store = seeded(config("      - { name: App, allowUnauthenticatedIdentities: false }"));
    const id = derivedPoolId("us-east-1", "111122223333", "App");
    store.cognitoIdentities.create("us-east-1:0000-1111", id, 5);
    seedStore(
      store,
      {
        file: "test.yaml",
        config: parseConfigText(config("      - { name: App, allowUnauthenticatedIdentities: true }")),
      },
      { now: 2_000 },
    );
    expect(store.identityPools.get(id)).toMatchObject({ allowUnauthenticated: true, createdAt: 1_000 });
    expect(store.cognitoIdentities.get("us-east-1:0000-1111")?.poolId).toBe(id);
  });
});
