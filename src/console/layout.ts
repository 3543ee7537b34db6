import type { Response } from "express";
import { xmlEscape } from "../core/saml/xmlEscape.js";
import { htmlSecurityHeaders } from "../web/securityHeaders.js";
import { THEME_CSS } from "../web/theme.js";
import { LIVE_LOG_SCRIPT } from "./liveLog.js";

/** Escapes text for element content or a double-quoted attribute: every value from the store goes through it. */
export const e = xmlEscape;

const CONSOLE_CSS = `${THEME_CSS}
.top{background:var(--panel);border-bottom:1px solid var(--line)}
.top .bar{max-width:84rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:center}
.brand{font-weight:700;color:var(--text);text-decoration:none;font-size:1.05rem}
nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem .3rem;margin:0;padding:0}
nav a{display:block;padding:.3rem .6rem;border-radius:.3rem;text-decoration:none;color:var(--text)}
nav a:hover{background:var(--code-bg)}nav a[aria-current=page]{background:var(--accent);color:var(--accent-text)}
main.wide{max-width:84rem}
.lead{color:var(--muted);margin-top:-.4rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.facts dt{font-weight:600;color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;background:var(--panel);border:1px solid var(--line);border-radius:.4rem;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:700;padding:.5rem 0;caption-side:top}
th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
thead th{font-size:.85rem;color:var(--muted);background:var(--code-bg)}
tbody tr:last-child>*{border-bottom:0}
td.empty{color:var(--muted);font-style:italic}
td small{display:block;color:var(--muted);font-size:.85rem}td time{white-space:nowrap}
@media (min-width:48.01rem){#decision-log{table-layout:fixed}
 #decision-log th:nth-child(1){width:6.5rem}#decision-log th:nth-child(2){width:10.5rem}#decision-log th:nth-child(3){width:16%}
 #decision-log th:nth-child(4){width:11%}#decision-log th:nth-child(5){width:16%}#decision-log th:nth-child(7){width:5.5rem}}
.status-line{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.5rem 0}
#live-status{font-weight:600}#live-status[data-state=live]::before{content:"\\25CF  ";color:var(--allow)}
#live-status[data-state=down]::before{content:"\\25CB  ";color:var(--deny)}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
.chips{display:flex;flex-wrap:wrap;gap:.3rem;margin:0;padding:0;list-style:none}
tr.new>*{animation:flash 2s ease-out}@keyframes flash{from{background:var(--code-bg)}to{background:transparent}}
@media (prefers-reduced-motion:reduce){tr.new>*{animation:none}}
@media (max-width:48rem){
 table.cards,table.cards tbody,table.cards tr,table.cards td,table.cards tbody th{display:block}
 table.cards{border:0;background:transparent}table.cards caption{display:block}
 table.cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
 table.cards tr{background:var(--panel);border:1px solid var(--line);border-radius:.4rem;margin:.6rem 0;padding:.3rem 0}
 table.cards td,table.cards tbody th{border:0;padding:.2rem .8rem}
 table.cards [data-label]::before{content:attr(data-label);display:block;font-size:.78rem;font-weight:600;color:var(--muted)}
 dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.3rem}
}
`;

/**
 * Every console page carries the same policy: the live log's script and the stylesheet by hash, nothing
 * else; connections only back to fedsim (the Server-Sent Events of the decision log). No frames, no forms
 * elsewhere, no Referer (a ?token= link must not leak).
 */
const HEADERS: Readonly<Record<string, string>> = (() => {
  const base = htmlSecurityHeaders({ scripts: [LIVE_LOG_SCRIPT], styles: [CONSOLE_CSS] });
  return Object.freeze({
    ...base,
    "Content-Security-Policy": `${base["Content-Security-Policy"]}; connect-src 'self'`,
  });
})();

export type ConsoleHtml = (res: Response, status: number, body: string) => void;

export const sendHtml: ConsoleHtml = (res, status, body) => {
  res.status(status).type("html").set("Cache-Control", "no-store").set(HEADERS).send(body);
};

export const SECTIONS = [
  ["", "Decisions"],
  ["/roles", "Roles"],
  ["/users", "Users"],
  ["/identity-pools", "Identity pools"],
  ["/user-pools", "User pools"],
  ["/sessions", "Sessions"],
  ["/apis", "APIs"],
] as const;

