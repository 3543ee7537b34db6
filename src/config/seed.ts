import { readFileSync } from "node:fs";
import { iamArn } from "../core/arn.js";
import { newUniqueId } from "../core/ids.js";
import { oidcProviderName } from "../core/oidc/providerName.js";
import type { Store } from "../store/store.js";
import type { Tag } from "../store/tags.js";
import { awsManagedPolicies, awsManagedPolicyArn } from "./awsManagedPolicies.js";
import { ConfigError, type LoadedConfig, resolveFromConfig } from "./configError.js";
import type { AccountConfig } from "./schema.js";
import { seedIdentityPools } from "./seedIdentityPools.js";
import { seedUserPools } from "./seedUserPools.js";

export interface SeedDependencies {
  now: number;
  /** Metadata XML of the built-in test IdP, for SAML providers configured with `metadata: builtin`. */
  builtinSamlMetadata?: () => string;
  /** Validates a policy document; throws with a message naming the problem. */
  validatePolicy?: (document: string, kind: "identity" | "trust") => void;
  /**
   * Told of each problem (the field's path and what is wrong) instead of stopping at the first with a
   * ConfigError; the entry at fault is skipped or stored as written. For checking a file, not serving it.
   */
  onProblem?: (path: string, message: string) => void;
}

/**
 * Seeds the store from the config, idempotently: entities are matched by name, created when missing
 * and updated when the file says otherwise; ids and issued sessions are kept. Entities created
 * through the API are left alone. Returns how many rows were written, so a second run can show 0.
 */
export function seedStore(store: Store, loaded: LoadedConfig, deps: SeedDependencies): number {
  let changes = 0;
  const seed = new Seeder(store, loaded.file, deps, () => changes++, loaded.config.region);
  store.transaction(
    () => {
      seed.awsManagedPolicies();
      for (const [i, account] of loaded.config.accounts.entries()) seed.account(account, `accounts[${i}]`);
      // Cognito user pools: their own seeder (src/config/seedUserPools.ts).
      changes += seedUserPools(store, loaded.config, deps.now, loaded.file);
      // Another fedsim starting on the same file at the same moment seeds after this one, not into it.
    },
    { immediate: true },
  );
  return changes;
}

class Seeder {
  constructor(
    private readonly store: Store,
    private readonly file: string,
    private readonly deps: SeedDependencies,
    private readonly changed: () => void,
    private readonly region: string,
  ) {}

  awsManagedPolicies(): void {
    for (const p of awsManagedPolicies) {
      this.managedPolicy("aws", p.name, p.path, p.description, JSON.stringify(p.document));
    }
  }

  account(account: AccountConfig, at: string): void {
    const { store } = this;
    if (store.accounts.upsert(account.id, account.alias ?? null, this.deps.now)) this.changed();
    for (const k of account.rootAccessKeys) this.accessKey(account.id, null, k);
    for (const [i, p] of account.policies.entries()) {
      const document = this.document(p.document, "identity", `${at}.policies[${i}].document`);
      this.managedPolicy(account.id, p.name, p.path, p.description ?? null, document);
    }
    for (const [i, u] of account.users.entries()) this.user(account.id, u, `${at}.users[${i}]`);
    for (const [i, r] of account.roles.entries()) this.role(account.id, r, `${at}.roles[${i}]`);
    for (const [i, p] of account.samlProviders.entries())
      this.samlProvider(account.id, p, `${at}.samlProviders[${i}]`);
    for (const p of account.oidcProviders) {
      const arn = iamArn(account.id, "oidc-provider", oidcProviderName(p.url), "/");
      const existing = store.identityProviders.getOidc(arn);
      const next = {
        arn,
        accountId: account.id,
        url: p.url,
        clientIds: p.clientIds,
        thumbprints: p.thumbprints,
        tags: existing?.tags ?? [],
        createdAt: existing?.createdAt ?? this.deps.now,
      };
      if (!existing || JSON.stringify(existing) !== JSON.stringify(next)) {
        store.identityProviders.putOidc(next);
        this.changed();
      }
    }
    seedIdentityPools(store, account, at, {
      region: this.region,
      now: this.deps.now,
      changed: this.changed,
      problem: (path, message) => this.problem(path, message),
    });
  }

