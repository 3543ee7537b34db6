import type { Db } from "./database.js";
import type { ReadCache } from "./readCache.js";

export type PolicyOwnerKind = "user" | "role";

export interface InlinePolicyRow {
  name: string;
  document: string;
}

export interface ManagedPolicyRow {
  arn: string;
  id: string;
  accountId: string;
  name: string;
  path: string;
  description: string | null;
  defaultVersionId: string;
  nextVersion: number;
  createdAt: number;
  updatedAt: number;
}

export interface PolicyVersionRow {
  policyArn: string;
  versionId: string;
  document: string;
  createdAt: number;
}

const MANAGED = `arn, id, account_id AS accountId, name, path, description, default_version_id AS defaultVersionId,
  next_version AS nextVersion, created_at AS createdAt, updated_at AS updatedAt`;

/** Inline policies, customer/AWS managed policies with versions, and attachments. */
export class PolicyRepository {
  private readonly inlineGet;
  private readonly inlineList;
  private readonly inlinePut;
  private readonly inlineDelete;
  private readonly inlineDeleteAll;
  private readonly managedGet;
  private readonly managedList;
  private readonly managedInsert;
  private readonly managedUpdate;
  private readonly managedDelete;
  private readonly versionGet;
  private readonly versionList;
  private readonly versionInsert;
  private readonly versionDelete;
  private readonly attachedList;
  private readonly attachedInsert;
  private readonly attachedDelete;
  private readonly attachedDeleteAll;
  private readonly attachmentCount;
  private readonly boundaryCount;

