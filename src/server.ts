import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import express from "express";
import { type LoadedConfig, loadConfigFile } from "./config/load.js";
import { seedStore } from "./config/seed.js";
import { idpMetadataXml } from "./core/saml/idpMetadataXml.js";
import { AwsError } from "./errors.js";
import { BUILTIN_IDP_ENTITY_ID } from "./idp/constants.js";
import { loadOrCreateIdpKeys } from "./idp/keys.js";
import { mountBuiltinIdp } from "./idp/mount.js";
import { createAwsEndpoint } from "./protocol/awsEndpoint.js";
import { renderJsonError, renderQueryError, sendRendered } from "./protocol/render.js";
import { IAM_VERSION, iamOperations } from "./services/iam/index.js";
import type { ServiceDeps } from "./services/operation.js";
import { compilePolicy } from "./services/policyCache.js";
import { checkSessionLimits } from "./services/sessionLimits.js";
import { STS_VERSION, stsOperations } from "./services/sts/index.js";
import { purgeExpiredSessions } from "./services/sts/sessionRetention.js";
import { Store } from "./store/store.js";

export interface StartOptions {
  /** Path of a YAML/JSON config file, or an already-loaded config. Default data/petstore.yaml. */
  config?: string | LoadedConfig;
  /** SQLite file, or ":memory:". Default data/fedsim.sqlite. */
  db?: string;
  host?: string;
  /** 0 picks a free port. Default 4566. */
  port?: number;
  /** Where the built-in IdP's and token issuer's keys live; generated on first start. Default certs/. */
  certsDir?: string;
  /** Injectable clock for tests (expiry without sleeping). */
  clock?: () => Date;
  /** Where to log request outcomes; default none. */
  log?: (line: string) => void;
}

export interface FedsimServer {
  url: string;
  host: string;
  port: number;
  store: Store;
  deps: ServiceDeps;
  close(): Promise<void>;
}

/** Node's default 16 KiB; larger header blocks get an AWS-shaped 431 instead of a bare socket reset. */
const MAX_HEADER_BYTES = 16 * 1024;

export async function startFedsim(options: StartOptions = {}): Promise<FedsimServer> {
  const loaded =
    typeof options.config === "object"
      ? options.config
      : loadConfigFile(options.config ?? "data/petstore.yaml");
  const clock = options.clock ?? (() => new Date());
  const idpKeys = await loadOrCreateIdpKeys(options.certsDir ?? "certs", clock());
  const store = Store.open(options.db ?? "data/fedsim.sqlite");
  const deps: ServiceDeps = { store, config: loaded.config, clock, baseUrl: "" };
  const log = options.log;
  const endpoint = createAwsEndpoint({
    deps,
    query: [
      { name: "sts", version: STS_VERSION, operations: stsOperations(deps) },
      // IAM takes any region name, as STS does. At AWS it is signed for its partition's region (us-east-1,
      // cn-north-1, us-gov-west-1, ...), but SDKs and the CLI given an endpoint override sign for the
      // client's configured region: holding them to us-east-1 would refuse unmodified clients.
      { name: "iam", version: IAM_VERSION, operations: iamOperations(deps) },
    ],
    json: [],
    beforeRun: checkSessionLimits,
    onResult:
      log &&
      ((e) =>
        log(
          `${e.requestId} ${e.service}:${e.action} ${e.status}${e.code ? ` ${e.code}` : ""}${e.caller ? ` by ${e.caller}` : ""}` +
            // The reason, without the (long, sealed) encoded authorization message.
            (e.message ? `: ${e.message.replace(/\. Encoded authorization failure message: \S+$/, "")}` : ""),
        )),
  });

  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // HTTP/1.1 requires Host (RFC 9112 3.2). Node's own check answers a bare 400 with no body, so it is
  // switched off (requireHostHeader below) and the request is refused here with an AWS-shaped error.
  app.use((req, res, next) => {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      sendError(req, res, new AwsError("MalformedQueryString", "HTTP/1.1 requests must have a Host header"));
      return;
    }
    next();
  });
  app.get("/_fedsim/health", (_req, res) => {
    res.json({
      status: "ok",
      service: "fedsim",
      accounts: loaded.config.accounts.map((a) => a.id),
      region: loaded.config.region,
    });
  });
  mountBuiltinIdp(app, { deps, keys: idpKeys, people: loaded.config.identityProvider.people });
  app.all("/", (req, res) => {
    void endpoint(req, res);
  });
  app.use((req, res) => {
    sendError(req, res, new AwsError("NotFound", "No such fedsim endpoint", { status: 404 }));
  });
  // Errors raised by Express itself (a form body too large or malformed on the IdP pages): an AWS-shaped
  // answer with the right status and never a stack trace, whatever NODE_ENV says.
  app.use(
    (
      error: Error & { status?: number },
      req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      if (status === 500) console.error("fedsim: unhandled error:", error);
      const code =
        status === 413 ? "RequestEntityTooLarge" : status === 500 ? "InternalFailure" : "ValidationError";
      const message =
        status === 500 ? "The request processing has failed because of an unknown error" : error.message;
      sendError(req, res, new AwsError(code, message, { status }));
    },
  );

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES, requireHostHeader: false }, app);
  const shutdown = trackForShutdown(server);
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => rejectMalformed(error, socket));
  try {
    await listen(server, options.port ?? 4566, options.host ?? "127.0.0.1");
  } catch (error) {
    store.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  // Seeded once the port is known (the built-in IdP's metadata names its URL). This runs synchronously
  // in the same tick as the listen callback, so no request is served from an unseeded store.
  deps.baseUrl = url;
  const builtinIdp = {
    entityId: BUILTIN_IDP_ENTITY_ID,
    certificatePem: idpKeys.certificatePem,
    ssoUrl: `${url}/idp/sso`,
  };
  try {
    seedStore(store, loaded, {
      now: clock().getTime(),
      builtinSamlMetadata: () => idpMetadataXml(builtinIdp),
      validatePolicy: (document, kind) => void compilePolicy(document, kind),
    });
  } catch (error) {
    server.close();
    store.close();
    throw error;
  }

  const purge = () => {
    purgeExpiredSessions(store, clock().getTime());
    // Between requests, so that the WAL does not wait for the (large) automatic checkpoint threshold.
    store.db.pragma("wal_checkpoint(PASSIVE)");
  };
  purge();
  const purgeTimer = setInterval(purge, 10 * 60_000);
  purgeTimer.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port: address.port,
    store,
    deps,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(purgeTimer);
        // Stop accepting connections, answer in-flight requests with Connection: close and drop every
        // keep-alive socket as soon as it is idle; stragglers (a client that never finishes its body) get 5 s.
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          store.close();
          resolve();
        });
        shutdown.begin();
      });
      return closing;
    },
  };
}