  private user(accountId: string, u: AccountConfig["users"][number], at: string): void {
    const { store } = this;
    let row = store.users.findByName(accountId, u.name);
    const tags = toTags(u.tags);
    if (!row) {
      row = {
        id: newUniqueId("AIDA"),
        accountId,
        name: u.name,
        path: u.path,
        permissionsBoundaryArn: u.permissionsBoundary ?? null,
        tags,
        createdAt: this.deps.now,
      };
      store.users.create(row);
      this.changed();
    } else {
      const changed =
        row.path !== u.path ||
        row.permissionsBoundaryArn !== (u.permissionsBoundary ?? null) ||
        JSON.stringify(row.tags) !== JSON.stringify(tags);
      if (changed) {
        store.users.updatePath(row.id, u.path);
        store.users.updateBoundary(row.id, u.permissionsBoundary ?? null);
        store.users.updateTags(row.id, tags);
        this.changed();
      }
    }
    for (const k of u.accessKeys) this.accessKey(accountId, row.id, k);
    this.inlineAndAttached(accountId, "user", row.id, u.inlinePolicies, u.attachedPolicies, at);
    this.boundaryInAccount(accountId, u.permissionsBoundary, at);
  }

  private role(accountId: string, r: AccountConfig["roles"][number], at: string): void {
    const { store } = this;
    const existing = store.roles.findByName(accountId, r.name);
    const next = {
      id: existing?.id ?? newUniqueId("AROA"),
      accountId,
      name: existing?.name ?? r.name,
      path: r.path,
      description: r.description ?? null,
      assumeRolePolicy: this.document(r.assumeRolePolicy, "trust", `${at}.assumeRolePolicy`),
      maxSessionDuration: r.maxSessionDuration,
      permissionsBoundaryArn: r.permissionsBoundary ?? null,
      tags: toTags(r.tags),
      createdAt: existing?.createdAt ?? this.deps.now,
    };
    if (!existing) {
      store.roles.create(next);
      this.changed();
    } else if (JSON.stringify(existing) !== JSON.stringify(next)) {
      store.roles.save(next);
      this.changed();
    }
    this.inlineAndAttached(accountId, "role", next.id, r.inlinePolicies, r.attachedPolicies, at);
    this.boundaryInAccount(accountId, r.permissionsBoundary, at);
  }

  /** A permissions boundary, like an attachment, is a managed policy of the entity's own account or AWS's. */
  private boundaryInAccount(accountId: string, arn: string | undefined, at: string): void {
    if (arn !== undefined && !inAccount(arn, accountId))
      this.problem(`${at}.permissionsBoundary`, crossAccountMessage(arn, accountId));
  }

  private inlineAndAttached(
    accountId: string,
    kind: "user" | "role",
    ownerId: string,
    inline: Record<string, unknown>,
    attached: string[],
    at: string,
  ): void {
    const { store } = this;
    for (const [name, doc] of Object.entries(inline)) {
      const document = this.document(doc as string | object, "identity", `${at}.inlinePolicies.${name}`);
      if (store.policies.getInline(kind, ownerId, name)?.document !== document) {
        store.policies.putInline(kind, ownerId, name, document);
        this.changed();
      }
    }
    const current = new Set(store.policies.listAttached(kind, ownerId));
    for (const [i, arn] of attached.entries()) {
      // IAM has no cross-account managed policies: the owner's later edits would decide this account's permissions.
      if (!inAccount(arn, accountId)) {
        this.problem(`${at}.attachedPolicies[${i}]`, crossAccountMessage(arn, accountId));
        continue;
      }
      if (current.has(arn)) continue;
      if (!store.policies.getManaged(arn)) {
        this.problem(
          `${at}.attachedPolicies[${i}]`,
          `no managed policy ${arn} (define it under the account's policies)`,
        );
        continue;
      }
      store.policies.attach(kind, ownerId, arn);
      this.changed();
    }
  }

