/**
 * fedsim's test kit: one in-process fedsim per test file, on a free port with an in-memory database, keys
 * reused across starts, a clock the test moves, and helpers that sign people in and sign requests.
 *
 *   import { startTestFedsim } from "fedsim/testing";
 *   const fedsim = await startTestFedsim();
 *   const alice = await fedsim.credentialsFor("alice", { role: "PetStoreAdmin" });
 *   await fedsim.close();
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DecisionRecord } from "../authz/decisionRecord.js";
import {
  chooseUserPoolClient,
  loginViaIdentityPool,
  loginViaUserPool,
  type PoolChoice,
} from "../client/cognitoLogin.js";
import type { TemporaryCredentials } from "../client/credentials.js";
import { loginViaOidc, roleArnIn } from "../client/oidcLogin.js";
import { loginViaSaml } from "../client/samlLogin.js";
import { type LoadedConfig, loadConfigFile, parseConfigText } from "../config/load.js";
import { poolDirectory } from "../config/poolDirectory.js";
import type { FedsimConfig } from "../config/schema.js";
import type { SigningCredentials } from "../core/sigv4/signRequest.js";
import { startFedsim } from "../server/start.js";
import { TestClock } from "./clock.js";
import { type SignedFetchInit, signedFetchAt } from "./signedFetch.js";

export type { TemporaryCredentials } from "../client/credentials.js";
export { FedsimClientError } from "../client/credentials.js";
export { TestClock } from "./clock.js";
export type { SignedFetchInit } from "./signedFetch.js";

/** How a person signs in; the same names as `fedsim login --via`. */
export type Via = "saml" | "oidc" | "identity-pool" | "user-pool";

export interface CredentialsForOptions extends PoolChoice {
  /** Default saml. identity-pool: the built-in issuer's ID token at the identity pool; user-pool: USER_PASSWORD_AUTH, then the identity pool. */
  via?: Via;
  /** The role (name or ARN): taken with AssumeRole* for saml and oidc, asked for as CustomRoleArn by the Cognito paths. */
  role?: string;
  /** saml and oidc only: Cognito's credentials have no duration to ask for. */
  durationSeconds?: number;
}

export interface TestFedsimOptions {
  /** A config file, an already-loaded config, or a config object as the YAML would hold it. Default: the pet-store demo. */
  config?: string | LoadedConfig | Record<string, unknown>;
  /** Where the start time of the test clock is; default now. */
  startAt?: Date | number;
  /** Keys for the built-in IdP and issuers, generated once and reused by every start. Default: a folder in the OS temp dir. */
  keysDir?: string;
  /** A SQLite file; default in memory (nothing outlives close()). */
  db?: string;
  /** Log lines (every request and refusal), e.g. console.log while debugging a test. */
  log?: (line: string) => void;
}

export interface TestFedsim {
  /** http://127.0.0.1:PORT: point AWS_ENDPOINT_URL or an SDK client's endpoint here. */
  url: string;
  port: number;
  config: FedsimConfig;
  /** fedsim's clock: advance it to expire sessions and signatures without sleeping. */
  clock: TestClock;
  /** Signs a person of the config in and returns temporary credentials for the role (name or ARN). */
  credentialsFor(person: string, options?: CredentialsForOptions): Promise<TemporaryCredentials>;
  /** fetch() signed with SigV4 (execute-api unless `service` says otherwise) at the test clock's time. */
  signedFetch(credentials: SigningCredentials, url: string | URL, init?: SignedFetchInit): Promise<Response>;
  /** The decision log, newest first: `decisions({ denied: true })`. */
  decisions(filter?: {
    denied?: boolean;
    principal?: string;
    requestId?: string;
    limit?: number;
  }): Promise<DecisionRecord[]>;
  close(): Promise<void>;
}

const DEMO = new URL("../../data/petstore.yaml", import.meta.url);

