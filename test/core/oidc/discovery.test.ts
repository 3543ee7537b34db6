import { describe, expect, it } from "vitest";
import { discoveryDocument } from "../../../src/core/oidc/discovery.js";

const issuer = "http://localhost:4566/oidc";
const endpoints = {
  issuer,
  authorizationEndpoint: `${issuer}/authorize`,
  tokenEndpoint: `${issuer}/token`,
  jwksUri: `${issuer}/.well-known/jwks.json`,
};

describe("discoveryDocument", () => {
  it("describes an authorization-code issuer with PKCE S256, public subjects and RS256 ID tokens", () => {
    expect(discoveryDocument(endpoints)).toEqual({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      grant_types_supported: ["authorization_code"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: [
        "iss",
        "sub",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "email",
        "email_verified",
        "name",
      ],
    });
  });

  it("adds the userinfo endpoint and the caller's choices", () => {
    const document = discoveryDocument({
      ...endpoints,
      userinfoEndpoint: `${issuer}/userinfo`,
      signingAlgorithms: ["RS256", "ES256"],
      scopes: ["openid"],
      grantTypes: ["authorization_code", "refresh_token"],
    });
    expect(document).toMatchObject({
      userinfo_endpoint: `${issuer}/userinfo`,
      id_token_signing_alg_values_supported: ["RS256", "ES256"],
      scopes_supported: ["openid"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    });
  });

  it.each([
    [
      "an issuer with a query",
      { issuer: `${issuer}?tenant=1` },
      "discoveryDocument: the issuer must have no query or fragment",
    ],
    [
      "a relative token endpoint",
      { tokenEndpoint: "/token" },
      "discoveryDocument: tokenEndpoint must be an absolute URL",
    ],
    [
      "a non-http jwks_uri",
      { jwksUri: "file:///jwks.json" },
      "discoveryDocument: jwksUri must be an http or https URL",
    ],
    ["scopes without openid", { scopes: ["email"] }, 'discoveryDocument: scopes must include "openid"'],
  ])("throws TypeError for %s", (_name, change, message) => {
    expect(() => discoveryDocument({ ...endpoints, ...change })).toThrow(new TypeError(message));
  });
});