  constructor(
    private readonly db: Db,
    private readonly cache: ReadCache,
  ) {
    this.inlineGet = db.prepare(
      "SELECT name, document FROM inline_policies WHERE owner_kind = ? AND owner_id = ? AND name = ?",
    );
    this.inlineList = db.prepare(
      "SELECT name, document FROM inline_policies WHERE owner_kind = ? AND owner_id = ? ORDER BY name",
    );
    this.inlinePut =
      db.prepare(`INSERT INTO inline_policies (owner_kind, owner_id, name, document) VALUES (?, ?, ?, ?)
      ON CONFLICT (owner_kind, owner_id, name) DO UPDATE SET document = excluded.document`);
    this.inlineDelete = db.prepare(
      "DELETE FROM inline_policies WHERE owner_kind = ? AND owner_id = ? AND name = ?",
    );
    this.inlineDeleteAll = db.prepare("DELETE FROM inline_policies WHERE owner_kind = ? AND owner_id = ?");
    this.managedGet = db.prepare(`SELECT ${MANAGED} FROM managed_policies WHERE arn = ?`);
    this.managedList = db.prepare(
      `SELECT ${MANAGED} FROM managed_policies WHERE account_id IN (?, 'aws') ORDER BY name`,
    );
    this.managedInsert =
      db.prepare(`INSERT INTO managed_policies (arn, id, account_id, name, path, description,
      default_version_id, next_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.managedUpdate = db.prepare(
      "UPDATE managed_policies SET default_version_id = ?, next_version = ?, updated_at = ?, description = ? WHERE arn = ?",
    );
    this.managedDelete = db.prepare("DELETE FROM managed_policies WHERE arn = ?");
    this.versionGet = db.prepare(
      "SELECT policy_arn AS policyArn, version_id AS versionId, document, created_at AS createdAt FROM policy_versions WHERE policy_arn = ? AND version_id = ?",
    );
    this.versionList = db.prepare(
      "SELECT policy_arn AS policyArn, version_id AS versionId, document, created_at AS createdAt FROM policy_versions WHERE policy_arn = ? ORDER BY created_at DESC",
    );
    this.versionInsert = db.prepare(
      "INSERT INTO policy_versions (policy_arn, version_id, document, created_at) VALUES (?, ?, ?, ?)",
    );
    this.versionDelete = db.prepare("DELETE FROM policy_versions WHERE policy_arn = ? AND version_id = ?");
    this.attachedList = db.prepare(
      "SELECT policy_arn AS policyArn FROM attached_policies WHERE owner_kind = ? AND owner_id = ? ORDER BY policy_arn",
    );
    this.attachedInsert = db.prepare(
      "INSERT OR IGNORE INTO attached_policies (owner_kind, owner_id, policy_arn) VALUES (?, ?, ?)",
    );
    this.attachedDelete = db.prepare(
      "DELETE FROM attached_policies WHERE owner_kind = ? AND owner_id = ? AND policy_arn = ?",
    );
    this.attachedDeleteAll = db.prepare(
      "DELETE FROM attached_policies WHERE owner_kind = ? AND owner_id = ?",
    );
    this.attachmentCount = db.prepare("SELECT COUNT(*) AS n FROM attached_policies WHERE policy_arn = ?");
    this.boundaryCount = db.prepare(
      "SELECT (SELECT COUNT(*) FROM users WHERE permissions_boundary_arn = ?) + (SELECT COUNT(*) FROM roles WHERE permissions_boundary_arn = ?) AS n",
    );
  }

  getInline(kind: PolicyOwnerKind, ownerId: string, name: string): InlinePolicyRow | undefined {
    return this.cache.get(
      `policies.getInline:${kind}:${ownerId}:${name}`,
      () => this.inlineGet.get(kind, ownerId, name) as InlinePolicyRow | undefined,
    );
  }

  listInline(kind: PolicyOwnerKind, ownerId: string): InlinePolicyRow[] {
    return this.cache.get(
      `policies.listInline:${kind}:${ownerId}`,
      () => this.inlineList.all(kind, ownerId) as InlinePolicyRow[],
    );
  }

  putInline(kind: PolicyOwnerKind, ownerId: string, name: string, document: string): void {
    this.cache.clear();
    this.inlinePut.run(kind, ownerId, name, document);
  }

  deleteInline(kind: PolicyOwnerKind, ownerId: string, name: string): boolean {
    this.cache.clear();
    return this.inlineDelete.run(kind, ownerId, name).changes > 0;
  }

  deleteAllFor(kind: PolicyOwnerKind, ownerId: string): void {
    this.cache.clear();
    this.inlineDeleteAll.run(kind, ownerId);
    this.attachedDeleteAll.run(kind, ownerId);
  }

  getManaged(arn: string): ManagedPolicyRow | undefined {
    return this.cache.get(
      `policies.getManaged:${arn}`,
      () => this.managedGet.get(arn) as ManagedPolicyRow | undefined,
    );
  }

  /** Customer-managed policies of the account plus AWS-managed ones. */
  listManaged(accountId: string): ManagedPolicyRow[] {
    return this.managedList.all(accountId) as ManagedPolicyRow[];
  }

  /** The policy and its first version, together or not at all. */
  createManaged(policy: ManagedPolicyRow, document: string): void {
    this.cache.clear();
    this.db.transaction(() => this.insertManaged(policy, document))();
  }

  private insertManaged(policy: ManagedPolicyRow, document: string): void {
    this.managedInsert.run(
      policy.arn,
      policy.id,
      policy.accountId,
      policy.name,
      policy.path,
      policy.description,
      policy.defaultVersionId,
      policy.nextVersion,
      policy.createdAt,
      policy.updatedAt,
    );
    this.versionInsert.run(policy.arn, policy.defaultVersionId, document, policy.createdAt);
  }

  saveManaged(policy: ManagedPolicyRow): void {
    this.cache.clear();
    this.managedUpdate.run(
      policy.defaultVersionId,
      policy.nextVersion,
      policy.updatedAt,
      policy.description,
      policy.arn,
    );
  }

  deleteManaged(arn: string): void {
    this.cache.clear();
    this.managedDelete.run(arn);
  }

  getVersion(arn: string, versionId: string): PolicyVersionRow | undefined {
    return this.cache.get(
      `policies.getVersion:${arn}:${versionId}`,
      () => this.versionGet.get(arn, versionId) as PolicyVersionRow | undefined,
    );
  }

  listVersions(arn: string): PolicyVersionRow[] {
    return this.versionList.all(arn) as PolicyVersionRow[];
  }

  addVersion(version: PolicyVersionRow): void {
    this.cache.clear();
    this.versionInsert.run(version.policyArn, version.versionId, version.document, version.createdAt);
  }

  deleteVersion(arn: string, versionId: string): void {
    this.cache.clear();
    this.versionDelete.run(arn, versionId);
  }

  listAttached(kind: PolicyOwnerKind, ownerId: string): string[] {
    return this.cache.get(`policies.listAttached:${kind}:${ownerId}`, () =>
      (this.attachedList.all(kind, ownerId) as { policyArn: string }[]).map((r) => r.policyArn),
    );
  }

  attach(kind: PolicyOwnerKind, ownerId: string, policyArn: string): void {
    this.cache.clear();
    this.attachedInsert.run(kind, ownerId, policyArn);
  }

  detach(kind: PolicyOwnerKind, ownerId: string, policyArn: string): boolean {
    this.cache.clear();
    return this.attachedDelete.run(kind, ownerId, policyArn).changes > 0;
  }

  attachmentCountOf(policyArn: string): number {
    return (this.attachmentCount.get(policyArn) as { n: number }).n;
  }

  /** Users and roles that use this policy as their permissions boundary. */
  boundaryUsageCountOf(policyArn: string): number {
    return (this.boundaryCount.get(policyArn, policyArn) as { n: number }).n;
  }
}
