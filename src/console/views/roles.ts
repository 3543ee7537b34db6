import { iamArn } from "../../core/arn.js";
import type { Store } from "../../store/store.js";
import { code, consolePage, e, facts, policyDetails, table, tagList } from "../layout.js";
import { anchor, ownedPolicies } from "./policies.js";

/** Each account's roles: a summary table, then each role's trust policy, permissions, boundary and tags. */
export function rolesPage(store: Store, accounts: readonly string[]): string {
  const body = accounts.map((accountId) => {
    const roles = store.roles.listByAccount(accountId);
    const summary = table({
      caption: `Roles of account ${accountId}`,
      head: ["Role", "Description", "Attached", "Inline", "Max session"],
      rows: roles.map((r) => [
        `<a href="#${e(anchor("role", r.name))}">${e(r.name)}</a>`,
        e(r.description ?? ""),
        String(store.policies.listAttached("role", r.id).length),
        String(store.policies.listInline("role", r.id).length),
        `${r.maxSessionDuration / 3600} h`,
      ]),
      empty: "No roles in this account.",
    });
    const cards = roles.map(
      (
        r,
      ) => `<article class="card" id="${e(anchor("role", r.name))}" aria-labelledby="${e(anchor("role-title", r.name))}">
<h3 id="${e(anchor("role-title", r.name))}">${e(r.name)}</h3>
${facts([
  ["ARN", code(iamArn(accountId, "role", r.name, r.path))],
  ["Role id", code(r.id)],
  ["Description", r.description ? e(r.description) : undefined],
  ["Max session", `${r.maxSessionDuration} s`],
  ["Permissions boundary", r.permissionsBoundaryArn ? code(r.permissionsBoundaryArn) : undefined],
  ["Tags", tagList(r.tags)],
])}
<h4>Trust policy</h4>${policyDetails("Who may assume it", r.assumeRolePolicy)}
${ownedPolicies(store, "role", r.id)}</article>`,
    );
    return `<section aria-labelledby="roles-${e(accountId)}"><h2 id="roles-${e(accountId)}">Account ${e(accountId)}</h2>
${summary}${cards.join("\n")}</section>`;
  });
  return consolePage({
    title: "Roles",
    section: "/roles",
    body: `<p class="lead">Who may assume each role (its trust policy) and what its sessions may do.</p>${body.join("\n")}`,
  });
}
