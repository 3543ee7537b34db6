import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "../../src/config/load.js";
import { type ApiDefinition, compileApi } from "../../src/gateway/apis.js";

const base = (apis: string) => `
region: us-east-1
accounts:
  - id: "111122223333"
  - id: "444455556666"
apis:
${apis}
`;

function errorOf(text: string): string {
  try {
    parseConfigText(text, "test.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("the apis section of the config", () => {
  it("reads an API with defaults: AWS_IAM routes, a 29 s timeout, the first account", () => {
    const config = parseConfigText(
      base(`  - id: petstore
    stages: [prod]
    backend: { type: http, url: "http://127.0.0.1:9000/base" }
    routes:
      - { method: GET, path: /pets }
      - { method: ANY, path: "/{proxy+}", authorization: NONE }`),
    );
    expect(config.apis[0]).toEqual({
      id: "petstore",
      stages: ["prod"],
      backend: { type: "http", url: "http://127.0.0.1:9000/base", timeoutMs: 29_000 },
      routes: [
        { method: "GET", path: "/pets", authorization: "AWS_IAM" },
        { method: "ANY", path: "/{proxy+}", authorization: "NONE" },
      ],
      forwardWebIdentityToken: false,
    });
    const api = compileApi(config.apis[0] as ApiDefinition, config.region, config.accounts[0]!.id);
    expect(api.accountId).toBe("111122223333");
    expect(api.stages.get("prod")).toBe("arn:aws:execute-api:us-east-1:111122223333:petstore/prod/");
  });

  it("expands the execute-api:/ shorthand of a resource policy when compiling", () => {
    const config = parseConfigText(
      base(`  - id: petstore
    account: "444455556666"
    stages: [prod]
    backend: { type: http, url: "http://127.0.0.1:9000" }
    routes: [{ method: GET, path: /pets }]
    resourcePolicy:
      Version: "2012-10-17"
      Statement: [{ Effect: Allow, Principal: "*", Action: execute-api:Invoke, Resource: "execute-api:/*" }]`),
    );
    const api = compileApi(config.apis[0] as ApiDefinition, config.region, config.accounts[0]!.id);
    expect(JSON.parse(api.resourcePolicy!.document).Statement[0].Resource).toBe(
      "arn:aws:execute-api:us-east-1:444455556666:petstore/*",
    );
    expect(api.resourcePolicy).toMatchObject({ kind: "resource", accountId: "444455556666" });
  });

  it("names the path of each bad field", () => {
    const message = errorOf(
      base(`  - id: Pet_Store
    stages: [prod, prod, "bad stage"]
    backend: { type: http, url: "ftp://x" }
    routes: [{ method: FETCH, path: /pets }]`),
    );
    expect(message).toContain("apis[0].id: 1-63 lower-case letters, digits and -, a DNS label");
    expect(message).toContain("apis[0].stages[2]: 1-128 letters, digits, - and _ (a stage name)");
    expect(message).toContain("apis[0].backend.url: an http(s) URL without query, fragment or credentials");
    expect(message).toContain("apis[0].routes[0].method:");
    // Cross-entry checks run once every field has its shape: reported for a file whose fields are all well-formed.
    const second = errorOf(
      base(`  - id: ok
    account: "999999999999"
    stages: [prod, prod]
    backend: { type: http, url: "http://127.0.0.1:1" }
    routes:
      - { method: GET, path: "/pets/{id}" }
      - { method: GET, path: "/pets/{petId}" }
      - { method: GET, path: "/a/{p+}/b" }
    resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: execute-api:Invoke, Resource: "*" }] }
    cors: { allowOrigins: ["*"], allowCredentials: true }
  - id: ok
    stages: [prod]
    backend: { type: http, url: "http://127.0.0.1:1" }
    routes: [{ method: GET, path: / }]`),
    );
    expect(second).toContain("apis[0].account: no account 999999999999 in accounts");
    expect(second).toContain("apis[0].stages[1]: duplicate stage prod");
    expect(second).toContain("apis[0].routes[1]: the same route as apis[0].routes[0] (GET /pets/{petId})");
    expect(second).toContain("apis[0].routes[2].path: the greedy parameter {p+} must be the last segment");
    expect(second).toContain(
      "apis[0].resourcePolicy: not a valid resource policy: Missing required field Principal",
    );
    expect(second).toContain(
      "apis[0].cors.allowCredentials: allowCredentials cannot be true when allowOrigins has *",
    );
    expect(second).toContain("apis[1].id: duplicate API id ok: already defined at apis[0]");
  });
});