/**
 * Graceful shutdown for keep-alive clients: server.close() stops new connections but would let an open
 * keep-alive connection go on sending requests. Once shutdown begins, every response not yet started says
 * Connection: close (Node then ends its socket after it), and each finished response closes whatever
 * sockets are idle by then, so the server closes as soon as its in-flight requests are answered.
 */
function trackForShutdown(server: Server): { begin(): void } {
  const pending = new Set<ServerResponse>();
  let closing = false;
  const closeWhenDone = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    if (closing) closeWhenDone(res);
    pending.add(res);
    res.once("close", () => {
      pending.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });
  return {
    begin() {
      closing = true;
      for (const res of pending) closeWhenDone(res);
      server.closeIdleConnections();
    },
  };
}

/**
 * The wire shape of an error answered outside the AWS endpoint: Query clients (a form body or an Action
 * parameter, other than the IdP's browser forms) get an XML <ErrorResponse>, everything else AWS JSON.
 */
function sendError(req: IncomingMessage, res: ServerResponse, error: AwsError): void {
  const requestId = randomUUID();
  const rendered = looksLikeQuery(req) ? renderQueryError("sts", error, requestId) : renderJsonError(error);
  sendRendered(res, rendered, requestId);
}

function looksLikeQuery(req: IncomingMessage): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  if (q !== -1 && /(^|&)Action=/.test(url.slice(q + 1))) return true;
  if (typeof req.headers["x-amz-target"] === "string") return false;
  const path = q === -1 ? url : url.slice(0, q);
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/x-www-form-urlencoded" && !/^\/(idp\/|saml(\/|$))/.test(path);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Requests Node cannot parse (oversized headers, garbage) still get an AWS-shaped answer. */
function rejectMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const awsError = tooLarge
    ? new AwsError(
        "RequestHeaderFieldsTooLarge",
        `Request headers must be no larger than ${MAX_HEADER_BYTES} bytes`,
        { status },
      )
    : new AwsError("MalformedQueryString", "The request could not be parsed as HTTP", { status });
  const body = renderQueryError("sts", awsError, "00000000-0000-0000-0000-000000000000").body;
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\nContent-Type: text/xml\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
