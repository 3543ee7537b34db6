import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CognitoIdentityClient } from "@aws-sdk/client-cognito-identity";
import {
  type CognitoIdentityCredentialProvider,
  fromCognitoIdentityPool,
} from "@aws-sdk/credential-providers";
import type { FedsimConfig } from "../../src/config/schema.js";
import { findPerson, mintAssertion } from "../../src/idp/assertionForPerson.js";
import { ADMIN, REGION, SAML_PROVIDER } from "./petstore.js";

/** The PetStore identity pool of data/petstore.yaml, and its developer provider. */
export const PETSTORE_POOL = "us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18";
export const DEVELOPER_PROVIDER = "login.petstore";
export const PETSTORE_GUEST_ROLE = "arn:aws:iam::123456789012:role/PetStoreGuest";
export const COGNITO_LOGIN = "cognito-identity.amazonaws.com";

/** A Cognito Identity client of fedsim: signed with `credentials` (the admin by default) for management calls. */
export function cognitoClient(
  server: { url: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = ADMIN,
): CognitoIdentityClient {
  return new CognitoIdentityClient({ region: REGION, endpoint: server.url, credentials, maxAttempts: 1 });
}

/** The SDK's own identity-pool credential provider, pointed at fedsim. */
export function poolCredentials(
  server: { url: string },
  options: { logins?: Record<string, string>; identityPoolId?: string; customRoleArn?: string } = {},
): CognitoIdentityCredentialProvider {
  return fromCognitoIdentityPool({
    identityPoolId: options.identityPoolId ?? PETSTORE_POOL,
    logins: options.logins,
    customRoleArn: options.customRoleArn,
    clientConfig: { region: REGION, endpoint: server.url, maxAttempts: 1 },
  });
}

/** A SAML Response for a person of the built-in IdP, signed with the keys the test server generated. */
export function samlLogin(
  fedsim: { dir: string; config: FedsimConfig; clock: { now(): Date } },
  username: string,
  overrides: { validForSeconds?: number; certsDir?: string } = {},
): Record<string, string> {
  const certs = overrides.certsDir ?? join(fedsim.dir, "certs");
  const keys = {
    privateKeyPem: readFileSync(join(certs, "idp-signing.key"), "utf8"),
    certificatePem: readFileSync(join(certs, "idp-signing.pem"), "utf8"),
  };
  const assertion = mintAssertion({
    config: fedsim.config,
    person: findPerson(fedsim.config, username),
    keys,
    now: fedsim.clock.now(),
    validForSeconds: overrides.validForSeconds,
  });
  return { [SAML_PROVIDER]: assertion };
}

/** The claims of a JWT, unverified (for assertions about tokens fedsim issued). */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}
