import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "../../src/config/load.js";
import { validateConfigFile } from "../../src/config/validate.js";

const dir = mkdtempSync(join(tmpdir(), "fedsim-validate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRUST = `{ Version: "2012-10-17", Statement: [{ Effect: Allow, Principal: { AWS: "111122223333" }, Action: sts:AssumeRole }] }`;
const KEY_A = `{ id: AKIAAAAAAAAAAAAAAAAA, secret: "0123456789012345678901234567890123456789" }`;
const KEY_B = `{ id: AKIABBBBBBBBBBBBBBBB, secret: "0123456789012345678901234567890123456789" }`;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

function fileWith(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("config duplicates are refused, not merged at seeding", () => {
  it("refuses two users whose names differ only in case", () => {
    const message = errorOf(() =>
      parseConfigText(`
accounts:
  - id: "111122223333"
    users: [{ name: carol }, { name: Carol }]
`),
    );
    expect(message).toContain(
      "accounts[0].users[1].name: duplicate user name Carol: already defined at accounts[0].users[0].name (IAM names are not distinguished by case)",
    );
  });

  it("refuses two roles with the same name ignoring case", () => {
    expect(
      errorOf(() =>
        parseConfigText(`
accounts:
  - id: "111122223333"
    roles:
      - { name: Reader, assumeRolePolicy: ${TRUST} }
      - { name: READER, assumeRolePolicy: ${TRUST} }
`),
      ),
    ).toContain(
      "accounts[0].roles[1].name: duplicate role name READER: already defined at accounts[0].roles[0].name",
    );
  });

  it("refuses two managed policies with the same name, even on different paths", () => {
    expect(
      errorOf(() =>
        parseConfigText(`
accounts:
  - id: "111122223333"
    policies:
      - { name: Read, document: { Version: "2012-10-17", Statement: [] } }
      - { name: read, path: /team/, document: { Version: "2012-10-17", Statement: [] } }
`),
      ),
    ).toContain(
      "accounts[0].policies[1].name: duplicate managed policy name read: already defined at accounts[0].policies[0].name",
    );
  });

  it("refuses an account id given twice", () => {
    expect(
      errorOf(() => parseConfigText(`accounts: [{ id: "111122223333" }, { id: "111122223333" }]`)),
    ).toContain("accounts[1].id: duplicate account id 111122223333: already defined at accounts[0].id");
  });

  it("refuses an access key id used twice, across users, accounts and root keys", () => {
    const message = errorOf(() =>
      parseConfigText(`
accounts:
  - id: "111122223333"
    rootAccessKeys: [${KEY_A}]
    users: [{ name: carol, accessKeys: [${KEY_B}] }]
  - id: "444455556666"
    users: [{ name: dave, accessKeys: [${KEY_A}, ${KEY_B}] }]
`),
    );
    expect(message).toContain(
      "accounts[1].users[0].accessKeys[0].id: duplicate access key id AKIAAAAAAAAAAAAAAAAA: already defined at accounts[0].rootAccessKeys[0].id",
    );
    expect(message).toContain(
      "accounts[1].users[0].accessKeys[1].id: duplicate access key id AKIABBBBBBBBBBBBBBBB: already defined at accounts[0].users[0].accessKeys[0].id",
    );
  });

  it("refuses two people with the same username", () => {
    const text = readFileSync("data/petstore.yaml", "utf8").replace(
      "\n    - username: bob",
      "\n    - username: alice",
    );
    expect(errorOf(() => parseConfigText(text))).toContain(
      "identityProvider.people[1].username: duplicate person alice: already defined at identityProvider.people[0].username",
    );
  });

  it("allows the same user and role names in different accounts", () => {
    const config = parseConfigText(`
accounts:
  - id: "111122223333"
    users: [{ name: carol }]
  - id: "444455556666"
    users: [{ name: carol }]
`);
    expect(config.accounts).toHaveLength(2);
  });

  it("refuses a role description with characters IAM does not allow", () => {
    expect(
      errorOf(() =>
        parseConfigText(`
accounts:
  - id: "111122223333"
    roles:
      - { name: Reader, description: "bad \\u0001 char", assumeRolePolicy: ${TRUST} }
`),
      ),
    ).toContain("accounts[0].roles[0].description: printable Latin-1 characters, tabs and line breaks");
  });
});

describe("validateConfigFile checks everything start-up checks", () => {
  it("accepts the pet-store demo and returns it, with no warnings", async () => {
    const validated = await validateConfigFile("data/petstore.yaml");
    expect(validated.config.accounts[0]!.id).toBe("123456789012");
    expect(validated.warnings).toEqual([]);
  });

  it("names a module integration whose file is not there, as start-up would find it (relative to the config)", async () => {
    const api = (file: string) => `
accounts:
  - id: "111122223333"
apis:
  - id: orders
    stages: [prod]
    backend: { type: module, file: ${file} }
    routes: [{ method: GET, path: /orders, authorization: NONE }]
`;
    writeFileSync(
      join(dir, "orders.mjs"),
      "export const handler = async () => ({ statusCode: 200, body: '' });\n",
    );
    await expect(
      validateConfigFile(fileWith("module-present.yaml", api("./orders.mjs"))),
    ).resolves.toMatchObject({
      warnings: [],
    });
    const message = await rejectionOf(
      validateConfigFile(fileWith("module-absent.yaml", api("./handlers/nope.mjs"))),
    );
    expect(message).toContain(
      `\n  - apis[0].backend.file: no file at ${join(dir, "handlers", "nope.mjs")} (a module integration's path is relative to the config file)`,
    );
    // A folder is no module either.
    const folder = await rejectionOf(validateConfigFile(fileWith("module-folder.yaml", api("."))));
    expect(folder).toContain(`apis[0].backend.file: no file at ${dir} `);
  });

  it("lists every invalid policy document and dangling attachment, each with its path", async () => {
    const file = fileWith(
      "bad-policies.yaml",
      `
accounts:
  - id: "111122223333"
    policies:
      - { name: Broken, document: { Version: "2012-10-17", Statement: [{ Effect: Maybe, Action: "*", Resource: "*" }] } }
    roles:
      - name: Reader
        assumeRolePolicy: "{not json"
        attachedPolicies: [arn:aws:iam::111122223333:policy/Nope]
`,
    );
    const message = await rejectionOf(validateConfigFile(file));
    expect(message).toMatch(/^\S+bad-policies\.yaml: invalid config\n/);
    expect(message).toMatch(/\n {2}- accounts\[0\]\.policies\[0\]\.document: invalid policy document: /);
    expect(message).toMatch(/\n {2}- accounts\[0\]\.roles\[0\]\.assumeRolePolicy: invalid policy document: /);
    expect(message).toContain(
      "\n  - accounts[0].roles[0].attachedPolicies[0]: no managed policy arn:aws:iam::111122223333:policy/Nope (define it under the account's policies)",
    );
  });

  it("returns warnings, and lists them after the errors of an invalid config", async () => {
    const typo = `{ Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "iam:ListRolse", Resource: "*" }] }`;
    const valid = fileWith(
      "warned.yaml",
      `accounts: [{ id: "111122223333", policies: [{ name: P, document: ${typo} }] }]`,
    );
    const warning = {
      path: "accounts[0].policies[0].document.Statement[0].Action",
      message: "no AWS service defines the action iam:ListRolse (did you mean iam:ListRoles?)",
    };
    expect((await validateConfigFile(valid)).warnings).toEqual([warning]);
    const invalid = fileWith(
      "warned-invalid.yaml",
      `accounts: [{ id: "111122223333", policies: [{ name: P, document: ${typo} }], roles: [{ name: R, assumeRolePolicy: "{not json" }] }]`,
    );
    expect(await rejectionOf(validateConfigFile(invalid))).toMatch(
      /\n {2}- accounts\[0\]\.roles\[0\]\.assumeRolePolicy: invalid policy document: [^\n]+\nwarning: accounts\[0\]\.policies\[0\]\.document\.Statement\[0\]\.Action: no AWS service defines the action iam:ListRolse \(did you mean iam:ListRoles\?\)$/,
    );
  });

  it("reports schema problems first, with their paths", async () => {
    const file = fileWith("bad-schema.yaml", `accounts: [{ id: "1234" }]`);
    expect(await rejectionOf(validateConfigFile(file))).toContain(
      "accounts[0].id: a 12-digit AWS account id",
    );
  });

  it("names a metadata file it cannot read", async () => {
    const file = fileWith(
      "bad-metadata.yaml",
      `accounts: [{ id: "111122223333", samlProviders: [{ name: idp, metadataFile: missing.xml }] }]`,
    );
    expect(await rejectionOf(validateConfigFile(file))).toMatch(
      /accounts\[0\]\.samlProviders\[0\]\.metadataFile: cannot read \S+missing\.xml/,
    );
  });
});

describe("managed policies across accounts in a config", () => {
  it("refuses an attachment or a boundary naming another account's policy, with the field's path", async () => {
    const file = fileWith(
      "cross-account.yaml",
      `accounts:
  - id: "111122223333"
    policies:
      - name: Shared
        document: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: "*" }] }
  - id: "444455556666"
    users:
      - name: borrower
        attachedPolicies: [arn:aws:iam::111122223333:policy/Shared]
        permissionsBoundary: arn:aws:iam::111122223333:policy/Shared
`,
    );
    const message = await rejectionOf(validateConfigFile(file));
    expect(message).toContain(
      "accounts[1].users[0].attachedPolicies[0]: arn:aws:iam::111122223333:policy/Shared belongs to another account: a managed policy can be attached only in its own account (444455556666) or be AWS-managed",
    );
    expect(message).toContain(
      "accounts[1].users[0].permissionsBoundary: arn:aws:iam::111122223333:policy/Shared belongs to another account",
    );
  });
});

describe("${fedsim:oidc} expansion", () => {
  it("refuses a condition block where the reference and its literal expansion would collapse into one key", async () => {
    const { expandFedsimReferences } = await import("../../src/config/fedsimReferences.js");
    const config = {
      accounts: [
        {
          roles: [
            {
              assumeRolePolicy: {
                Condition: { StringEquals: { "${fedsim:oidc}:aud": "a", "127.0.0.1:4566/oidc:aud": "b" } },
              },
            },
          ],
        },
      ],
    };
    expect(() => expandFedsimReferences(config as never, "http://127.0.0.1:4566/oidc", "x.yaml")).toThrow(
      /x\.yaml: .*names the same key as another entry once \$\{fedsim:oidc\} is expanded \(127\.0\.0\.1:4566\/oidc:aud\)/,
    );
  });
});
