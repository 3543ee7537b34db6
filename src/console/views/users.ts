import { iamArn } from "../../core/arn.js";
import type { Store } from "../../store/store.js";
import { code, consolePage, e, facts, table, tagList } from "../layout.js";
import { anchor, ownedPolicies } from "./policies.js";

/** Each account's IAM users, their access key ids (never secrets) and policies. */
export function usersPage(store: Store, accounts: readonly string[]): string {
  const body = accounts.map((accountId) => {
    const users = store.users.listByAccount(accountId);
    const summary = table({
      caption: `Users of account ${accountId}`,
      head: ["User", "Access keys", "Attached", "Inline"],
      rows: users.map((u) => [
        `<a href="#${e(anchor("user", u.name))}">${e(u.name)}</a>`,
        store.accessKeys
          .listByUser(u.id)
          .map((k) => `${code(k.accessKeyId)} <span class="muted">${e(k.status)}</span>`)
          .join("<br>"),
        String(store.policies.listAttached("user", u.id).length),
        String(store.policies.listInline("user", u.id).length),
      ]),
      empty: "No users in this account.",
    });
    const cards = users.map(
      (
        u,
      ) => `<article class="card" id="${e(anchor("user", u.name))}" aria-labelledby="${e(anchor("user-title", u.name))}">
<h3 id="${e(anchor("user-title", u.name))}">${e(u.name)}</h3>
${facts([
  ["ARN", code(iamArn(accountId, "user", u.name, u.path))],
  ["User id", code(u.id)],
  ["Permissions boundary", u.permissionsBoundaryArn ? code(u.permissionsBoundaryArn) : undefined],
  ["Tags", tagList(u.tags)],
])}
${ownedPolicies(store, "user", u.id)}</article>`,
    );
    return `<section aria-labelledby="users-${e(accountId)}"><h2 id="users-${e(accountId)}">Account ${e(accountId)}</h2>
${summary}${cards.join("\n")}</section>`;
  });
  return consolePage({
    title: "Users",
    section: "/users",
    body: `<p class="lead">IAM users with long-term access keys, and what their policies allow.</p>${body.join("\n")}`,
  });
}
