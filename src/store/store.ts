import { AccessKeyRepository } from "./accessKeys.js";
import { AccountRepository } from "./accounts.js";
import { CognitoIdentityRepository } from "./cognitoIdentities.js";
import { type Db, openDatabase } from "./database.js";
import { DecisionRepository } from "./decisions.js";
import { IdentityPoolRepository } from "./identityPools.js";
import { IdentityProviderRepository } from "./identityProviders.js";
import { PolicyRepository } from "./policies.js";
import { ReadCache } from "./readCache.js";
import { RoleRepository } from "./roles.js";
import { SamlAssertionRepository } from "./samlAssertions.js";
import { ServerSecretRepository } from "./serverSecrets.js";
import { SessionRepository } from "./sessions.js";
import { UserRepository } from "./users.js";

/** The repositories over one SQLite database, and the transaction every multi-row write goes through. */
export class Store {
  readonly accounts: AccountRepository;
  readonly users: UserRepository;
  readonly accessKeys: AccessKeyRepository;
  readonly roles: RoleRepository;
  readonly policies: PolicyRepository;
  readonly identityProviders: IdentityProviderRepository;
  readonly sessions: SessionRepository;
  readonly samlAssertions: SamlAssertionRepository;
  readonly secrets: ServerSecretRepository;
  readonly decisions: DecisionRepository;
  readonly identityPools: IdentityPoolRepository;
  readonly cognitoIdentities: CognitoIdentityRepository;

  /** Reads of IAM entities until the next write to them (see ReadCache). */
  private readonly cache = new ReadCache();

  constructor(readonly db: Db) {
    this.accounts = new AccountRepository(db);
    this.users = new UserRepository(db, this.cache);
    this.accessKeys = new AccessKeyRepository(db, this.cache);
    this.roles = new RoleRepository(db, this.cache);
    this.policies = new PolicyRepository(db, this.cache);
    this.identityProviders = new IdentityProviderRepository(db, this.cache);
    this.sessions = new SessionRepository(db);
    this.samlAssertions = new SamlAssertionRepository(db);
    this.secrets = new ServerSecretRepository(db);
    this.decisions = new DecisionRepository(db);
    this.identityPools = new IdentityPoolRepository(db, this.cache);
    this.cognitoIdentities = new CognitoIdentityRepository(db, this.cache);
  }

  /**
   * A value worked out from IAM entities (a caller's policies), kept until the next write to them, as the
   * reads it was made from are; frozen like them.
   */
  derived<T>(key: string, load: () => T): T {
    return this.cache.get(`derived:${key}`, load);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  /**
   * Runs fn atomically; better-sqlite3 transactions nest as savepoints. `immediate` takes the write lock at
   * the start, for a transaction that reads before it writes while another process may write the same file
   * (seeding): a deferred one would fail with SQLITE_BUSY at its first write instead of waiting its turn.
   */
  transaction<T>(fn: () => T, options: { immediate?: boolean } = {}): T {
    const outermost = !this.db.inTransaction;
    // Writes made before, outside any transaction, committed as they ran.
    if (outermost) this.cache.committed();
    try {
      const run = this.db.transaction(fn);
      const result = options.immediate && outermost ? run.immediate() : run();
      if (outermost) this.cache.committed();
      return result;
    } catch (error) {
      // Rolled back (a savepoint, or all of it): reads cached inside may have seen writes now undone.
      this.cache.rolledBack();
      throw error;
    }
  }

  /**
   * Empties every table but the schema's own record and the server secrets (keys stay keys), in one
   * transaction, for a reset to the config. Tables are found from the schema, so later migrations' tables
   * are emptied too.
   */
  empty(): void {
    // Sessions issued before the reset are written before it, not after.
    this.sessions.commitStaged();
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    this.transaction(() => {
      // Rows reference each other: check foreign keys at commit, when every table is empty.
      this.db.pragma("defer_foreign_keys = ON");
      for (const table of tables)
        if (table !== "schema_migrations" && table !== "server_secrets")
          this.db.prepare(`DELETE FROM "${table}"`).run();
    });
    this.cache.clear();
    this.sessions.forget();
  }

  close(): void {
    if (this.db.open) {
      this.sessions.commitStaged();
      this.db.close();
    }
  }
}
