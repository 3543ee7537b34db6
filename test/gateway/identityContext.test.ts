import { describe, expect, it } from "vitest";
import type { Caller } from "../../src/auth/caller.js";
import type { RequestContext } from "../../src/auth/requestContext.js";
import {
  type InvocationFacts,
  requestContextJson,
  requestContextValue,
} from "../../src/gateway/identityContext.js";
import type { SessionRow } from "../../src/store/sessions.js";

const facts: InvocationFacts = {
  apiId: "petstore",
  accountId: "123456789012",
  stage: "prod",
  method: "GET",
  resourcePath: "/pets/{petId}",
  path: "/prod/pets/7",
  domainName: "127.0.0.1:4566",
  protocol: "HTTP/1.1",
};

const ctx = (overrides: Partial<RequestContext> = {}): RequestContext => ({
  requestId: "5f0c7a4e-0000-4000-8000-000000000001",
  door: "gateway",
  now: new Date("2026-12-01T12:00:00.123Z"),
  region: "us-east-1",
  sourceIp: "192.0.2.10",
  secureTransport: false,
  userAgent: "aws-sdk-js/3",
  ...overrides,
});

const cognitoCaller: Caller = Object.freeze({
  kind: "assumed-role",
  accountId: "123456789012",
  arn: "arn:aws:sts::123456789012:assumed-role/Cognito_Auth/CognitoIdentityCredentials",
  userId: "AROACOGNITO:CognitoIdentityCredentials",
  accessKeyId: "ASIACOGNITO",
  session: {
    federationKeys: {
      "cognito-identity.amazonaws.com:sub": ["us-east-1:1111"],
      "cognito-identity.amazonaws.com:aud": ["us-east-1:pool"],
      "cognito-identity.amazonaws.com:amr": ["authenticated", "accounts.google.com"],
    },
  } as unknown as SessionRow,
});

/** The requestContext as an object, in API Gateway's order, for the caller and client given. */
function expected(c: RequestContext, caller: Caller | undefined, cognito: boolean) {
  return {
    accountId: facts.accountId,
    apiId: facts.apiId,
    stage: facts.stage,
    requestId: c.requestId,
    httpMethod: facts.method,
    resourcePath: facts.resourcePath,
    path: facts.path,
    protocol: facts.protocol,
    domainName: facts.domainName,
    requestTimeEpoch: c.now.getTime(),
    identity: {
      accountId: caller?.accountId ?? null,
      caller: caller?.userId ?? null,
      user: caller?.userId ?? null,
      userArn: caller?.arn ?? null,
      accessKey: caller?.accessKeyId ?? null,
      cognitoIdentityId: cognito ? "us-east-1:1111" : null,
      cognitoIdentityPoolId: cognito ? "us-east-1:pool" : null,
      cognitoAuthenticationType: cognito ? "authenticated" : null,
      cognitoAuthenticationProvider: cognito ? "accounts.google.com" : null,
      sourceIp: c.sourceIp,
      userAgent: c.userAgent ?? null,
    },
  };
}

describe("the x-amzn-request-context header the backend reads", () => {
  it("is the requestContext as JSON.stringify writes it, for a NONE route and a Cognito identity", () => {
    for (const [caller, cognito] of [
      [undefined, false],
      [cognitoCaller, true],
    ] as const) {
      const c = ctx();
      expect(requestContextJson(facts, c, caller)).toBe(JSON.stringify(expected(c, caller, cognito)));
    }
  });

  it("follows the client of each request by the same caller: its address, its user agent, its time", () => {
    const first = ctx();
    requestContextJson(facts, first, cognitoCaller);
    const second = ctx({
      requestId: "5f0c7a4e-0000-4000-8000-000000000002",
      now: new Date("2026-12-01T12:00:01Z"),
      sourceIp: "198.51.100.7",
      userAgent: undefined,
    });
    expect(JSON.parse(requestContextJson(facts, second, cognitoCaller))).toEqual(
      expected(second, cognitoCaller, true),
    );
  });

  it("carries only printable ASCII: other characters go as JSON escapes", () => {
    const c = ctx({ userAgent: "agent-é-\u2028" });
    const json = requestContextJson({ ...facts, path: "/prod/pets/ü" }, c, undefined);
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(json).toContain("agent-\\u00e9-\\u2028");
    expect(JSON.parse(json)).toMatchObject({
      path: "/prod/pets/ü",
      identity: { userAgent: "agent-é-\u2028" },
    });
  });

  it("is the module event's requestContext as JSON, the authorizer of a token route included", () => {
    const c = ctx();
    const authorizer = {
      jwt: { claims: { sub: "alice", "cognito:groups": "[admins]" }, scopes: ["pets/read"] },
    };
    for (const caller of [undefined, cognitoCaller]) {
      expect(requestContextJson(facts, c, caller, authorizer)).toBe(
        JSON.stringify(requestContextValue(facts, c, caller, authorizer)),
      );
      expect(requestContextValue(facts, c, caller)).toEqual(expected(c, caller, caller !== undefined));
    }
  });
});
