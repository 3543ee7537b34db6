import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { ADMIN, REGION } from "./petstore.js";

/** The PetStoreUsers pool of data/petstore.yaml and its web client. */
export const POOL = "us-east-1_PetStore1";
export const CLIENT = "petstorewebclient000000001";
export const USER_POOL_LOGIN = `cognito-idp.${REGION}.amazonaws.com/${POOL}`;

/** A user-pools client without credentials: the SDK sends the public calls unsigned, as an app does. */
export function publicIdp(server: { url: string }): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: server.url,
    maxAttempts: 1,
    // No credentials anywhere: the public operations' optional auth leaves them unsigned.
    credentials: async () => {
      throw new Error("public calls need no credentials");
    },
  });
}

/** A user-pools client signed as `credentials` (the pet-store admin by default), for management calls. */
export function adminIdp(
  server: { url: string },
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = ADMIN,
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: server.url,
    credentials,
    maxAttempts: 1,
  });
}

export interface IssuedCode {
  purpose: string;
  code: string;
  expiresAt: string;
}

/** The codes fedsim would have mailed the user, from its admin endpoint (loopback passes the admin guard). */
export async function codesOf(server: { url: string }, username: string, pool = POOL): Promise<IssuedCode[]> {
  const res = await fetch(
    `${server.url}/_fedsim/cognito-idp/${pool}/codes?username=${encodeURIComponent(username)}`,
  );
  if (res.status !== 200) throw new Error(`codes endpoint answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { codes: IssuedCode[] }).codes;
}

/** The one code of a purpose the user has now. */
export async function codeOf(
  server: { url: string },
  username: string,
  purpose: string,
  pool = POOL,
): Promise<string> {
  const found = (await codesOf(server, username, pool)).filter((c) => c.purpose === purpose);
  if (found.length !== 1)
    throw new Error(`expected one ${purpose} code for ${username}, found ${found.length}`);
  return found[0]!.code;
}
