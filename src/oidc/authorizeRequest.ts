import type { FedsimConfig } from "../config/schema.js";
import { isPkceValue } from "../core/oidc/pkce.js";
import { OAuthError } from "./oauthError.js";

export type OidcClient = FedsimConfig["oidc"]["clients"][number];

/** An authorization request that may be shown a sign-in page. */
export interface AuthorizeRequest {
  client: OidcClient;
  redirectUri: string;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
}

export type AuthorizeCheck =
  | { ok: true; request: AuthorizeRequest }
  /** The client or its redirect_uri is wrong: shown to the person, never redirected (RFC 6749 §4.1.2.1). */
  | { ok: false; page: string }
  /** Anything else: sent back to the client's redirect_uri. */
  | { ok: false; redirectTo: string; error: OAuthError };

/** The parameters the sign-in form carries through as hidden fields. */
export const AUTHORIZE_PARAMETERS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
] as const;

/**
 * Checks an authorization request (the query of GET /oidc/authorize, or the sign-in form that carries it):
 * a registered client and one of its redirect URIs, compared exactly; response_type code; the openid scope;
 * and PKCE with S256, required for every client (plain gives no protection, and these clients have no secret).
 * A parameter sent twice is refused (RFC 6749 §3.1), so two parsers cannot read two different requests.
 */
export function checkAuthorizeRequest(
  clients: readonly OidcClient[],
  params: Readonly<Record<string, unknown>>,
): AuthorizeCheck {
  const one = (name: string): string | undefined | null => {
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined || value === "") return undefined;
    return typeof value === "string" ? value : null;
  };
  const clientId = one("client_id");
  if (typeof clientId !== "string")
    return { ok: false, page: "The request has no client_id (or has it twice)." };
  const client = clients.find((c) => c.clientId === clientId);
  if (!client) return { ok: false, page: `No OpenID client ${clientId} is configured (oidc.clients).` };
  const redirectUri = one("redirect_uri");
  if (typeof redirectUri !== "string")
    return { ok: false, page: "The request has no redirect_uri (or has it twice)." };
  if (!client.redirectUris.includes(redirectUri)) {
    return {
      ok: false,
      page: `${redirectUri} is not a redirect URI of client ${clientId}; register it in oidc.clients[].redirectUris (compared exactly).`,
    };
  }
  const state = one("state");
  const back = (error: OAuthError): AuthorizeCheck => ({
    ok: false,
    redirectTo: redirectWith(redirectUri, {
      error: error.code,
      error_description: error.description,
      ...(typeof state === "string" ? { state } : {}),
    }),
    error,
  });
  for (const name of AUTHORIZE_PARAMETERS)
    if (one(name) === null)
      return back(new OAuthError("invalid_request", `${name} is given more than once.`));
  if (one("response_type") !== "code") {
    return back(
      new OAuthError(
        "unsupported_response_type",
        "fedsim's issuer supports only response_type=code (the authorization-code flow).",
      ),
    );
  }
  const scope = one("scope") ?? "";
  if (!scope.split(" ").includes("openid"))
    return back(new OAuthError("invalid_scope", 'The scope must include "openid".'));
  const codeChallenge = one("code_challenge");
  if (typeof codeChallenge !== "string" || one("code_challenge_method") !== "S256") {
    return back(
      new OAuthError(
        "invalid_request",
        "PKCE is required: send code_challenge with code_challenge_method=S256.",
      ),
    );
  }
  if (!isPkceValue(codeChallenge))
    return back(new OAuthError("invalid_request", "code_challenge must be 43-128 base64url characters."));
  const nonce = one("nonce");
  return {
    ok: true,
    request: {
      client,
      redirectUri,
      scope,
      state: state ?? undefined,
      nonce: nonce ?? undefined,
      codeChallenge,
    },
  };
}

/** The redirect URI with parameters added to whatever query it already has. */
export function redirectWith(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return url.href;
}
