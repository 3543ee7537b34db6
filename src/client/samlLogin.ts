import { credentialsFromStsXml, FedsimClientError, type TemporaryCredentials } from "./credentials.js";

const ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";

/**
 * Signs a person in at a running fedsim's built-in IdP as a browser would (POST /idp/login), takes the
 * SAML Response it hands over, and redeems it with AssumeRoleWithSAML for the chosen role (by name or ARN;
 * default the first the assertion grants). Everything goes over HTTP, so fedsim checks it all as it would
 * for anyone.
 */
export async function loginViaSaml(input: {
  endpoint: string;
  username: string;
  password: string;
  role?: string;
  durationSeconds?: number;
}): Promise<TemporaryCredentials> {
  const login = await fetch(`${input.endpoint}/idp/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: input.username, password: input.password }).toString(),
  });
  const page = await login.text();
  if (login.status === 429)
    throw new FedsimClientError(
      "TooManyRequests",
      `the IdP locked this sign-in out for ${login.headers.get("retry-after")} s`,
      429,
    );
  if (login.status !== 200)
    throw new FedsimClientError(
      "NotAuthorized",
      `the built-in IdP refused ${input.username}'s sign-in`,
      login.status,
    );
  const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(page)?.[1];
  if (!samlResponse)
    throw new FedsimClientError("MalformedResponse", "the IdP's page carries no SAMLResponse", login.status);
  const pairs = rolePairs(samlResponse);
  const pair = choose(pairs, input.role, input.username);
  const body = new URLSearchParams({
    Action: "AssumeRoleWithSAML",
    Version: "2011-06-15",
    RoleArn: pair.roleArn,
    PrincipalArn: pair.principalArn,
    SAMLAssertion: samlResponse,
  });
  if (input.durationSeconds !== undefined) body.set("DurationSeconds", String(input.durationSeconds));
  const res = await fetch(input.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return credentialsFromStsXml(await res.text(), res.status);
}

/** The role,provider pairs of the assertion's Role attribute (either order, as AWS accepts them). */
function rolePairs(samlResponse: string): { roleArn: string; principalArn: string }[] {
  const xml = Buffer.from(samlResponse, "base64").toString("utf8");
  const at = xml.indexOf(`Name="${ROLE_ATTRIBUTE}"`);
  if (at === -1) return [];
  const end = xml.indexOf("</saml:Attribute>", at);
  const values = [
    ...xml.slice(at, end === -1 ? undefined : end).matchAll(/<saml:AttributeValue[^>]*>([^<]+)</g),
  ];
  return values.map((m) => {
    const [a = "", b = ""] = m[1]!.split(",").map((s) => s.trim());
    return a.includes(":role/") ? { roleArn: a, principalArn: b } : { roleArn: b, principalArn: a };
  });
}

function choose(pairs: { roleArn: string; principalArn: string }[], role: string | undefined, who: string) {
  const pair =
    role === undefined
      ? pairs[0]
      : pairs.find((p) => p.roleArn === role || p.roleArn.slice(p.roleArn.lastIndexOf("/") + 1) === role);
  if (!pair) {
    const offered = pairs.map((p) => p.roleArn.slice(p.roleArn.lastIndexOf("/") + 1)).join(", ") || "none";
    throw new FedsimClientError(
      "NoSuchRole",
      `${who} may not assume ${role ?? "any role"} (offered: ${offered})`,
    );
  }
  return pair;
}
