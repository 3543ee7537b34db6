import { describe, expect, it } from "vitest";
import type { TokenClaims } from "../../../src/core/oidc/claims.js";
import { webIdentityTrustContext } from "../../../src/core/oidc/trustContext.js";

const claims = (extra: Record<string, unknown> = {}): TokenClaims => ({
  iss: "https://issuer.example",
  sub: "user-1",
  aud: "app",
  exp: 2,
  iat: 1,
  ...extra,
});

describe("the trust-policy keys of a web identity token", () => {
  it("names aud and sub after the provider, port and path included", () => {
    expect(
      webIdentityTrustContext({
        providerName: "127.0.0.1:8080/realms/demo",
        claims: claims(),
        audience: "app",
      }),
    ).toEqual({ "127.0.0.1:8080/realms/demo:aud": "app", "127.0.0.1:8080/realms/demo:sub": "user-1" });
  });

  it("adds amr when the token has one, as a string or a list", () => {
    expect(
      webIdentityTrustContext({
        providerName: "cognito-identity.amazonaws.com",
        claims: claims({ amr: ["authenticated", "accounts.google.com"] }),
        audience: "app",
      })["cognito-identity.amazonaws.com:amr"],
    ).toEqual(["authenticated", "accounts.google.com"]);
    expect(
      webIdentityTrustContext({ providerName: "x.example", claims: claims({ amr: "pwd" }), audience: "app" })[
        "x.example:amr"
      ],
    ).toBe("pwd");
    expect(
      webIdentityTrustContext({ providerName: "x.example", claims: claims({ amr: [1] }), audience: "app" }),
    ).not.toHaveProperty("x.example:amr");
  });

  it("reads Google's azp as accounts.google.com:aud and its aud as :oaud, and aud alone without azp", () => {
    expect(
      webIdentityTrustContext({
        providerName: "accounts.google.com",
        claims: claims({ azp: "android-client" }),
        audience: "web-client",
      }),
    ).toEqual({
      "accounts.google.com:aud": "android-client",
      "accounts.google.com:oaud": "web-client",
      "accounts.google.com:sub": "user-1",
    });
    expect(
      webIdentityTrustContext({
        providerName: "accounts.google.com",
        claims: claims(),
        audience: "web-client",
      }),
    ).toEqual({ "accounts.google.com:aud": "web-client", "accounts.google.com:sub": "user-1" });
  });

  it("reads azp as the audience for Google only", () => {
    expect(
      webIdentityTrustContext({
        providerName: "x.example",
        claims: claims({ azp: "other" }),
        audience: "app",
      })["x.example:aud"],
    ).toBe("app");
  });
});
