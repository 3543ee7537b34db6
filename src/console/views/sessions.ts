import type { Store } from "../../store/store.js";
import { code, consolePage, e, table, tagList, time } from "../layout.js";

const MAX_SESSIONS = 500;

/** Temporary credentials not yet expired, soonest to expire first (never their secrets or tokens). */
export function sessionsPage(store: Store, now: number): string {
  const sessions = store.sessions.listActive(now, MAX_SESSIONS);
  return consolePage({
    title: "Active sessions",
    section: "/sessions",
    body: `<p class="lead">Temporary credentials that still work, as of ${time(now)}.</p>
${table({
  caption: `Active sessions${sessions.length === MAX_SESSIONS ? ` (the ${MAX_SESSIONS} soonest to expire)` : ""}`,
  head: ["Principal", "Kind", "Access key id", "Issued", "Expires", "Left", "Tags"],
  rows: sessions.map((s) => [
    code(s.principalArn),
    `${e(s.kind)}${s.chained ? " (chained)" : ""}${s.sourceIdentity ? `<small>source identity ${e(s.sourceIdentity)}</small>` : ""}`,
    code(s.accessKeyId),
    time(s.issuedAt),
    time(s.expiresAt),
    e(left(s.expiresAt - now)),
    tagList(s.tags),
  ]),
  empty: "No active sessions: sign someone in and their session shows here until it expires.",
})}`,
  });
}

function left(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
