import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { DecisionLog } from "../authz/decisionLog.js";
import { checkSessionLimits } from "../authz/sessionLimits.js";
import type { LoadedConfig } from "../config/load.js";
import type { SigningKey } from "../core/oidc/signingKeys.js";
import { printable } from "../core/printable.js";
import { AwsError } from "../errors.js";
import type { ApiDefinition } from "../gateway/apis.js";
import { createGateway, type Gateway } from "../gateway/gateway.js";
import type { IssuerKeys } from "../gateway/jwtAuthorizer.js";
import type { SigningKeys } from "../idp/keys.js";
import type { BuiltinIssuer } from "../oidc/issuer.js";
import { createAwsEndpoint, type JsonServiceDef } from "../protocol/awsEndpoint.js";
import { renderJsonError, renderQueryError, sendRendered } from "../protocol/render.js";
import { signingServiceOf, unemulatedService } from "../protocol/unemulated.js";
import { cognitoIdentityService } from "../services/cognito-identity/index.js";
import { userPoolLogin } from "../services/cognito-identity/logins/userPoolLogin.js";
import { cognitoJwks } from "../services/cognito-identity/signingKey.js";
import { userPoolsRoom } from "../services/cognito-idp/room.js";
import type { ServiceDeps } from "../services/deps.js";
import { IAM_VERSION, iamOperations } from "../services/iam/index.js";
import { COGNITO_IDENTITY_PROVIDER } from "../services/sts/cognitoIdentityIssuer.js";
import { STS_VERSION, stsOperations } from "../services/sts/index.js";
import { configuredJwks, webIdentityKeys } from "../services/sts/webIdentityKeys.js";
import { adminGuard } from "./adminGuard.js";
import { mountAdminRoutes, type ServerStatus } from "./adminRoutes.js";
import { mountApiAdminRoutes } from "./apiAdminRoutes.js";
import { mountDecisionRoutes } from "./decisionRoutes.js";

export interface ComposeOptions {
  /** The admin surface's own operations (status and reset need the start-up's facts and seeding). */
  admin: { status: () => ServerStatus; reset: () => void };
  deps: ServiceDeps;
  loaded: LoadedConfig;
  keys: SigningKeys;
  /** The built-in OpenID issuer at /oidc, whose keys STS also verifies its tokens with (in-process). */
  issuer: BuiltinIssuer;
  /** The RS512 key of Cognito Identity's OpenID tokens. */
  cognitoKey: SigningKey;
  decisions: DecisionLog;
  /** The gateway's APIs, built-in backends already started (src/gateway/demoBackends.ts). */
  apis: readonly ApiDefinition[];
  adminToken: string;
  /** Where per-pool signing keys of Cognito user pools live (certs/ by default). */
  certsDir?: string;
  /** Extra JSON 1.1 services (tests add stand-ins). */
  json?: readonly JsonServiceDef[];
  log?: (line: string) => void;
}

/**
 * Builds every room from deps whose publicUrl is already known, and the one Express app that routes to
 * them. Rooms with heavy dependencies (the built-in IdP and /saml, with their XML stack) load on first use.
 */
