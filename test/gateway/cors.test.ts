import { describe, expect, it } from "vitest";
import { compileCors, isPreflight, preflightHeaders, responseCorsHeaders } from "../../src/gateway/cors.js";

const strict = compileCors({
  allowOrigins: ["https://app.example"],
  allowMethods: ["get", "POST"],
  allowHeaders: ["Authorization", "X-Amz-Date"],
  exposeHeaders: ["x-amzn-RequestId"],
  allowCredentials: true,
  maxAge: 300,
});
const open = compileCors({
  allowOrigins: ["*"],
  allowMethods: ["*"],
  allowHeaders: ["*"],
  exposeHeaders: [],
  allowCredentials: false,
});

describe("CORS", () => {
  it("knows a preflight: OPTIONS with Origin and Access-Control-Request-Method", () => {
    expect(isPreflight("OPTIONS", "https://a", "GET")).toBe(true);
    expect(isPreflight("OPTIONS", undefined, "GET")).toBe(false);
    expect(isPreflight("OPTIONS", "https://a", undefined)).toBe(false);
    expect(isPreflight("GET", "https://a", "GET")).toBe(false);
  });

  it("answers an allowed preflight with the configured lists, credentials and max age", () => {
    expect(preflightHeaders(strict, "https://app.example", "post", "authorization, x-amz-date")).toEqual([
      ["Access-Control-Allow-Origin", "https://app.example"],
      ["Access-Control-Allow-Methods", "GET,POST"],
      ["Vary", "Origin"],
      ["Access-Control-Allow-Headers", "authorization,x-amz-date"],
      ["Access-Control-Allow-Credentials", "true"],
      ["Access-Control-Max-Age", "300"],
    ]);
  });

  it("allows nothing for another origin, method or header", () => {
    expect(preflightHeaders(strict, "https://evil.example", "GET", undefined)).toBeUndefined();
    expect(preflightHeaders(strict, "https://app.example", "DELETE", undefined)).toBeUndefined();
    expect(preflightHeaders(strict, "https://app.example", "GET", "x-secret")).toBeUndefined();
    expect(responseCorsHeaders(strict, "https://evil.example")).toBeUndefined();
    expect(responseCorsHeaders(strict, undefined)).toBeUndefined();
  });

  it("echoes what was asked when everything is allowed, with origin *", () => {
    expect(preflightHeaders(open, "https://any.example", "DELETE", "X-Custom")).toEqual([
      ["Access-Control-Allow-Origin", "*"],
      ["Access-Control-Allow-Methods", "DELETE"],
      ["Vary", "Origin"],
      ["Access-Control-Allow-Headers", "x-custom"],
    ]);
    expect(responseCorsHeaders(open, "https://any.example")).toEqual([
      ["Access-Control-Allow-Origin", "*"],
      ["Vary", "Origin"],
    ]);
  });

  it("names the exposed headers on actual answers", () => {
    expect(responseCorsHeaders(strict, "https://app.example")).toEqual([
      ["Access-Control-Allow-Origin", "https://app.example"],
      ["Vary", "Origin"],
      ["Access-Control-Allow-Credentials", "true"],
      ["Access-Control-Expose-Headers", "x-amzn-RequestId"],
    ]);
  });
});
