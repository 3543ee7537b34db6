import { createServer, type Server } from "node:http";
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
import { renderQueryError } from "./protocol/render.js";
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
  app.use((_req, res) => {
    res
      .status(404)
      .type("application/json")
      .send(JSON.stringify({ __type: "NotFound", message: "No such fedsim endpoint" }));
  });
  // Errors raised by Express itself (a form body too large or malformed on the IdP pages): an AWS-shaped
  // answer with the right status and never a stack trace, whatever NODE_ENV says.
  app.use(
    (
      error: Error & { status?: number },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      if (status === 500) console.error("fedsim: unhandled error:", error);
      const code =
        status === 413 ? "RequestEntityTooLarge" : status === 500 ? "InternalFailure" : "ValidationError";
      const message =
        status === 500 ? "The request processing has failed because of an unknown error" : error.message;
      res
        .status(status)
        .type("application/json")
        .send(JSON.stringify({ __type: code, message }));
    },
  );

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
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

  const purge = () => purgeExpiredSessions(store, clock().getTime());
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
        // Finish in-flight requests, drop idle keep-alive sockets, and give stragglers 5 s.
        const force = setTimeout(() => server.closeAllConnections(), 5000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          store.close();
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
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
