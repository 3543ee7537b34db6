/**
 * Numbered schema migrations. Append only: a shipped migration is never edited, because
 * users' data/fedsim.sqlite files already ran it. Times are epoch milliseconds.
 */
export const migrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "iam and sts core",
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  alias TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  permissions_boundary_arn TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, name COLLATE NOCASE)
);
CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  -- NULL user_id: the account's root user
  user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'Active',
  created_at INTEGER NOT NULL
);
CREATE INDEX access_keys_by_user ON access_keys(user_id);
CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  description TEXT,
  assume_role_policy TEXT NOT NULL,
  max_session_duration INTEGER NOT NULL DEFAULT 3600,
  permissions_boundary_arn TEXT,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL,
  UNIQUE (account_id, name COLLATE NOCASE)
);
CREATE TABLE inline_policies (
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'role')),
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (owner_kind, owner_id, name)
);
CREATE TABLE managed_policies (
  arn TEXT PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  -- 'aws' for AWS-managed policies
  account_id TEXT NOT NULL,
  name TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '/',
  description TEXT,
  default_version_id TEXT NOT NULL,
  next_version INTEGER NOT NULL DEFAULT 2,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE policy_versions (
  policy_arn TEXT NOT NULL REFERENCES managed_policies(arn) ON DELETE CASCADE,
  version_id TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (policy_arn, version_id)
);
CREATE TABLE attached_policies (
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'role')),
  owner_id TEXT NOT NULL,
  policy_arn TEXT NOT NULL REFERENCES managed_policies(arn),
  PRIMARY KEY (owner_kind, owner_id, policy_arn)
);
CREATE TABLE saml_providers (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  metadata TEXT NOT NULL,
  valid_until INTEGER,
  tags TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE TABLE oidc_providers (
  arn TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  url TEXT NOT NULL,
  client_ids TEXT NOT NULL DEFAULT '[]',
  thumbprints TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
-- Temporary credentials issued by STS (and later Cognito). The row is the session.
CREATE TABLE sessions (
  access_key_id TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  session_token TEXT NOT NULL UNIQUE,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user-session', 'assumed-role', 'federated-user')),
  principal_arn TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- the long-term identity behind it: user id for user-session/federated-user, role id for assumed-role
  source_id TEXT,
  role_arn TEXT,
  session_name TEXT,
  session_policies TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  transitive_tag_keys TEXT NOT NULL DEFAULT '[]',
  source_identity TEXT,
  chained INTEGER NOT NULL DEFAULT 0,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
`,
  },
  {
    version: 2,
    name: "saml replay and server secrets",
    sql: `
-- Assertion ids seen by AssumeRoleWithSAML, kept until the assertion could no longer be used anyway.
CREATE TABLE saml_assertions (
  assertion_id TEXT NOT NULL,
  issuer TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, assertion_id)
);
CREATE INDEX saml_assertions_by_expiry ON saml_assertions(expires_at);
-- Random keys generated once per database (e.g. for sealing encoded authorization messages).
CREATE TABLE server_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
`,
  },
  {
    version: 3,
    name: "federation keys on sessions",
    sql: `
-- The identity provider's condition keys (SAML:sub, SAML:sub_type, SAML:namequalifier) a federated session carries into the
-- evaluation of its later requests, as JSON {key: [values]}.
ALTER TABLE sessions ADD COLUMN federation_keys TEXT NOT NULL DEFAULT '{}';
`,
  },
  {
    version: 4,
    name: "decision log",
    sql: `
-- One row per authorisation decision or refused federation (the decision log). seq is the record's id;
-- statements, context and trace are JSON. Trimmed to settings.decisionLog's maxRecords and maxAgeSeconds.
CREATE TABLE decisions (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  door TEXT NOT NULL,
  service TEXT NOT NULL,
  principal TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  decision TEXT NOT NULL,
  reason TEXT NOT NULL,
  statements TEXT NOT NULL,
  context TEXT NOT NULL,
  trace TEXT
);
-- Only request ids are looked up often enough (fedsim explain) to earn an index on the write path; the
-- other filters scan at most maxRecords rows.
CREATE INDEX decisions_by_request ON decisions(request_id);
`,
  },
  {
    version: 5,
    name: "cognito identity pools",
    sql: `
-- Cognito identity pools. Maps and lists are JSON as the API takes them: supported_login_providers
-- {provider: app id}, roles {authenticated|unauthenticated: role ARN}, role_mappings {provider: RoleMapping},
-- tags {key: value}, cognito_identity_providers [{ProviderName, ClientId, ServerSideTokenCheck}].
-- from_config: seeded from the config file (which stays its source of truth), not created through the API.
CREATE TABLE identity_pools (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  allow_unauthenticated INTEGER NOT NULL,
  allow_classic_flow INTEGER NOT NULL DEFAULT 0,
  supported_login_providers TEXT NOT NULL DEFAULT '{}',
  developer_provider_name TEXT,
  open_id_connect_provider_arns TEXT NOT NULL DEFAULT '[]',
  cognito_identity_providers TEXT NOT NULL DEFAULT '[]',
  saml_provider_arns TEXT NOT NULL DEFAULT '[]',
  roles TEXT NOT NULL DEFAULT '{}',
  role_mappings TEXT NOT NULL DEFAULT '{}',
  tags TEXT NOT NULL DEFAULT '{}',
  from_config INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX identity_pools_by_account ON identity_pools(account_id, region, id);
-- SetPrincipalTagAttributeMap: per pool and login provider, session tag key -> claim name.
CREATE TABLE identity_pool_principal_tags (
  pool_id TEXT NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
  provider_name TEXT NOT NULL,
  use_defaults INTEGER NOT NULL,
  principal_tags TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (pool_id, provider_name)
);
-- An identity (REGION:UUID) of a pool; disabled once its last login is unlinked.
CREATE TABLE cognito_identities (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  modified_at INTEGER NOT NULL
);
CREATE INDEX cognito_identities_by_pool ON cognito_identities(pool_id, id);
-- The logins linked to identities: one identity per (pool, provider, subject), so the same person signing
-- in again gets the same identity id. provider is the Logins key (or the developer provider name).
CREATE TABLE cognito_identity_logins (
  pool_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  subject TEXT NOT NULL,
  identity_id TEXT NOT NULL REFERENCES cognito_identities(id) ON DELETE CASCADE,
  linked_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX cognito_identity_logins_by_identity ON cognito_identity_logins(identity_id);
`,
  },
  {
    version: 6,
    name: "cognito user pools",
    sql: `
-- Cognito user pools (src/services/cognito-idp). settings are the pool's and client's API settings as JSON.
CREATE TABLE cognito_user_pools (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  settings TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE cognito_user_pool_clients (
  id TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL REFERENCES cognito_user_pools(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  secret TEXT,
  settings TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Passwords only as a salted scrypt hash and the SRP verifier USER_SRP_AUTH needs; never the password.
-- failures/locked_until: Cognito's lockout after repeated wrong passwords.
CREATE TABLE cognito_users (
  pool_id TEXT NOT NULL REFERENCES cognito_user_pools(id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  sub TEXT NOT NULL,
  status TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  attributes TEXT NOT NULL,
  password_hash TEXT,
  srp_salt TEXT,
  srp_verifier TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  last_failure_at INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username)
);
CREATE TABLE cognito_groups (
  pool_id TEXT NOT NULL REFERENCES cognito_user_pools(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT,
  role_arn TEXT,
  precedence INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, name)
);
CREATE TABLE cognito_group_members (
  pool_id TEXT NOT NULL,
  group_name TEXT NOT NULL,
  username TEXT NOT NULL,
  PRIMARY KEY (pool_id, group_name, username),
  FOREIGN KEY (pool_id, group_name) REFERENCES cognito_groups(pool_id, name) ON DELETE CASCADE,
  FOREIGN KEY (pool_id, username) REFERENCES cognito_users(pool_id, username) ON DELETE CASCADE
);
-- Refresh tokens by their SHA-256 (the token itself is never stored); origin_jti ties the ID and access
-- tokens issued from one sign-in to it, so revoking it revokes them.
CREATE TABLE cognito_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  pool_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  username TEXT NOT NULL,
  origin_jti TEXT NOT NULL UNIQUE,
  auth_time INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (pool_id, username) REFERENCES cognito_users(pool_id, username) ON DELETE CASCADE
);
-- Confirmation and reset codes, which cannot be mailed offline: logged and readable on the admin API.
CREATE TABLE cognito_codes (
  pool_id TEXT NOT NULL,
  username TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (pool_id, username, purpose),
  FOREIGN KEY (pool_id, username) REFERENCES cognito_users(pool_id, username) ON DELETE CASCADE
);
`,
  },
  {
    version: 7,
    name: "web identity token on sessions",
    sql: `
-- The verified web-identity token an AssumeRoleWithWebIdentity session came from (at most 20,000 characters, as
-- STS takes them), so the gateway can hand it to a backend that validates it with the issuer itself.
ALTER TABLE sessions ADD COLUMN web_identity_token TEXT;
`,
  },
  {
    version: 8,
    name: "sessions without a unique index on session_token",
    sql: `
-- Sessions are found by access key id only. UNIQUE on session_token kept a second random-keyed index of
-- 130-character keys, written on every issue: a third of the cost of storing a session. Tokens are 96
-- random bytes, so the constraint guarded against nothing. SQLite drops a column constraint only by
-- rebuilding the table.
CREATE TABLE sessions_rebuilt (
  access_key_id TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  session_token TEXT NOT NULL,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user-session', 'assumed-role', 'federated-user')),
  principal_arn TEXT NOT NULL,
  user_id TEXT NOT NULL,
  source_id TEXT,
  role_arn TEXT,
  session_name TEXT,
  session_policies TEXT NOT NULL DEFAULT '[]',
  tags TEXT NOT NULL DEFAULT '[]',
  transitive_tag_keys TEXT NOT NULL DEFAULT '[]',
  source_identity TEXT,
  chained INTEGER NOT NULL DEFAULT 0,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  federation_keys TEXT NOT NULL DEFAULT '{}',
  web_identity_token TEXT
);
INSERT INTO sessions_rebuilt (access_key_id, secret_access_key, session_token, account_id, kind, principal_arn,
  user_id, source_id, role_arn, session_name, session_policies, tags, transitive_tag_keys, source_identity, chained,
  issued_at, expires_at, federation_keys, web_identity_token)
SELECT access_key_id, secret_access_key, session_token, account_id, kind, principal_arn, user_id, source_id,
  role_arn, session_name, session_policies, tags, transitive_tag_keys, source_identity, chained, issued_at,
  expires_at, federation_keys, web_identity_token FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_rebuilt RENAME TO sessions;
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
`,
  },
];
