import { xmlEscape as e } from "../core/saml/xmlEscape.js";
import type { InlineContent } from "../web/securityHeaders.js";
import { THEME_CSS } from "../web/theme.js";

const STYLE = `${THEME_CSS}
body{max-width:42rem;margin:0 auto}.brand{font-weight:700;color:var(--muted);text-decoration:none;font-size:.9rem;letter-spacing:.02em}
.copy-row{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}.copy-row button{margin-top:0}
fieldset.plain{border:0;padding:0;margin:0;min-width:0}legend{font-weight:600;margin-bottom:.3rem}#exports{word-break:break-all}ol.next{padding-left:1.3rem}ol.next li{margin:.5rem 0}
`;
/**
 * The pages' one script: the copy button of the export lines (shown only where the script runs) and the
 * SAML hand-off's automatic post. One text, so that every page's policy allows exactly one hash.
 */
const PAGE_SCRIPT = `for(const b of document.querySelectorAll("button[data-copy]")){b.hidden=false;b.addEventListener("click",async()=>{const t=document.getElementById(b.dataset.copy);const s=document.getElementById(b.dataset.copy+"-status");let ok=false;try{await navigator.clipboard.writeText(t.textContent);ok=true}catch{const r=document.createRange();r.selectNodeContents(t);const g=getSelection();g.removeAllRanges();g.addRange(r);ok=document.execCommand("copy")}s.textContent=ok?"Copied to the clipboard.":"Selected: press Ctrl+C (or Cmd+C) to copy."})}const f=document.getElementById("saml");if(f)f.submit()`;

/** What the pages run and style inline, for the Content-Security-Policy's hashes. */
export const PAGE_INLINE_CONTENT: InlineContent = { scripts: [PAGE_SCRIPT], styles: [STYLE] };

/**
 * Server-rendered pages of the built-in test IdP, the local /saml sign-in twin and the built-in OpenID
 * issuer's sign-in (src/oidc/pages.ts). Every value is escaped; `body` is markup the caller escaped.
 */
export function page(title: string, body: string, options: { script?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(title)} · fedsim</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head><body><main id="main" class="wrap"><p><span class="brand">fedsim</span></p>
<h1>${e(title)}</h1>${body}
<p class="note">fedsim built-in test IdP: for local testing only.</p></main>${options.script ? `<script>${PAGE_SCRIPT}</script>` : ""}</body></html>`;
}

export function loginPage(error?: string, username = ""): string {
  return page(
    "Sign in to the fedsim test IdP",
    `${error ? `<p class="error" role="alert">${e(error)}</p>` : ""}
<form method="post" action="/idp/login" class="card">
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
<noscript><button type="submit">Continue</button></noscript></form>`,
    { script: true },
  );
}

export interface RoleChoice {
  arn: string;
  /** The role's description (from the config, or UpdateRole since). */
  description?: string | null;
}

export function rolePickerPage(samlResponse: string, roles: readonly RoleChoice[]): string {
  const options = roles
    .map(
      (r, i) =>
        `<label class="choice"><input type="radio" name="roleIndex" value="${i}"${i === 0 ? " checked" : ""}><span><strong>${e(roleName(r.arn))}</strong>${r.description ? `<span>${e(r.description)}</span><br>` : ""}<code>${e(r.arn)}</code></span></label>`,
    )
    .join("\n");
  return page(
    "Select a role",
    `<form method="post" action="/saml" class="card"><input type="hidden" name="SAMLResponse" value="${e(samlResponse)}">
<fieldset class="plain"><legend>The roles your assertion grants: choose one for this session.</legend>
${options}</fieldset>
<button type="submit">Sign in</button></form>`,
  );
}

/** What to do with fresh credentials: the gateway's first route without parameters, when there is one. */
export interface TryNext {
  /** A gateway URL to call with the session, e.g. http://127.0.0.1:4566/restapis/petstore/prod/_user_request_/pets. */
  apiUrl?: string;
}

export function credentialsPage(
  c: {
    arn: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiration: Date;
    endpoint: string;
    region: string;
  },
  next: TryNext = {},
): string {
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
<section class="card" aria-labelledby="exports-title"><h2 id="exports-title">Export lines for a shell</h2>
<pre id="exports">${e(exports)}</pre>
<div class="copy-row"><button type="button" data-copy="exports" hidden>Copy the export lines</button><span id="exports-status" role="status"></span></div></section>
<section aria-labelledby="next-title"><h2 id="next-title">Try next</h2><ol class="next">
<li>Paste the lines into a shell and ask who you are: <code>aws sts get-caller-identity</code></li>
${next.apiUrl ? `<li>Call the gateway with this session: <code>fedsim curl ${e(next.apiUrl)}</code> (a method the role may not use, <code>-X POST</code> say, shows a denial and its reason)</li>` : ""}
<li>Watch each decision, with the statement that made it, in the <a href="/_fedsim/console">fedsim console</a>.</li>
</ol></section>`,
    { script: true },
  );
}

export function errorPage(code: string, message: string): string {
  return page(
    "Sign-in failed",
    `<p class="error" role="alert">${e(code)}: ${e(message)}</p><p><a href="/idp/login">Back to sign-in</a></p>`,
  );
}

/** The role's name: the last segment of its ARN (after any path). */
function roleName(arn: string): string {
  const slash = arn.lastIndexOf("/");
  return slash === -1 ? arn : arn.slice(slash + 1);
}
