import { createHash } from "node:crypto";

/** The inline `<script>` and `<style>` texts a set of pages carries, exactly as written in the HTML. */
export interface InlineContent {
  scripts?: readonly string[];
  styles?: readonly string[];
}

/**
 * The headers every HTML answer carries (the built-in IdP's pages, the /saml sign-in, later the console).
 * The pages show credentials and take passwords, so: nothing may frame them (clickjacking a sign-in button),
 * nothing but their own hashed inline script and style may run (an escaping slip then injects markup, not
 * code), forms post only back to fedsim, no URL leaks in a Referer, and no response is sniffed into
 * another type. Hashes rather than nonces: the inline content is fixed, so the header can be computed once.
 */
export function htmlSecurityHeaders(
  inline: InlineContent = {},
  /**
   * Origins a form on the page may end up at besides fedsim itself: browsers apply form-action to the
   * redirects after a submission too, so the OpenID sign-in names the client's registered redirect origin.
   */
  formTargets: readonly string[] = [],
): Readonly<Record<string, string>> {
  const directives = ["default-src 'none'"];
  if (inline.scripts?.length) directives.push(`script-src ${hashSources(inline.scripts)}`);
  if (inline.styles?.length) directives.push(`style-src ${hashSources(inline.styles)}`);
  // Neither falls back to default-src: each must be said.
  directives.push(
    ["form-action 'self'", ...formTargets].join(" "),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  );
  return Object.freeze({
    "Content-Security-Policy": directives.join("; "),
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
  });
}

function hashSources(texts: readonly string[]): string {
  return texts.map((t) => `'sha256-${createHash("sha256").update(t, "utf8").digest("base64")}'`).join(" ");
}