export async function startTestFedsim(options: TestFedsimOptions = {}): Promise<TestFedsim> {
  const loaded = loadedConfig(options.config);
  const clock = new TestClock(options.startAt);
  const server = await startFedsim({
    config: loaded,
    db: options.db ?? ":memory:",
    port: 0,
    certsDir: options.keysDir ?? join(tmpdir(), `fedsim-testing-keys-${process.getuid?.() ?? "user"}`),
    clock: clock.now,
    log: options.log,
  });
  const people = new Map(loaded.config.identityProvider.people.map((p) => [p.username, p]));
  const pools = poolDirectory(server.config);
  return {
    url: server.url,
    port: server.port,
    config: server.config,
    clock,
    async credentialsFor(name, opts = {}) {
      const via = opts.via ?? "saml";
      if (via === "identity-pool" || via === "user-pool")
        return cognitoCredentials(server, pools, clock, name, { ...opts, via });
      const person = people.get(name);
      if (!person)
        throw new TypeError(
          `No person named ${name} in the config (configured: ${[...people.keys()].join(", ") || "none"})`,
        );
      if (via === "oidc") {
        const role = opts.role ?? person.roles[0];
        if (role === undefined)
          throw new TypeError(`${name} has no role in the config: name one with { role }`);
        return loginViaOidc({
          endpoint: server.url,
          username: name,
          password: person.password,
          roleArn: roleArnIn(server.config.accounts[0]!.id, role),
          durationSeconds: opts.durationSeconds,
        });
      }
      if (via !== "saml")
        throw new TypeError(
          `credentialsFor: unknown via '${via as string}' (use saml, oidc, identity-pool or user-pool)`,
        );
      return loginViaSaml({
        endpoint: server.url,
        username: name,
        password: person.password,
        role: opts.role,
        durationSeconds: opts.durationSeconds,
      });
    },
    signedFetch: (credentials, url, init) =>
      signedFetchAt(clock.now, server.config.region, credentials, url, init),
    async decisions(filter = {}) {
      const query = new URLSearchParams();
      if (filter.denied) query.set("denied", "true");
      if (filter.principal) query.set("principal", filter.principal);
      if (filter.requestId) query.set("requestId", filter.requestId);
      query.set("limit", String(filter.limit ?? 100));
      const res = await fetch(`${server.url}/_fedsim/decisions?${query}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      return ((await res.json()) as { decisions: DecisionRecord[] }).decisions;
    },
    close: () => server.close(),
  };
}

/** The Cognito paths: the password of the IdP's person (identity-pool) or of the user pool's user (user-pool). */
function cognitoCredentials(
  server: { url: string; config: FedsimConfig },
  pools: ReturnType<typeof poolDirectory>,
  clock: TestClock,
  name: string,
  opts: CredentialsForOptions & { via: "identity-pool" | "user-pool" },
): Promise<TemporaryCredentials> {
  if (opts.durationSeconds !== undefined)
    throw new TypeError(`credentialsFor: durationSeconds does not apply to via ${opts.via}`);
  const config = server.config;
  let password: string | undefined;
  if (opts.via === "identity-pool") {
    password = config.identityProvider.people.find((p) => p.username === name)?.password;
    if (password === undefined)
      throw new TypeError(
        `No person named ${name} in the config (configured: ${config.identityProvider.people.map((p) => p.username).join(", ") || "none"})`,
      );
  } else {
    const { pool } = chooseUserPoolClient(pools, opts);
    // poolDirectory lists the user pools in the config's order.
    const index = pools.userPools.findIndex((p) => p.id === pool);
    const users = config.accounts.flatMap((a) => a.userPools)[index]?.users;
    password = users?.find((u) => u.username === name)?.password;
    if (password === undefined)
      throw new TypeError(
        `No user named ${name} in the user pool ${pool} (configured: ${users?.map((u) => u.username).join(", ") || "none"})`,
      );
  }
  const login = opts.via === "identity-pool" ? loginViaIdentityPool : loginViaUserPool;
  return login({
    endpoint: server.url,
    region: config.region,
    username: name,
    password,
    pools,
    choice: opts,
    customRoleArn: opts.role === undefined ? undefined : roleArnIn(config.accounts[0]!.id, opts.role),
    now: clock.now,
  });
}

function loadedConfig(config: TestFedsimOptions["config"]): LoadedConfig {
  if (config === undefined) return loadConfigFile(DEMO.pathname);
  if (typeof config === "string") return loadConfigFile(config);
  if ("config" in config && "file" in config) return config as LoadedConfig;
  return { file: "(config object)", config: parseConfigText(JSON.stringify(config), "config object") };
}
