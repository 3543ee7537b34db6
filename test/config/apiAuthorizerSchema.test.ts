import { describe, expect, it } from "vitest";
import { ConfigError, parseConfigText } from "../../src/config/load.js";

const base = (apis: string) => `
region: us-east-1
accounts:
  - id: "111122223333"
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

describe("the config's token authorizers, module integrations and dedicated ports", () => {
  it("reads JWT and COGNITO_USER_POOLS authorizers with their default identity sources", () => {
    const config = parseConfigText(
      base(`  - id: tokens
    stages: [prod]
    port: 8081
    backend: { type: module, file: ./handler.mjs }
    authorizers:
      - { name: oidc, type: JWT, issuer: "\${fedsim:oidc}", audiences: [web] }
      - { name: pool, type: COGNITO_USER_POOLS, userPoolArns: ["arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Abc"] }
    routes:
      - { method: GET, path: /me, authorization: JWT, authorizer: oidc, scopes: [read] }
      - { method: GET, path: /rest, authorization: COGNITO_USER_POOLS, authorizer: pool }`),
    );
    const api = config.apis[0]!;
    expect(api.port).toBe(8081);
    expect(api.backend).toEqual({
      type: "module",
      file: "./handler.mjs",
      handler: "handler",
      timeoutMs: 29_000,
    });
    expect(api.authorizers).toEqual([
      {
        name: "oidc",
        type: "JWT",
        issuer: "${fedsim:oidc}",
        audiences: ["web"],
        identitySource: "$request.header.Authorization",
      },
      {
        name: "pool",
        type: "COGNITO_USER_POOLS",
        userPoolArns: ["arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Abc"],
        identitySource: "method.request.header.Authorization",
      },
    ]);
  });

  it("names the path of each bad field", () => {
    const shape = errorOf(
      base(`  - id: bad
    stages: [prod]
    port: 70000
    backend: { type: module, file: x.mjs, handler: "not-a-name" }
    authorizers:
      - { name: a, type: JWT, issuer: "ftp://x", audiences: [] }
      - { name: b, type: COGNITO_USER_POOLS, userPoolArns: ["arn:aws:iam::111122223333:role/x"] }
    routes: [{ method: GET, path: /x }]`),
    );
    expect(shape).toContain("apis[0].port:");
    expect(shape).toContain("apis[0].backend.handler: a JavaScript export name");
    expect(shape).toContain(
      "apis[0].authorizers[0].issuer: an http(s) issuer URL without query or fragment, or ${fedsim:oidc}",
    );
    expect(shape).toContain("apis[0].authorizers[0].audiences: at least one audience");
    expect(shape).toContain(
      "apis[0].authorizers[1].userPoolArns[0]: a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)",
    );
  });

  it("checks that routes and authorizers agree, and that no two APIs share a port", () => {
    const message = errorOf(
      base(`  - id: one
    stages: [prod]
    port: 9000
    backend: { type: http, url: "http://127.0.0.1:1" }
    authorizers:
      - { name: a, type: JWT, issuer: "https://issuer.example", audiences: [x] }
      - { name: a, type: JWT, issuer: "https://issuer.example", audiences: [y] }
    routes:
      - { method: GET, path: /no-authorizer, authorization: JWT }
      - { method: GET, path: /unknown, authorization: JWT, authorizer: nobody }
      - { method: GET, path: /wrong-type, authorization: COGNITO_USER_POOLS, authorizer: a }
      - { method: GET, path: /iam, authorization: AWS_IAM, authorizer: a, scopes: [s] }
  - id: two
    stages: [prod]
    port: 9000
    backend: { type: http, url: "http://127.0.0.1:1" }
    routes: [{ method: GET, path: /x }]`),
    );
    expect(message).toContain("apis[0].authorizers[1].name: duplicate authorizer a: already authorizers[0]");
    expect(message).toContain("apis[0].routes[0].authorizer: a JWT route names one of the API's authorizers");
    expect(message).toContain(
      "apis[0].routes[1].authorizer: no authorizer named nobody in this API's authorizers",
    );
    expect(message).toContain("apis[0].routes[2].authorizer: authorizer a is JWT, not COGNITO_USER_POOLS");
    expect(message).toContain(
      "apis[0].routes[3].authorizer: an authorizer applies only to JWT and COGNITO_USER_POOLS routes, not AWS_IAM",
    );
    expect(message).toContain(
      "apis[0].routes[3].scopes: scopes apply only to JWT and COGNITO_USER_POOLS routes, not AWS_IAM",
    );
    expect(message).toContain("apis[1].port: port 9000 is already apis[0]'s");
  });
});