export function composeApp(options: ComposeOptions): RequestListener & { gateway: Gateway } {
  const { deps, loaded, decisions, log } = options;
  const webIdentity = webIdentityKeys({
    clock: deps.clock,
    builtin: options.issuer,
    // Cognito Identity's tokens (the basic flow) verify with fedsim's Cognito key, in-process.
    inline: new Map([
      ...configuredJwks(loaded.config),
      [COGNITO_IDENTITY_PROVIDER, cognitoJwks(options.cognitoKey)],
    ]),
  });
  // Cognito user pools: the JSON 1.1 service, its public JWKS/discovery routes and its admin codes route.
  const userPools = userPoolsRoom({ ...deps, decisions }, options.certsDir ?? "certs", log);
  const cognito = cognitoIdentityService(deps, decisions, {
    signingKey: options.cognitoKey,
    // The same keys AssumeRoleWithWebIdentity uses: the config's inline JWKS, the built-in issuer's in-process,
    // anyone else's discovered and cached; user pools' ID tokens verified by the user-pool room itself.
    logins: {
      userPools: (key, pool) => userPoolLogin(userPools, key, pool),
      // A provider whose keys cannot be had makes its logins invalid (NotAuthorizedException), not a fault.
      oidcJwks: (provider) =>
        webIdentity
          .jwksFor(provider.url.startsWith("http") ? provider.url : `https://${provider.url}`, provider.arn)
          .then(
            (found) => found.jwks,
            () => undefined,
          ),
    },
  });
  // JWT and COGNITO_USER_POOLS routes: the built-in issuer's and fedsim's user pools' keys in-process,
  // anyone else's from its discovery document (the same cache and SSRF rules as web identity).
  const issuerKeys: IssuerKeys = async (iss, { refresh }) => {
    if (iss === options.issuer.url) return (await options.issuer.keys()).jwks;
    const pool = userPools.jwksOfIssuer(iss);
    if (pool) return pool;
    return (await webIdentity.jwksFor(iss, "", { refresh })).jwks;
  };
  const gateway = createGateway(deps, {
    apis: options.apis,
    defaultAccountId: loaded.config.accounts[0]!.id,
    decisions,
    issuerKeys,
  });
  const endpoint = createAwsEndpoint({
    store: deps.store,
    clock: deps.clock,
    region: deps.settings.region,
    decisions,
    query: [
      { name: "sts", version: STS_VERSION, operations: stsOperations(deps, decisions, webIdentity) },
      // IAM takes any region name, as STS does. At AWS it is signed for its partition's region (us-east-1,
      // cn-north-1, us-gov-west-1, ...), but SDKs and the CLI given an endpoint override sign for the
      // client's configured region: holding them to us-east-1 would refuse unmodified clients.
      { name: "iam", version: IAM_VERSION, operations: iamOperations(deps, decisions) },
    ],
    json: [cognito, userPools.service, ...(options.json ?? [])],
    beforeRun: checkSessionLimits,
    onResult:
      log &&
      ((e) =>
        log(
          printable(
            `${e.requestId} ${e.service}:${e.action} ${e.status}${e.code ? ` ${e.code}` : ""}${e.caller ? ` by ${e.caller}` : ""}`,
          ),
        )),
  });
  // --verbose: every refusal with its reason, at whichever door it happened (/saml sign-ins included).
  if (log)
    decisions.watch((d) => {
      if (d.decision !== "allow")
        log(printable(`${d.requestId} ${d.door} ${d.action} ${d.decision} for ${d.principal}: ${d.reason}`));
    });

  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // HTTP/1.1 requires Host (RFC 9112 3.2). Node's own check answers a bare 400 with no body, so it is
  // switched off (requireHostHeader) and the request is refused here with an AWS-shaped error.
  app.use((req, res, next) => {
    if (lacksHost(req)) {
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
  // The web console, before the admin guard: its own guard also takes the cookie a browser was given.
  app.use(
    lazyRoom(/^\/_fedsim\/console(\/|$)/, async () =>
      (await import("../console/mount.js")).consoleRouter({ ...options, config: loaded.config }),
    ),
  );
  app.use("/_fedsim", adminGuard(options.adminToken));
  mountDecisionRoutes(app, decisions);
  mountAdminRoutes(app, options.admin);
  mountApiAdminRoutes(app, gateway, {
    config: loaded.config,
    builtinIssuer: options.issuer.url,
  });
  app.use(userPools.admin);
  app.use(userPools.wellKnown);
  app.use(
    lazyRoom(/^\/(idp|saml)(\/|$)/, async () => {
      const { mountBuiltinIdp } = await import("../idp/mount.js");
      const router = express.Router();
      mountBuiltinIdp(router, { deps: { ...deps, decisions }, config: loaded.config, keys: options.keys });
      return router;
    }),
  );
  app.use(
    lazyRoom(/^\/oidc(\/|$)/, async () => {
      const { mountOidcIssuer } = await import("../oidc/mount.js");
      const router = express.Router();
      mountOidcIssuer(router, {
        deps: { ...deps, decisions },
        config: loaded.config,
        issuer: options.issuer,
      });
      return router;
    }),
  );
  // The JWKS of Cognito's token issuer (AWS: https://cognito-identity.amazonaws.com/.well-known/jwks_uri).
  app.get("/cognito-identity/.well-known/jwks_uri", (_req, res) => {
    res.json(cognitoJwks(options.cognitoKey));
  });
  app.all("/", (req, res) => {
    void endpoint(req, res);
  });
  app.use((req, res) => {
    // A REST-style call to a service fedsim does not emulate (aws lambda list-functions): name the service.
    const service = signingServiceOf(req.headers.authorization, req.url);
    if (service !== undefined && service !== "sts" && service !== "iam" && service !== "cognito-identity") {
      const requestId = randomUUID();
      sendRendered(res, unemulatedService(service, requestId, {}), requestId);
      return;
    }
    sendError(req, res, new AwsError("NotFound", "No such fedsim endpoint", { status: 404 }));
  });
  // Errors raised by Express itself (a form body too large or malformed on the IdP pages): an AWS-shaped
  // answer with the right status and never a stack trace, whatever NODE_ENV says.
  app.use((error: Error & { status?: number }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) console.error("fedsim: unhandled error:", error);
    const code =
      status === 413 ? "RequestEntityTooLarge" : status === 500 ? "InternalFailure" : "ValidationError";
    const message =
      status === 500 ? "The request processing has failed because of an unknown error" : error.message;
    sendError(req, res, new AwsError(code, message, { status }));
  });
  // The AWS API door (path /, every service) is answered before Express as well: Express's routing stack
  // cost a GetCredentialsForIdentity a tenth of its time, for a route that is a single path. What Express
  // would do first for it, the Host check, is done here the same way.
  const awsApiFirst: RequestListener = (req, res) => {
    if (!isAwsApiPath(req.url)) app(req, res);
    else if (lacksHost(req))
      sendError(req, res, new AwsError("MalformedQueryString", "HTTP/1.1 requests must have a Host header"));
    else void endpoint(req, res);
  };
  // The gateway answers its requests (path style, or any path on {apiId}.execute-api.localhost) before Express
  // sees them: Express costs a proxied request more than a bare Node proxy's whole work.
  return Object.assign(gateway.inFrontOf(awsApiFirst), { gateway });
}

/** `/` with or without a query: the one path of the AWS API endpoint (app.all("/") for the rest). */
function isAwsApiPath(url: string | undefined): boolean {
  return url === "/" || url?.startsWith("/?") === true;
}

/** HTTP/1.1 requires Host (RFC 9112 3.2); Node's own check is off so the refusal can be AWS-shaped. */
function lacksHost(req: IncomingMessage): boolean {
  return req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined;
}

/** A room built on its first request (its modules imported then), shared by every request after. */
function lazyRoom(paths: RegExp, build: () => Promise<Router>) {
  let room: Promise<Router> | undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!paths.test(req.path)) return next();
    room ??= build();
    room.then((router) => router(req, res, next), next);
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
  return type === "application/x-www-form-urlencoded" && !/^\/(idp\/|saml(\/|$)|oidc\/)/.test(path);
}
