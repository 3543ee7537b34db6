import type { PoolDirectory } from "../config/poolDirectory.js";
import { oidcProviderName } from "../core/oidc/providerName.js";
import { signRequest } from "../core/sigv4/signRequest.js";
import { credentialsFromStsXml, FedsimClientError, type TemporaryCredentials } from "./credentials.js";
import { oidcIdToken } from "./oidcLogin.js";

/** Which pools a Cognito sign-in goes through: names or ids; by default the config's first that fits. */
export interface PoolChoice {
  identityPool?: string;
  userPool?: string;
  clientId?: string;
}

interface CognitoLoginInput {
  endpoint: string;
  region: string;
  username: string;
  password: string;
  /** What the running fedsim seeded (its /_fedsim/status, or the test kit's config). */
  pools: PoolDirectory;
  choice?: PoolChoice;
  /** CustomRoleArn: the role to take when the identity's token offers several (cognito:roles). */
  customRoleArn?: string;
  /** The time the GetCallerIdentity that names the session is signed at (the test kit's clock). */
  now?: () => Date;
}

/**
 * `--via identity-pool`: the person signs in at the built-in OpenID issuer, and its ID token is the identity
 * pool's Logins entry (key: the issuer's provider name, HOST:PORT/oidc) for GetId and GetCredentialsForIdentity.
 */
export async function loginViaIdentityPool(input: CognitoLoginInput): Promise<TemporaryCredentials> {
  const identityPoolId = chooseIdentityPool(input.pools, input.choice?.identityPool);
  const idToken = await oidcIdToken(input);
  return identityPoolCredentials(input, identityPoolId, { [oidcProviderName(issuerOf(idToken))]: idToken });
}

/**
 * `--via user-pool`: USER_PASSWORD_AUTH at the user pool (a public app client that allows it), then the ID token
 * as the identity pool's Logins entry under cognito-idp.REGION.amazonaws.com/POOL_ID.
 */
export async function loginViaUserPool(input: CognitoLoginInput): Promise<TemporaryCredentials> {
  const identityPoolId = chooseIdentityPool(input.pools, input.choice?.identityPool);
  const { pool, clientId } = chooseUserPoolClient(input.pools, input.choice);
  const auth = await callJson(input.endpoint, "AWSCognitoIdentityProviderService.InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: clientId,
    AuthParameters: { USERNAME: input.username, PASSWORD: input.password },
  });
  const result = auth.AuthenticationResult as { IdToken?: unknown } | undefined;
  if (typeof result?.IdToken !== "string") {
    // A challenge (NEW_PASSWORD_REQUIRED, MFA) is not something a one-shot login can answer.
    const challenge = typeof auth.ChallengeName === "string" ? auth.ChallengeName : "no tokens";
    throw new FedsimClientError(
      "ChallengeRequired",
      `the user pool ${pool} answered ${input.username}'s sign-in with ${challenge}, not tokens`,
    );
  }
  const key = `cognito-idp.${input.region}.amazonaws.com/${pool}`;
  return identityPoolCredentials(input, identityPoolId, { [key]: result.IdToken });
}

