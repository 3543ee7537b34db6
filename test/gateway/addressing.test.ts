import { describe, expect, it } from "vitest";
import { apiIdFromHost, isGatewayRequest, locate } from "../../src/gateway/addressing.js";
import {
  executeApiArn,
  executeApiArnPrefix,
  expandResourceShorthand,
} from "../../src/gateway/executeApiArn.js";

describe("addressing an API", () => {
  it("reads LocalStack's path style", () => {
    expect(locate("/restapis/petstore/prod/_user_request_/pets/1?x=1", "localhost:4566")).toEqual({
      style: "path",
      apiId: "petstore",
      stage: "prod",
      apiPath: "/pets/1",
      requestPath: "/restapis/petstore/prod/_user_request_/pets/1",
      query: "x=1",
    });
    expect(locate("/restapis/petstore/prod/_user_request_", undefined)).toMatchObject({ apiPath: "/" });
    expect(locate("/restapis/petstore/prod/_user_request_/", undefined)).toMatchObject({ apiPath: "/" });
  });

  it("reads the host style, port and case aside", () => {
    expect(locate("/prod/pets", "PetStore.Execute-API.localhost:4566")).toEqual({
      style: "host",
      apiId: "petstore",
      stage: "prod",
      apiPath: "/pets",
      requestPath: "/prod/pets",
      query: "",
    });
    expect(locate("/prod", "petstore.execute-api.localhost")).toMatchObject({ stage: "prod", apiPath: "/" });
    expect(apiIdFromHost("a.b.execute-api.localhost")).toBeUndefined();
    expect(apiIdFromHost("execute-api.localhost")).toBeUndefined();
    expect(apiIdFromHost("petstore.execute-api.localhost.evil.example")).toBeUndefined();
  });

  it("does not let the Host header switch a path-style request to another API", () => {
    expect(locate("/restapis/petstore/prod/_user_request_/pets", "admin.execute-api.localhost")).toEqual({
      refused: "The Host header names API admin but the path names API petstore",
      status: 400,
    });
    // The same API named twice is fine.
    expect(
      locate("/restapis/petstore/prod/_user_request_/pets", "petstore.execute-api.localhost"),
    ).toMatchObject({
      style: "path",
      apiId: "petstore",
    });
  });

  it("refuses malformed path-style prefixes and absolute-form targets", () => {
    expect(locate("/restapis/petstore/prod/pets", undefined)).toMatchObject({ status: 404 });
    expect(locate("/restapis//prod/_user_request_/x", undefined)).toMatchObject({ status: 404 });
    expect(locate("http://evil/prod/pets", "petstore.execute-api.localhost")).toMatchObject({ status: 400 });
    expect(locate("/", "petstore.execute-api.localhost")).toMatchObject({ status: 403 });
  });

  it("claims only its own requests", () => {
    expect(isGatewayRequest("/", "localhost:4566")).toBe(false);
    expect(isGatewayRequest("/_fedsim/health", "127.0.0.1")).toBe(false);
    expect(isGatewayRequest("/restapis/x/y/_user_request_/", "127.0.0.1")).toBe(true);
    expect(isGatewayRequest("/_fedsim/health", "x.execute-api.localhost")).toBe(true);
  });
});

describe("execute-api ARNs", () => {
  const prefix = executeApiArnPrefix("us-east-1", "123456789012", "petstore", "prod");

  it("names region, account, API, stage, method and the decoded path", () => {
    expect(executeApiArn(prefix, "GET", ["pets", "1"])).toBe(
      "arn:aws:execute-api:us-east-1:123456789012:petstore/prod/GET/pets/1",
    );
    expect(executeApiArn(prefix, "GET", [])).toBe(
      "arn:aws:execute-api:us-east-1:123456789012:petstore/prod/GET/",
    );
    expect(executeApiArn(prefix, "POST", ["pets", "hello world"])).toBe(
      "arn:aws:execute-api:us-east-1:123456789012:petstore/prod/POST/pets/hello world",
    );
  });

  it("expands API Gateway's execute-api:/ shorthand in resource policies", () => {
    expect(expandResourceShorthand("execute-api:/*/GET/pets", "us-east-1", "123456789012", "petstore")).toBe(
      "arn:aws:execute-api:us-east-1:123456789012:petstore/*/GET/pets",
    );
    expect(expandResourceShorthand("arn:aws:execute-api:*", "us-east-1", "1", "p")).toBe(
      "arn:aws:execute-api:*",
    );
  });
});