  private accessKey(accountId: string, userId: string | null, k: { id: string; secret: string }): void {
    const existing = this.store.accessKeys.get(k.id);
    if (!existing) {
      this.store.accessKeys.create({
        accessKeyId: k.id,
        secretAccessKey: k.secret,
        accountId,
        userId,
        status: "Active",
        createdAt: this.deps.now,
      });
      this.changed();
    } else if (
      existing.secretAccessKey !== k.secret ||
      existing.userId !== userId ||
      existing.accountId !== accountId
    ) {
      this.store.accessKeys.rebind({ accessKeyId: k.id, secretAccessKey: k.secret, userId, accountId });
      this.changed();
    }
  }

  /** Config is the source of truth for its policies: a changed document replaces the default version's text. */
  private managedPolicy(
    accountId: string,
    name: string,
    path: string,
    description: string | null,
    document: string,
  ): void {
    const { store } = this;
    const arn =
      accountId === "aws" ? awsManagedPolicyArn(name, path) : iamArn(accountId, "policy", name, path);
    const existing = store.policies.getManaged(arn);
    if (!existing) {
      const now = this.deps.now;
      store.policies.createManaged(
        {
          arn,
          id: newUniqueId("ANPA"),
          accountId,
          name,
          path,
          description,
          defaultVersionId: "v1",
          nextVersion: 2,
          createdAt: now,
          updatedAt: now,
        },
        document,
      );
      this.changed();
      return;
    }
    const current = store.policies.getVersion(arn, existing.defaultVersionId);
    if (current?.document !== document) {
      store.policies.deleteVersion(arn, existing.defaultVersionId);
      store.policies.addVersion({
        policyArn: arn,
        versionId: existing.defaultVersionId,
        document,
        createdAt: this.deps.now,
      });
      this.changed();
    }
  }

  private samlProvider(
    accountId: string,
    p: { name: string; metadata?: string; metadataFile?: string },
    at: string,
  ): void {
    let metadata: string;
    if (p.metadata === "builtin") {
      if (!this.deps.builtinSamlMetadata) {
        this.problem(`${at}.metadata`, "the built-in IdP is not available");
        return;
      }
      metadata = this.deps.builtinSamlMetadata();
    } else if (p.metadata !== undefined) {
      metadata = p.metadata;
    } else {
      const path = resolveFromConfig(this.file, p.metadataFile!);
      try {
        metadata = readFileSync(path, "utf8");
      } catch {
        this.problem(`${at}.metadataFile`, `cannot read ${path}`);
        return;
      }
    }
    const arn = iamArn(accountId, "saml-provider", p.name, "/");
    const existing = this.store.identityProviders.getSaml(arn);
    if (existing?.metadata === metadata) return;
    this.store.identityProviders.putSaml({
      arn,
      accountId,
      name: p.name,
      metadata,
      validUntil: null,
      tags: existing?.tags ?? [],
      createdAt: existing?.createdAt ?? this.deps.now,
    });
    this.changed();
  }

  /** Normalises a config policy to the JSON text stored and returned by the API, validating it. */
  private document(doc: string | object, kind: "identity" | "trust", at: string): string {
    const text = typeof doc === "string" ? doc : JSON.stringify(doc);
    try {
      if (this.deps.validatePolicy) this.deps.validatePolicy(text, kind);
      else JSON.parse(text);
    } catch (error) {
      this.problem(at, `invalid policy document: ${(error as Error).message}`);
    }
    return text;
  }

  /** Stops seeding with a ConfigError naming the file and field, unless the caller collects problems. */
  private problem(path: string, message: string): void {
    if (!this.deps.onProblem) throw new ConfigError(`${this.file}: ${path}: ${message}`);
    this.deps.onProblem(path, message);
  }
}

function toTags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/** Whether a managed policy ARN belongs to the account (or is AWS-managed, which every account sees). */
function inAccount(arn: string, accountId: string): boolean {
  const owner = /^arn:[^:]+:iam::([^:]*):policy\//.exec(arn)?.[1];
  return owner === undefined || owner === "aws" || owner === accountId;
}

function crossAccountMessage(arn: string, accountId: string): string {
  return `${arn} belongs to another account: a managed policy can be attached only in its own account (${accountId}) or be AWS-managed`;
}
