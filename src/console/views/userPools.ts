import type { Store } from "../../store/store.js";
import { userPoolRepository } from "../../store/userPools.js";
import { code, consolePage, e, facts, table, time } from "../layout.js";

/** Each Cognito user pool: its app clients, groups (with their roles) and users (never password material). */
export function userPoolsPage(store: Store, accounts: readonly string[], region: string): string {
  const repo = userPoolRepository(store);
  const pools = accounts.flatMap((a) => repo.listPools(a, region));
  const cards = pools.map((p, i) => {
    const users = repo.listUsers(p.id);
    return `<article class="card" aria-labelledby="user-pool-${i}"><h2 id="user-pool-${i}">${e(p.name)}</h2>
${facts([
  ["Pool id", code(p.id)],
  ["Account", code(p.accountId)],
  ["Created", time(p.createdAt)],
])}
${table({
  caption: `App clients of ${p.name}`,
  head: ["Client", "Client id", "Auth flows", "Secret"],
  rows: repo
    .listClients(p.id)
    .map((c) => [
      e(c.name),
      code(c.id),
      c.settings.explicitAuthFlows.map(code).join(" "),
      c.secret ? "yes" : "no (public client)",
    ]),
  empty: "No app clients.",
})}
${table({
  caption: `Groups of ${p.name}`,
  head: ["Group", "Role", "Precedence", "Description"],
  rows: repo
    .listGroups(p.id)
    .map((g) => [
      e(g.name),
      g.roleArn ? code(g.roleArn) : "",
      g.precedence === null ? "" : String(g.precedence),
      e(g.description ?? ""),
    ]),
  empty: "No groups.",
})}
${table({
  caption: `Users of ${p.name}`,
  head: ["Username", "Status", "Groups", "Attributes", "Created"],
  rows: users.map((u) => [
    e(u.username),
    `${e(u.status)}${u.enabled ? "" : " (disabled)"}`,
    repo
      .groupsOf(p.id, u.username)
      .map((g) => e(g.name))
      .join(", "),
    Object.entries(u.attributes)
      .map(([k, v]) => code(`${k}=${v}`))
      .join(" "),
    time(u.createdAt),
  ]),
  empty: "No users.",
})}</article>`;
  });
  return consolePage({
    title: "User pools",
    section: "/user-pools",
    body: `<p class="lead">Cognito user pools: people who sign in to an app, and the groups that give them roles.</p>${
      cards.length ? cards.join("\n") : `<p class="muted">No user pools in ${e(region)}.</p>`
    }`,
  });
}