async function identityPoolCredentials(
  input: CognitoLoginInput,
  identityPoolId: string,
  logins: Record<string, string>,
): Promise<TemporaryCredentials> {
  const id = await callJson(input.endpoint, "AWSCognitoIdentityService.GetId", {
    IdentityPoolId: identityPoolId,
    Logins: logins,
  });
  const answer = await callJson(input.endpoint, "AWSCognitoIdentityService.GetCredentialsForIdentity", {
    IdentityId: id.IdentityId,
    Logins: logins,
    ...(input.customRoleArn === undefined ? {} : { CustomRoleArn: input.customRoleArn }),
  });
  const c = answer.Credentials as
    | { AccessKeyId: string; SecretKey: string; SessionToken: string; Expiration: number }
    | undefined;
  if (!c)
    throw new FedsimClientError("MalformedResponse", "GetCredentialsForIdentity answered no Credentials");
  // Cognito's answer names no role: the session's own GetCallerIdentity does (assumed-role/ROLE/SESSION).
  const credentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretKey,
    sessionToken: c.SessionToken,
  };
  const body = "Action=GetCallerIdentity&Version=2011-06-15";
  const url = new URL(input.endpoint);
  const headers = signRequest(
    {
      method: "POST",
      path: "/",
      query: "",
      headers: { host: url.host, "content-type": "application/x-www-form-urlencoded" },
      body,
    },
    credentials,
    { region: input.region, service: "sts", now: (input.now ?? (() => new Date()))() },
  );
  const { host: _host, ...sent } = headers;
  const res = await fetch(new URL("/", url), { method: "POST", headers: sent, body });
  const xml = await res.text();
  // A refusal is thrown as the <Error> it carries.
  if (res.status !== 200) credentialsFromStsXml(xml, res.status);
  const who = /<Arn>([^<]*)<\/Arn>/.exec(xml)?.[1];
  if (who === undefined)
    throw new FedsimClientError("MalformedResponse", "GetCallerIdentity answered no Arn", res.status);
  return {
    ...credentials,
    // JSON 1.1 timestamps are epoch seconds.
    expiration: new Date(c.Expiration * 1000),
    arn: who,
    userId: /<UserId>([^<]*)<\/UserId>/.exec(xml)?.[1],
  };
}

/** An AWS JSON 1.1 call; an error answer becomes a FedsimClientError with its __type and message. */
async function callJson(endpoint: string, target: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported below with the text itself.
  }
  if (!res.ok) {
    const type = typeof answer.__type === "string" ? answer.__type : "UnknownError";
    const message = typeof answer.message === "string" ? answer.message : text.slice(0, 200);
    throw new FedsimClientError(type.slice(type.lastIndexOf("#") + 1), message, res.status);
  }
  return answer;
}

/** The iss claim of a JWT, read without verifying it: fedsim verifies it when the token is used. */
function issuerOf(jwt: string): string {
  const payload = jwt.split(".")[1] ?? "";
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
  if (typeof claims.iss !== "string")
    throw new FedsimClientError("MalformedResponse", "the built-in issuer's ID token has no iss");
  return claims.iss;
}

/** The identity pool named (by name or id), else the config's first. TypeError when there is none to take. */
export function chooseIdentityPool(pools: PoolDirectory, wanted?: string): string {
  const list = pools.identityPools;
  if (wanted === undefined) {
    if (list[0] === undefined) throw new TypeError("the config has no identity pool to sign in through");
    return list[0].id;
  }
  const found = list.find((p) => p.id === wanted || p.name === wanted);
  if (!found)
    throw new TypeError(
      `no identity pool named ${wanted} (configured: ${list.map((p) => `${p.name} ${p.id}`).join(", ") || "none"})`,
    );
  return found.id;
}

/**
 * The user pool and app client to sign in with: as named, else the first pool with a public client that
 * allows USER_PASSWORD_AUTH (a client secret would need SECRET_HASH, which a person's login does not have).
 */
export function chooseUserPoolClient(
  pools: PoolDirectory,
  choice: PoolChoice = {},
): { pool: string; clientId: string } {
  const candidates = pools.userPools.filter(
    (p) => choice.userPool === undefined || p.id === choice.userPool || p.name === choice.userPool,
  );
  if (candidates.length === 0)
    throw new TypeError(
      choice.userPool === undefined
        ? "the config has no user pool to sign in at"
        : `no user pool named ${choice.userPool} (configured: ${pools.userPools.map((p) => `${p.name} ${p.id}`).join(", ") || "none"})`,
    );
  for (const pool of candidates) {
    const client =
      choice.clientId === undefined
        ? pool.clients.find((c) => c.passwordAuth && !c.hasSecret)
        : pool.clients.find((c) => c.id === choice.clientId || c.name === choice.clientId);
    if (client) return { pool: pool.id, clientId: client.id };
  }
  throw new TypeError(
    choice.clientId === undefined
      ? `no public app client of ${candidates.map((p) => p.name).join(", ")} allows ALLOW_USER_PASSWORD_AUTH: name one with a client id`
      : `no app client ${choice.clientId} in ${candidates.map((p) => p.name).join(", ")}`,
  );
}
