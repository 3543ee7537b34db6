import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { JWK } from "jose";
import { parse, stringify } from "yaml";
import type { LoadedConfig } from "../../src/config/load.js";
import { parseConfigText } from "../../src/config/load.js";
import { issueToken } from "../../src/core/oidc/issueToken.js";
import { generateSigningKey, type SigningKey } from "../../src/core/oidc/signingKeys.js";
import { ACCOUNT_ID } from "./petstore.js";

/** The pools, provider and roles the Cognito tests add to the pet-store demo. */
export const EXAMPLE_POOL = "us-east-1:0e8a5c1d-2b3f-4a6e-8d9c-1f2e3a4b5c6d";
export const STRICT_POOL = "us-east-1:5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
export const CLASSIC_POOL = "us-east-1:9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
export const OIDC_NAME = "login.example.test";
export const OIDC_ISSUER = `https://${OIDC_NAME}`;
export const OIDC_CLIENT = "petstore-web";
export const role = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;

const cognitoTrust = (pool: string, amr: "authenticated" | "unauthenticated") => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: "cognito-identity.amazonaws.com" },
      Action: ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
      Condition: {
        StringEquals: { "cognito-identity.amazonaws.com:aud": pool },
        "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": amr },
      },
    },
  ],
});

/**
 * data/petstore.yaml plus an IAM OIDC provider with inline keys (the test's own), and three pools: Example
 * (guests, rules that may pick PetStoreAdmin, whose trust policy names the PetStore pool only), Strict (no
 * guests, rules with Deny) and Classic (the basic flow).
 */
export function cognitoTestConfig(publicJwk: JWK): LoadedConfig {
  const file = resolve("data/petstore.yaml");
  const doc = parse(readFileSync(file, "utf8"));
  const account = doc.accounts[0];
  account.oidcProviders.push({ url: OIDC_ISSUER, clientIds: [OIDC_CLIENT], jwks: { keys: [publicJwk] } });
  account.roles.push(
    { name: "ExampleUser", assumeRolePolicy: cognitoTrust(EXAMPLE_POOL, "authenticated") },
    { name: "ExampleAdmin", assumeRolePolicy: cognitoTrust(EXAMPLE_POOL, "authenticated") },
    { name: "ExampleGuest", assumeRolePolicy: cognitoTrust(EXAMPLE_POOL, "unauthenticated") },
    { name: "StrictUser", assumeRolePolicy: cognitoTrust(STRICT_POOL, "authenticated") },
    { name: "ClassicGuest", assumeRolePolicy: cognitoTrust(CLASSIC_POOL, "unauthenticated") },
  );
  account.identityPools.push(
    {
      name: "Example",
      id: EXAMPLE_POOL,
      allowUnauthenticatedIdentities: true,
      openIdConnectProviders: [OIDC_NAME],
      samlProviders: ["fedsim-idp"],
      roles: { authenticated: "ExampleUser", unauthenticated: "ExampleGuest" },
      roleMappings: {
        [OIDC_NAME]: {
          type: "Rules",
          ambiguousRoleResolution: "AuthenticatedRole",
          rules: [
            { claim: "tier", matchType: "Equals", value: "gold", role: "PetStoreAdmin" },
            { claim: "groups", matchType: "Contains", value: "admins", role: "ExampleAdmin" },
          ],
        },
      },
      principalTags: { [OIDC_NAME]: { useDefaults: true, tags: { dept: "department" } } },
    },
    {
      name: "Strict",
      id: STRICT_POOL,
      allowUnauthenticatedIdentities: false,
      openIdConnectProviders: [OIDC_NAME],
      roles: { authenticated: "StrictUser" },
      roleMappings: {
        [OIDC_NAME]: {
          type: "Rules",
          ambiguousRoleResolution: "Deny",
          rules: [{ claim: "groups", matchType: "Equals", value: "admins", role: "StrictUser" }],
        },
      },
    },
    {
      name: "Classic",
      id: CLASSIC_POOL,
      allowUnauthenticatedIdentities: true,
      allowClassicFlow: true,
      developerProviderName: "login.classic",
      roles: { unauthenticated: "ClassicGuest" },
    },
  );
  return { file, config: parseConfigText(stringify(doc), "cognito test config") };
}

/** The test's OIDC issuer: a key whose public half the config holds, and tokens it signs. */
export class TestIssuer {
  private constructor(readonly key: SigningKey) {}

  static async create(): Promise<TestIssuer> {
    return new TestIssuer(await generateSigningKey("RS256"));
  }

  token(now: Date, claims: Record<string, unknown> = {}, lifetimeSeconds = 3600): Promise<string> {
    return issueToken({
      privateKey: this.key.privateKey,
      kid: this.key.kid,
      alg: "RS256",
      claims: { iss: OIDC_ISSUER, aud: OIDC_CLIENT, sub: "user-1", ...claims },
      now,
      lifetimeSeconds,
    });
  }
}
