import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile, parseConfigText } from "../../src/config/load.js";
import { seedStore } from "../../src/config/seed.js";
import { Store } from "../../src/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "fedsim-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINIMAL = `
accounts:
  - id: "111122223333"
    users:
      - name: carol
        accessKeys: [{ id: AKIAAAAAAAAAAAAAAAAA, secret: "0123456789012345678901234567890123456789" }]
    roles:
      - name: Reader
        assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "111122223333" }, Action: sts:AssumeRole }] }
        inlinePolicies:
          read: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:Get*", Resource: "*" }] }
`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config files", () => {
  it("loads the pet-store demo", () => {
    const { config } = loadConfigFile("data/petstore.yaml");
    expect(config.accounts[0]!.id).toBe("123456789012");
    expect(config.accounts[0]!.roles.map((r) => r.name)).toEqual([
      "PetStoreAdmin",
      "PetStoreCustomer",
      "PetStoreGuest",
    ]);
    expect(config.identityProvider.people.map((p) => p.username)).toEqual(["alice", "bob"]);
    expect(config.settings).toEqual({
      enforcePolicies: true,
      rejectReplayedAssertions: false,
      loginLockout: true,
      decisionLog: { enabled: true, maxRecords: 10_000, maxAgeSeconds: 86_400 },
    });
  });

  it("names the path of a bad field and what was expected", () => {
    const message = errorOf(() =>
      parseConfigText(
        MINIMAL.replace('id: "111122223333"', 'id: "1234"').replace(
          "name: Reader",
          "name: Reader\n        maxSessionDuration: 60",
        ),
        "x.yaml",
      ),
    );
    expect(message).toContain("x.yaml: invalid config");
    expect(message).toContain("accounts[0].id: a 12-digit AWS account id");
    expect(message).toMatch(/accounts\[0\]\.roles\[0\]\.maxSessionDuration: .*3600/);
  });

  it("rejects unknown fields rather than ignoring a typo", () => {
    expect(
      errorOf(() => parseConfigText(MINIMAL.replace("    users:", "    usres: []\n    users:"))),
    ).toMatch(/accounts\[0\]: Unrecognized key: "usres"/);
  });

  it("names a person's role that does not exist, and a missing IdP provider", () => {
    const text = readFileSync("data/petstore.yaml", "utf8").replace(
      "roles: [PetStoreCustomer]",
      "roles: [PetStoreCustomr]",
    );
    expect(errorOf(() => parseConfigText(text))).toContain(
      "identityProvider.people[1].roles[0]: no role named PetStoreCustomr in accounts[0].roles",
    );
    const noProvider = readFileSync("data/petstore.yaml", "utf8").replace(
      "samlProviderName: fedsim-idp",
      "samlProviderName: other-idp",
    );
    expect(errorOf(() => parseConfigText(noProvider))).toContain(
      "identityProvider.samlProviderName: no SAML provider named other-idp",
    );
  });

  it("rejects text that is neither YAML nor JSON", () => {
    expect(errorOf(() => parseConfigText("accounts: [", "bad.yaml"))).toMatch(
      /^bad\.yaml: not valid YAML or JSON/,
    );
  });

  it("rejects a duplicated key instead of silently keeping one", () => {
    expect(errorOf(() => parseConfigText("region: us-east-1\nregion: eu-west-1\naccounts: []"))).toMatch(
      /not valid YAML or JSON/,
    );
  });

  it("names a policy document that is not JSON", () => {
    const config = parseConfigText(MINIMAL.replace(/read: \{.*\}/, 'read: "{not json"'));
    const store = Store.open(":memory:");
    expect(errorOf(() => seedStore(store, { file: "c.yaml", config }, { now: 1 }))).toMatch(
      /c\.yaml: accounts\[0\]\.roles\[0\]\.inlinePolicies\.read: invalid policy document/,
    );
    store.close();
  });

  it("seeds idempotently: a second run with the same file writes nothing and keeps ids", () => {
    const config = parseConfigText(MINIMAL);
    const store = Store.open(":memory:");
    expect(seedStore(store, { file: "c.yaml", config }, { now: 1 })).toBeGreaterThan(0);
    const before = store.users.findByName("111122223333", "carol");
    expect(seedStore(store, { file: "c.yaml", config }, { now: 2 })).toBe(0);
    expect(store.users.findByName("111122223333", "carol")).toEqual(before);
    store.close();
  });

  it("applies a changed document on restart without touching the role's id", () => {
    const store = Store.open(":memory:");
    seedStore(store, { file: "c.yaml", config: parseConfigText(MINIMAL) }, { now: 1 });
    const id = store.roles.findByName("111122223333", "Reader")!.id;
    const changed = parseConfigText(MINIMAL.replace('"s3:Get*"', '"s3:List*"'));
    expect(seedStore(store, { file: "c.yaml", config: changed }, { now: 2 })).toBe(1);
    expect(store.roles.findByName("111122223333", "Reader")!.id).toBe(id);
    expect(store.policies.getInline("role", id, "read")!.document).toContain("s3:List*");
    store.close();
  });

  it("refuses to attach a managed policy that does not exist, naming the field", () => {
    const config = parseConfigText(`
accounts:
  - id: "111122223333"
    roles:
      - name: R
        assumeRolePolicy: { Version: "2012-10-17", Statement: [] }
        attachedPolicies: [arn:aws:iam::111122223333:policy/Nope]
`);
    const store = Store.open(":memory:");
    expect(errorOf(() => seedStore(store, { file: "c.yaml", config }, { now: 1 }))).toContain(
      "accounts[0].roles[0].attachedPolicies[0]: no managed policy arn:aws:iam::111122223333:policy/Nope",
    );
    store.close();
  });
});

describe("fedsim config validate", () => {
  const cli = (file: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/index.ts", "config", "validate", file], {
      encoding: "utf8",
    });

  it("accepts the pet-store demo", () => {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "src/cli/index.ts", "config", "validate", "data/petstore.yaml"],
      {
        encoding: "utf8",
      },
    );
    expect(out).toMatch(/data\/petstore\.yaml: valid \(123456789012: 2 users, 3 roles, 3 policies\)/);
  });

  it("exits 1 and names the bad field", () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, MINIMAL.replace("name: carol", "name: 42"));
    const result = cli(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      "accounts[0].users[0].name: Invalid input: expected string, received number",
    );
  });
});
