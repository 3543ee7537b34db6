import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { DecisionLog } from "../authz/decisionLog.js";
import { compilePolicy } from "../authz/policyCache.js";
import { loadConfigFileCached } from "../config/cachedLoad.js";
import type { LoadedConfig } from "../config/configError.js";
import { expandFedsimReferences } from "../config/fedsimReferences.js";
import { poolDirectory } from "../config/poolDirectory.js";
import type { FedsimConfig } from "../config/schema.js";
import { seedStore } from "../config/seed.js";
import { idpMetadataXml } from "../core/saml/idpMetadataXml.js";
import { type ResolvedApis, startDemoBackends } from "../gateway/demoBackends.js";
import { BUILTIN_IDP_ENTITY_ID } from "../idp/constants.js";
import { loadOrCreateIdpKeys } from "../idp/keys.js";
import { builtinIssuer } from "../oidc/issuer.js";
import type { JsonServiceDef } from "../protocol/awsEndpoint.js";
import type { ServiceDeps } from "../services/deps.js";
import { purgeExpiredSessions } from "../services/sessions/sessionRetention.js";
import { Store } from "../store/store.js";
import type { ServerStatus } from "./adminRoutes.js";
import { composeApp } from "./compose.js";
import { listenHttp } from "./http.js";
import { type DedicatedPorts, openDedicatedPorts } from "./listenPorts.js";

export interface StartOptions {
  /** Path of a YAML/JSON config file, or an already-loaded config. Default data/petstore.yaml. */
  config?: string | LoadedConfig;
  /**
   * A folder where the validated config is remembered between starts, keyed by the file's text and fedsim's
   * build (src/config/cachedLoad.ts); without one (or outside the bundled build) every start validates in full.
   */
  configCache?: string;
  /** SQLite file, or ":memory:". Default data/fedsim.sqlite. */
  db?: string;
  host?: string;
  /** 0 picks a free port. Default 4566. */
  port?: number;
  /**
   * The URL clients reach fedsim at, when it differs from http://HOST:PORT as listened (a container's published
   * port, a proxy): the built-in IdP's metadata and, later, token issuers name it. FEDSIM_PUBLIC_URL in the CLI.
   */
  publicUrl?: string;
  /** Where the built-in IdP's and token issuer's keys live; generated on first start. Default certs/. */
  certsDir?: string;
  /** The token that opens /_fedsim/* admin endpoints to non-loopback clients; random when not given. */
  adminToken?: string;
  /** Injectable clock for tests (expiry without sleeping). */
  clock?: () => Date;
  /** Where to log request outcomes and every refusal's reason; default none. */
  log?: (line: string) => void;
}

/** A running fedsim, as a user of the in-process API sees it. */
export interface FedsimServer {
  /** The public URL (http://HOST:PORT unless publicUrl was given). */
  url: string;
  host: string;
  port: number;
  /** The loaded config it was seeded from. */
  config: FedsimConfig;
  /** Opens /_fedsim/* to clients that are not on loopback (Authorization: Bearer TOKEN). */
  adminToken: string;
  close(): Promise<void>;
}

/** What fedsim's own tests may reach besides the public surface. */
export interface FedsimInternals {
  server: FedsimServer;
  store: Store;
  decisions: DecisionLog;
}

/** How long after start-up the first purge of expired sessions waits. */
const FIRST_PURGE_MS = 1000;

export async function startFedsim(options: StartOptions = {}): Promise<FedsimServer> {
  return (await startFedsimInternals(options)).server;
}

