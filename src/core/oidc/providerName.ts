/**
 * How IAM names an OpenID Connect provider: its URL without the scheme and without a trailing slash
 * (`token.actions.githubusercontent.com`, `oidc.eks.us-east-1.amazonaws.com/id/ABC`). The same name is the
 * provider ARN's resource (`oidc-provider/NAME`), the prefix of its trust-policy keys (`NAME:aud`) and its
 * Logins key. For fedsim's loopback issuers the port is part of the name: `127.0.0.1:8080/realms/demo`.
 */
export function oidcProviderName(url: string): string {
  return url.replace(/^https?:\/\//i, "").replace(/\/+$/, "");
}

/** Hosts a local issuer runs on (a Keycloak, dex, a test's own issuer, fedsim itself). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Why a URL cannot name an OpenID Connect provider, or undefined when it can. AWS takes only
 * `https://host[/path]` with no query or fragment. fedsim also takes `http://` for a loopback host with an
 * explicit port (a documented deviation: local issuers rarely have TLS, and a port is what tells two apart).
 */
export function oidcProviderUrlProblem(url: string): string | undefined {
  if (url.length > 255) return "The URL must be at most 255 characters long.";
  if (/^https:\/\/[^\s/?#]+[^\s?#]*$/i.test(url)) return undefined;
  const aws = "The URL must begin with https:// and must not contain a query string or fragment.";
  if (!/^http:\/\//i.test(url) || /[\s?#]/.test(url)) return aws;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return aws;
  }
  if (!LOOPBACK_HOSTS.has(parsed.hostname)) return aws;
  if (parsed.port === "")
    return `fedsim accepts http:// only for a loopback issuer with an explicit port (http://${parsed.host}:PORT); without one, use https://.`;
  return undefined;
}

/** Whether an issuer (a token's `iss`) is a loopback http URL that fedsim accepts in place of https. */
export function isLoopbackHttpIssuer(issuer: string): boolean {
  return /^http:\/\//i.test(issuer) && oidcProviderUrlProblem(issuer) === undefined;
}
