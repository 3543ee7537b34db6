import { describe, expect, it } from "vitest";
import { expandFedsimReferences } from "../../src/config/fedsimReferences.js";
import { ConfigError, parseConfigText } from "../../src/config/load.js";

const ISSUER = "http://127.0.0.1:45123/oidc";

const config = (extra = "") =>
  parseConfigText(`
accounts:
  - id: "123456789012"
    oidcProviders:
      - url: \${fedsim:oidc}
        clientIds: [petstore-web]
    roles:
      - name: Web
        assumeRolePolicy:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/\${fedsim:oidc}" }
              Action: sts:AssumeRoleWithWebIdentity
              Condition: { StringEquals: { "\${fedsim:oidc}:aud": petstore-web } }
      - name: AsText
        assumeRolePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/\${fedsim:oidc}"},"Action":"sts:AssumeRoleWithWebIdentity"}]}'
${extra}`);

describe("${fedsim:oidc} in a config", () => {
  it("becomes the issuer URL in a provider url, and its name without scheme in ARNs and condition keys", () => {
    const expanded = expandFedsimReferences(config(), ISSUER);
    const [account] = expanded.accounts;
    expect(account!.oidcProviders[0]!.url).toBe(ISSUER);
    expect(account!.roles[0]!.assumeRolePolicy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:45123/oidc" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { "127.0.0.1:45123/oidc:aud": "petstore-web" } },
        },
      ],
    });
    expect(account!.roles[1]!.assumeRolePolicy).toContain(
      '"Federated":"arn:aws:iam::123456789012:oidc-provider/127.0.0.1:45123/oidc"',
    );
  });

  it("leaves the loaded config as it was, so one file serves fedsims on different ports", () => {
    const loaded = config();
    expandFedsimReferences(loaded, ISSUER);
    expect(loaded.accounts[0]!.oidcProviders[0]!.url).toBe("${fedsim:oidc}");
  });

  it("refuses any other ${fedsim:...} reference with the path where it is", () => {
    const loaded = config();
    loaded.accounts[0]!.roles[0]!.description = "see ${fedsim:cognito}";
    expect(() => expandFedsimReferences(loaded, ISSUER, "demo.yaml")).toThrow(
      new ConfigError(
        "demo.yaml: accounts[0].roles[0].description: unknown reference ${fedsim:cognito}; fedsim defines only ${fedsim:oidc}",
      ),
    );
  });
});

describe("the OpenID parts of the config schema", () => {
  const error = (text: string) => {
    try {
      parseConfigText(text);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("takes loopback http provider URLs with a port, and refuses other http URLs with the path", () => {
    expect(
      parseConfigText(
        `accounts: [{ id: "123456789012", oidcProviders: [{ url: "http://localhost:8080/realms/demo" }] }]`,
      ).accounts[0]!.oidcProviders[0]!.url,
    ).toBe("http://localhost:8080/realms/demo");
    expect(
      error(`accounts: [{ id: "123456789012", oidcProviders: [{ url: "http://idp.example.com" }] }]`),
    ).toBe(
      "config: invalid config\n  - accounts[0].oidcProviders[0].url: The URL must begin with https:// and must not contain a query string or fragment. (or write ${fedsim:oidc})",
    );
  });

  it("refuses a person's claims named like those the issuer sets", () => {
    expect(
      error(`
accounts: [{ id: "123456789012" }]
identityProvider: { people: [{ username: alice, password: p, claims: { sub: admin } }] }`),
    ).toContain(
      "identityProvider.people[0].claims.sub: sub is set by the issuer itself and cannot be configured",
    );
  });

  it("refuses duplicate client ids and redirect URIs with a fragment", () => {
    const message = error(`
accounts: [{ id: "123456789012" }]
oidc:
  clients:
    - { clientId: web, redirectUris: ["http://127.0.0.1:8000/cb#x"] }
    - { clientId: web }`);
    expect(message).toContain("oidc.clients[0].redirectUris[0]: an absolute http(s) URL without a fragment");
    expect(message).toContain(
      "oidc.clients[1].clientId: duplicate OpenID client id web: already defined at oidc.clients[0].clientId",
    );
  });
});
