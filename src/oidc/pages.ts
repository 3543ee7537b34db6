import { xmlEscape as e } from "../core/saml/xmlEscape.js";
import { page } from "../idp/pages.js";
import { AUTHORIZE_PARAMETERS } from "./authorizeRequest.js";

/**
 * The built-in OpenID issuer's sign-in page: the IdP's look, posting back to /oidc/authorize with the
 * authorization request carried in hidden fields (checked again on the post: nothing hidden is trusted).
 */
export function oidcLoginPage(input: {
  clientId: string;
  params: Readonly<Record<string, unknown>>;
  error?: string;
  username?: string;
}): string {
  const hidden = AUTHORIZE_PARAMETERS.map((name) => {
    const value = Object.hasOwn(input.params, name) ? input.params[name] : undefined;
    return typeof value === "string" ? `<input type="hidden" name="${name}" value="${e(value)}">` : "";
  }).join("");
  return page(
    `Sign in to ${input.clientId}`,
    `${input.error ? `<p class="error" role="alert">${e(input.error)}</p>` : ""}
<form method="post" action="/oidc/authorize">${hidden}
<label for="username">Username</label><input id="username" name="username" type="text" value="${e(input.username ?? "")}" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>
<p class="note">fedsim's built-in OpenID issuer signs an ID token for the client.</p>`,
  );
}

export function oidcErrorPage(message: string): string {
  return page("Sign-in request refused", `<p class="error" role="alert">${e(message)}</p>`);
}