export type Section = (typeof SECTIONS)[number][0];

/** A console page: skip link, the sections' navigation (the current one marked), one main landmark. */
export function consolePage(input: {
  title: string;
  section?: Section;
  body: string;
  /** Runs the live decision log (the overview only). */
  live?: boolean;
}): string {
  const nav = SECTIONS.map(
    ([path, label]) =>
      `<li><a href="/_fedsim/console${path}"${input.section === path ? ' aria-current="page"' : ""}>${label}</a></li>`,
  ).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(input.title)} · fedsim console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CONSOLE_CSS}</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><div class="bar"><a class="brand" href="/_fedsim/console">fedsim console</a>
<nav aria-label="Console sections"><ul>${nav}</ul></nav></div></header>
<main id="main" class="wrap wide" tabindex="-1"><h1>${e(input.title)}</h1>
${input.body}
<p class="note">Read-only. Everything is shown as fedsim stores it; fedsim is for local testing only.</p></main>
${input.live ? `<script>${LIVE_LOG_SCRIPT}</script>` : ""}</body></html>`;
}

export function refusedPage(message: string): string {
  return consolePage({
    title: "Console access refused",
    body: `<p class="error" role="alert">${e(message)}</p>`,
  });
}

/** After ?token=: the cookie is set; move on to the page asked for, without the token in the address. */
export function signedInPage(path: string): string {
  const target = path.startsWith("/_fedsim/console") ? path : "/_fedsim/console";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Opening the fedsim console</title>
<meta http-equiv="refresh" content="0; url=${e(target)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CONSOLE_CSS}</style></head><body><main id="main" class="wrap">
<h1>Opening the fedsim console</h1><p><a href="${e(target)}">Continue to the console</a></p></main></body></html>`;
}

/** A table with a caption and column headers; `cells` are markup the caller escaped. */
export function table(input: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly string[])[];
  empty: string;
  id?: string;
  className?: string;
  /** Attributes of each row (data-id, class), escaped by the caller. */
  rowAttributes?: readonly string[];
  /** Attributes of the table itself (data-stream), escaped by the caller. */
  attributes?: string;
}): string {
  const head = input.head.map((h) => `<th scope="col">${e(h)}</th>`).join("");
  const body =
    input.rows.length === 0
      ? `<tr class="placeholder"><td class="empty" colspan="${input.head.length}">${e(input.empty)}</td></tr>`
      : input.rows
          .map(
            (cells, i) =>
              `<tr${input.rowAttributes?.[i] ?? ""}>${cells.map((c, j) => `<td data-label="${e(input.head[j] ?? "")}">${c}</td>`).join("")}</tr>`,
          )
          .join("\n");
  return `<table class="cards ${input.className ?? ""}"${input.id ? ` id="${e(input.id)}"` : ""}${input.attributes ?? ""}>
<caption>${e(input.caption)}</caption><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>`;
}

/** A term/definition list of facts; values are markup the caller escaped, absent ones left out. */
export function facts(entries: readonly [string, string | undefined][]): string {
  const items = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .map(([term, value]) => `<dt>${e(term)}</dt><dd>${value}</dd>`)
    .join("");
  return `<dl class="facts">${items}</dl>`;
}

/** A policy document, pretty-printed when it is JSON, behind a disclosure named for it. */
export function policyDetails(name: string, document: string, open = false): string {
  let text = document;
  try {
    text = JSON.stringify(JSON.parse(document), null, 2);
  } catch {
    // Shown as stored: a document that is not JSON is still worth seeing as it is.
  }
  return `<details${open ? " open" : ""}><summary>${e(name)}</summary><pre>${e(text)}</pre></details>`;
}

export function code(text: string): string {
  return `<code>${e(text)}</code>`;
}

export function time(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 19).replace("T", " ")} UTC</time>`;
}

export function tagList(tags: readonly { key: string; value: string }[] | Record<string, string>): string {
  const pairs = Array.isArray(tags)
    ? tags.map((t) => [t.key, t.value] as const)
    : Object.entries(tags as Record<string, string>);
  if (pairs.length === 0) return "";
  return `<ul class="chips">${pairs.map(([k, v]) => `<li>${code(`${k}=${v}`)}</li>`).join("")}</ul>`;
}
