import { randomUUID } from "node:crypto";
import type { RequestListener } from "node:http";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { DecisionLog } from "../authz/decisionLog.js";
import type { LoadedConfig } from "../config/load.js";
import type { SigningKey } from "../core/oidc/signingKeys.js";
import { AwsError } from "../errors.js";
import type { Gateway } from "../gateway/gateway.js";
import type { SigningKeys } from "../idp/keys.js";
import type { BuiltinIssuer } from "../oidc/issuer.js";
import { sendRendered } from "../protocol/render.js";
import { signingServiceOf, unemulatedService } from "../protocol/unemulated.js";
import { cognitoJwks } from "../services/cognito-identity/signingKey.js";
import type { UserPoolsRoom } from "../services/cognito-idp/room.js";
import type { ServiceDeps } from "../services/deps.js";
import { adminGuard } from "./adminGuard.js";
import { mountAdminRoutes, type ServerStatus } from "./adminRoutes.js";
import { mountApiAdminRoutes } from "./apiAdminRoutes.js";
import { mountDecisionRoutes } from "./decisionRoutes.js";
import { sendError } from "./sendError.js";

export interface ExpressAppOptions {
  admin: { status: () => ServerStatus; reset: () => void };
  deps: ServiceDeps;
  loaded: LoadedConfig;
  keys: SigningKeys;
  issuer: BuiltinIssuer;
  cognitoKey: SigningKey;
  decisions: DecisionLog;
  adminToken: string;
  userPools: UserPoolsRoom;
  /** The gateway: /_fedsim/apis edits it, the console shows its APIs as served now. */
  gateway: Gateway;
}

/**
 * Everything but the AWS endpoint, the health check and the gateway: the admin surface, the well-known
 * documents, the built-in IdP, /saml and /oidc. Built (and Express imported) on the first request that needs
 * it, by src/server/compose.ts: a client whose first call is STS never waits for Express.
 */
export function buildExpressApp(options: ExpressAppOptions): RequestListener {
  const { deps, loaded, decisions, userPools } = options;
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag");
  // The web console, before the admin guard: its own guard also takes the cookie a browser was given.
  app.use(
    lazyRoom(/^\/_fedsim\/console(\/|$)/, async () =>
      (await import("../console/mount.js")).consoleRouter({
        ...options,
        config: loaded.config,
        apis: () => options.gateway.list(),
      }),
    ),
  );
  app.use("/_fedsim", adminGuard(options.adminToken));
  mountDecisionRoutes(app, decisions);
  mountAdminRoutes(app, options.admin);
  mountApiAdminRoutes(app, options.gateway, { config: loaded.config, builtinIssuer: options.issuer.url });
  userPools.mount(app);
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
  return app;
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
