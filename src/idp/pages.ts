import { xmlEscape as e } from "../core/saml/xmlEscape.js";
import type { InlineContent } from "../web/securityHeaders.js";

const STYLE = `
body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem}label{display:block;margin:.6rem 0 .2rem}input[type=text],input[type=password]{width:18rem;padding:.4rem}
button{margin-top:1rem;padding:.5rem 1.2rem}pre{background:#f3f4f6;padding:1rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.error{color:#a11;font-weight:600}.note{color:#667;font-size:.9rem}
`;
const AUTO_POST_SCRIPT = `document.getElementById("saml").submit()`;

/** What the pages run and style inline, for the Content-Security-Policy's hashes. */
export const PAGE_INLINE_CONTENT: InlineContent = { scripts: [AUTO_POST_SCRIPT], styles: [STYLE] };

/**
 * Server-rendered pages of the built-in test IdP, the local /saml sign-in twin and the built-in OpenID
 * issuer's sign-in (src/oidc/pages.ts). Every value is escaped; `body` is markup the caller escaped.
 */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)} · fedsim</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head><body><h1>${e(title)}</h1>${body}
<p class="note">fedsim built-in test IdP: for local testing only.</p></body></html>`;
}

export function loginPage(error?: string, username = ""): string {
  return page(
    "Sign in to the fedsim test IdP",
    `${error ? `<p class="error" role="alert">${e(error)}</p>` : ""}
<form method="post" action="/idp/login">
<label for="username">Username</label><input id="username" name="username" type="text" value="${e(username)}" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

/** Posts the SAML Response to the sign-in endpoint, as an IdP's browser hand-off does. */
export function autoPostPage(action: string, samlResponse: string): string {
  return page(
    "Signing in…",
    `<form id="saml" method="post" action="${e(action)}"><input type="hidden" name="SAMLResponse" value="${e(samlResponse)}">
<noscript><button type="submit">Continue</button></noscript></form>
<script>${AUTO_POST_SCRIPT}</script>`,
  );
}

export function rolePickerPage(samlResponse: string, roles: readonly string[]): string {
  const options = roles
    .map(
      (r, i) =>
        `<label><input type="radio" name="roleIndex" value="${i}"${i === 0 ? " checked" : ""}> ${e(r)}</label>`,
    )
    .join("\n");
  return page(
    "Select a role",
    `<form method="post" action="/saml"><input type="hidden" name="SAMLResponse" value="${e(samlResponse)}">
${options}
<button type="submit">Sign in</button></form>`,
  );
}

export function credentialsPage(c: {
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  endpoint: string;
  region: string;
}): string {
  // The region too, so that the lines work pasted into a fresh shell: SDKs and the CLI refuse to sign
  // without one. AWS_REGION for the SDKs, AWS_DEFAULT_REGION for the AWS CLI v1 and older tools.
  const exports = [
    `export AWS_ACCESS_KEY_ID=${c.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${c.secretAccessKey}`,
    `export AWS_SESSION_TOKEN=${c.sessionToken}`,
    `export AWS_ENDPOINT_URL=${c.endpoint}`,
    `export AWS_REGION=${c.region}`,
    `export AWS_DEFAULT_REGION=${c.region}`,
  ].join("\n");
  return page(
    "Temporary credentials",
    `<p>Signed in as <strong id="assumed-role">${e(c.arn)}</strong>, valid until <time>${e(c.expiration.toISOString())}</time>.</p>
<pre id="exports">${e(exports)}</pre>`,
  );
}

export function errorPage(code: string, message: string): string {
  return page(
    "Sign-in failed",
    `<p class="error" role="alert">${e(code)}: ${e(message)}</p><p><a href="/idp/login">Back to sign-in</a></p>`,
  );
}
