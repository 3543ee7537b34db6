import { describe, expect, it } from "vitest";
import { oidcProviderName, oidcProviderUrlProblem } from "../../../src/core/oidc/providerName.js";

describe("OpenID Connect provider names and URLs", () => {
  it("names a provider by its URL without scheme and trailing slash, port and path kept", () => {
    expect(oidcProviderName("https://token.actions.githubusercontent.com/")).toBe(
      "token.actions.githubusercontent.com",
    );
    expect(oidcProviderName("http://127.0.0.1:8080/realms/demo")).toBe("127.0.0.1:8080/realms/demo");
  });

  it("takes https URLs and loopback http URLs with a port", () => {
    for (const url of [
      "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
      "http://127.0.0.1:4566/oidc",
      "http://localhost:8080",
      "http://[::1]:9000/realm",
    ])
      expect(oidcProviderUrlProblem(url), url).toBeUndefined();
  });

  it("refuses other http URLs, queries and fragments with AWS's message, and a loopback URL without port with fedsim's", () => {
    const aws = "The URL must begin with https:// and must not contain a query string or fragment.";
    for (const url of [
      "http://idp.example.com",
      "https://idp.example?x=1",
      "https://idp.example#f",
      "ftp://x",
    ])
      expect(oidcProviderUrlProblem(url), url).toBe(aws);
    expect(oidcProviderUrlProblem("http://127.0.0.1:8080/oidc?x=1")).toBe(aws);
    expect(oidcProviderUrlProblem("http://localhost/oidc")).toBe(
      "fedsim accepts http:// only for a loopback issuer with an explicit port (http://localhost:PORT); without one, use https://.",
    );
    expect(oidcProviderUrlProblem(`https://${"a".repeat(250)}.example`)).toBe(
      "The URL must be at most 255 characters long.",
    );
  });
});