/** startFedsim, also handing out the store and decision log (for fedsim's own tests; not exported publicly). */
export async function startFedsimInternals(
  options: StartOptions = {},
  extra: { json?: readonly JsonServiceDef[] } = {},
): Promise<FedsimInternals> {
  const read =
    typeof options.config === "object"
      ? options.config
      : await loadConfigFileCached(options.config ?? "data/petstore.yaml", options.configCache);
  const clock = options.clock ?? (() => new Date());
  const certsDir = options.certsDir ?? "certs";
  const keys = await loadOrCreateIdpKeys(certsDir, clock());
  const host = options.host ?? "127.0.0.1";
  const publicUrl = options.publicUrl === undefined ? undefined : checkPublicUrl(options.publicUrl);
  const dbFile = options.db ?? "data/fedsim.sqlite";
  const store = Store.open(dbFile);
  let http: Awaited<ReturnType<typeof listenHttp>>;
  try {
    http = await listenHttp(options.port ?? 4566, host);
  } catch (error) {
    store.close();
    throw error;
  }
  // Known before any room is built: every room (and the seeded IdP metadata) names the same URL.
  // A wildcard address is not one a client can use: name loopback instead (--public-url for anything else).
  const named = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  const url = publicUrl ?? `http://${named.includes(":") ? `[${named}]` : named}:${http.port}`;
  // Its keys are read (or generated) on first use: a token to verify, or the first request to /oidc.
  const issuer = builtinIssuer(url, certsDir);
  let loaded: LoadedConfig;
  try {
    // ${fedsim:oidc} names the issuer, whose URL is known only now.
    loaded = { ...read, config: expandFedsimReferences(read.config, issuer.url, read.file) };
  } catch (error) {
    await http.close();
    store.close();
    throw error;
  }
  const deps: ServiceDeps = {
    store,
    clock,
    settings: { ...loaded.config.settings, region: loaded.config.region },
    publicUrl: url,
  };
  const decisions = new DecisionLog(store.decisions, loaded.config.settings.decisionLog, clock);
  const adminToken = options.adminToken ?? randomBytes(18).toString("base64url");
  const seed = () =>
    seedStore(store, loaded, {
      now: clock().getTime(),
      builtinSamlMetadata: () =>
        idpMetadataXml({
          entityId: BUILTIN_IDP_ENTITY_ID,
          certificatePem: keys.certificatePem,
          ssoUrl: `${url}/idp/sso`,
        }),
      validatePolicy: (document, kind) => void compilePolicy(document, kind),
    });
  const startedAt = clock().toISOString();
  const status = (): ServerStatus => ({
    url,
    config: loaded.file,
    database: dbFile === ":memory:" ? dbFile : resolve(dbFile),
    certs: resolve(options.certsDir ?? "certs"),
    region: loaded.config.region,
    accounts: loaded.config.accounts.map((a) => a.id),
    people: loaded.config.identityProvider.people.map((p) => ({ username: p.username, roles: [...p.roles] })),
    signIn: `${url}/idp/login`,
    apis: loaded.config.apis.map((a) => ({
      id: a.id,
      stages: [...a.stages],
      url: `${url}/restapis/${a.id}/${a.stages[0] ?? ""}/_user_request_`,
    })),
    startedAt,
    ...poolDirectory(loaded.config),
  });
  const reset = () => {
    // What was decided before the reset goes with the rest of the store.
    decisions.flush();
    store.empty();
    seed();
    backends.reset();
  };
  let backends: ResolvedApis;
  try {
    backends = await startDemoBackends(loaded.config.apis, loaded.file);
  } catch (error) {
    await http.close();
    store.close();
    throw error;
  }
  let ports: DedicatedPorts;
  let gateway: { close(): void };
  try {
    // Seeded in the same tick as the listen callback, before the app is handed requests.
    seed();
    const app = composeApp({
      certsDir,
      deps,
      loaded,
      keys,
      issuer,
      decisions,
      apis: backends.apis,
      adminToken,
      json: extra.json,
      log: options.log,
      admin: { status, reset },
    });
    http.serve(app);
    gateway = app.gateway;
    ports = await openDedicatedPorts(backends.apis, app.gateway);
  } catch (error) {
    await http.close();
    await backends.close();
    store.close();
    throw error;
  }

  const purge = () => {
    purgeExpiredSessions(store, clock().getTime());
    // Between requests, so that the WAL does not wait for the (large) automatic checkpoint threshold.
    store.db.pragma("wal_checkpoint(PASSIVE)");
  };
  // The first purge (and the checkpoint of what seeding wrote) waits a second: a timer due at once fires before
  // the event loop reads the first connection, so a client calling as soon as the port opens would wait for
  // housekeeping (bench/startup.ts). Expired sessions are refused whether kept or not.
  const firstPurge = setTimeout(purge, FIRST_PURGE_MS);
  firstPurge.unref();
  const purgeTimer = setInterval(purge, 10 * 60_000);
  purgeTimer.unref();

  let closing: Promise<void> | undefined;
  const server: FedsimServer = {
    url,
    host,
    port: http.port,
    config: loaded.config,
    adminToken,
    close() {
      closing ??= (async () => {
        clearTimeout(firstPurge);
        clearInterval(purgeTimer);
        await Promise.all([http.close(), ports.close()]);
        // The backends' keep-alive connections too (else they linger until undici's idle timeout).
        gateway.close();
        await backends.close();
        // Written, and the writer thread stopped (not left to idle out).
        decisions.close();
        store.close();
      })();
      return closing;
    },
  };
  return { server, store, decisions };
}

function checkPublicUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new TypeError(`publicUrl must be an absolute http(s) URL, not '${value}'`);
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.search || parsed.hash)
    throw new TypeError(`publicUrl must be an http(s) URL without query or fragment, not '${value}'`);
  return value.replace(/\/+$/, "");
}
