import type { Store } from "../../store/store.js";
import { code, consolePage, e, facts, policyDetails, table, tagList, time } from "../layout.js";

const MAX_IDENTITIES = 500;

/** Each Cognito identity pool: its providers, roles and rules, and the identities it has handed out. */
export function identityPoolsPage(store: Store, accounts: readonly string[], region: string): string {
  const pools = accounts.flatMap((a) => store.identityPools.list(a, region, "", 1000));
  const cards = pools.map((p, i) => {
    const identities = store.cognitoIdentities.list(p.id, "", MAX_IDENTITIES, false);
    const providers = [
      ...Object.keys(p.supportedLoginProviders).map((k) => `${k} (app id ${p.supportedLoginProviders[k]})`),
      ...(p.developerProviderName ? [`${p.developerProviderName} (developer provider)`] : []),
      ...p.openIdConnectProviderArns,
      ...p.cognitoIdentityProviders.map(
        (c) => `${c.ProviderName}${c.ClientId ? ` (client ${c.ClientId})` : ""}`,
      ),
      ...p.samlProviderArns,
    ];
    return `<article class="card" aria-labelledby="pool-${i}"><h2 id="pool-${i}">${e(p.name)}</h2>
${facts([
  ["Pool id", code(p.id)],
  ["Account", code(p.accountId)],
  ["Guests", p.allowUnauthenticated ? "allowed (unauthenticated identities)" : "not allowed"],
  ["Basic (classic) flow", p.allowClassicFlow ? "allowed" : "not allowed"],
  ["Authenticated role", Object.hasOwn(p.roles, "authenticated") ? code(p.roles.authenticated!) : undefined],
  ["Guest role", Object.hasOwn(p.roles, "unauthenticated") ? code(p.roles.unauthenticated!) : undefined],
  [
    "Login providers",
    providers.length
      ? `<ul class="chips">${providers.map((x) => `<li>${code(x)}</li>`).join("")}</ul>`
      : undefined,
  ],
  ["Tags", tagList(p.tags)],
])}
${Object.keys(p.roleMappings).length ? policyDetails("Role mappings", JSON.stringify(p.roleMappings)) : ""}
${table({
  caption: `Identities of ${p.name}${identities.length === MAX_IDENTITIES ? ` (first ${MAX_IDENTITIES})` : ""}`,
  head: ["Identity id", "Linked logins", "Created", "State"],
  rows: identities.map((id) => [
    code(id.id),
    store.cognitoIdentities
      .logins(id.id)
      .map((l) => `${code(l.provider)} ${e(l.subject)}`)
      .join("<br>") || `<span class="muted">none (a guest)</span>`,
    time(id.createdAt),
    id.disabled ? "disabled" : "active",
  ]),
  empty: "No identities yet: GetId makes one on a person's first sign-in.",
})}</article>`;
  });
  return consolePage({
    title: "Identity pools",
    section: "/identity-pools",
    body: `<p class="lead">Cognito identity pools turn a login into AWS credentials for a role.</p>${
      cards.length ? cards.join("\n") : `<p class="muted">No identity pools in ${e(region)}.</p>`
    }`,
  });
}
