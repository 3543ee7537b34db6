import { credentialsFromStsXml, FedsimClientError, type TemporaryCredentials } from "./credentials.js";

/**
 * Signs a person in at a running fedsim's built-in OpenID issuer (its password grant, for a client that
 * allows it) and redeems the ID token with AssumeRoleWithWebIdentity for `roleArn`: both over HTTP, so
 * fedsim verifies the token and evaluates the role's trust policy as for any web identity.
 */
export async function loginViaOidc(input: {
  endpoint: string;
  username: string;
  password: string;
  roleArn: string;
  clientId?: string;
  durationSeconds?: number;
}): Promise<TemporaryCredentials> {
  const idToken = await oidcIdToken(input);
  const body = new URLSearchParams({
    Action: "AssumeRoleWithWebIdentity",
    Version: "2011-06-15",
    RoleArn: input.roleArn,
    RoleSessionName: input.username
      .replace(/[^\w+=,.@-]/g, "-")
      .slice(0, 64)
      .padEnd(2, "-"),
    WebIdentityToken: idToken,
  });
  if (input.durationSeconds !== undefined) body.set("DurationSeconds", String(input.durationSeconds));
  const res = await fetch(input.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return credentialsFromStsXml(await res.text(), res.status);
}

/** An ID token for a person from the built-in OpenID issuer's password grant (for a client that allows it). */
export async function oidcIdToken(input: {
  endpoint: string;
  username: string;
  password: string;
  clientId?: string;
}): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "password",
    username: input.username,
    password: input.password,
  });
  if (input.clientId !== undefined) form.set("client_id", input.clientId);
  const tokenRes = await fetch(`${input.endpoint}/oidc/token`, { method: "POST", body: form });
  const token = (await tokenRes.json().catch(() => ({}))) as {
    id_token?: string;
    error?: string;
    error_description?: string;
  };
  if (!tokenRes.ok || typeof token.id_token !== "string")
    throw new FedsimClientError(
      token.error ?? "NotAuthorized",
      `the built-in OpenID issuer refused ${input.username}'s sign-in${token.error_description ? `: ${token.error_description}` : ""}`,
      tokenRes.status,
    );
  return token.id_token;
}

/** A role named as the config lists it (PetStoreAdmin) as its ARN in the account, or an ARN as given. */
export function roleArnIn(accountId: string, role: string): string {
  return role.startsWith("arn:") ? role : `arn:aws:iam::${accountId}:role/${role}`;
}
