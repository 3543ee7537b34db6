import type { RequestListener } from "node:http";
import type { DecisionLog } from "../authz/decisionLog.js";
import { checkSessionLimits } from "../authz/sessionLimits.js";
import type { LoadedConfig } from "../config/load.js";
import { printable } from "../core/printable.js";
import { AwsError } from "../errors.js";
import type { ApiDefinition } from "../gateway/apis.js";
import { createGateway, type Gateway } from "../gateway/gateway.js";
import type { IssuerKeys } from "../gateway/jwtAuthorizer.js";
import type { SigningKeys } from "../idp/keys.js";
import type { BuiltinIssuer } from "../oidc/issuer.js";
import { createAwsEndpoint, type JsonServiceDef } from "../protocol/awsEndpoint.js";
import type { ServiceDeps } from "../services/deps.js";
import { IAM_VERSION, iamOperations } from "../services/iam/index.js";
import { COGNITO_IDENTITY_PROVIDER } from "../services/sts/cognitoIdentityIssuer.js";
import { STS_VERSION, stsOperations } from "../services/sts/index.js";
import { configuredJwks, webIdentityKeys } from "../services/sts/webIdentityKeys.js";
import type { ServerStatus } from "./adminRoutes.js";
import type { CognitoRooms } from "./cognitoRooms.js";
import { sendError } from "./sendError.js";

/** Issuers of fedsim's user pools' tokens begin so (https://cognito-idp.REGION.amazonaws.com/POOL_ID). */
const COGNITO_IDP_ISSUER_PREFIX = "https://cognito-idp.";

export interface ComposeOptions {
  /** The admin surface's own operations (status and reset need the start-up's facts and seeding). */
  admin: { status: () => ServerStatus; reset: () => void };
  deps: ServiceDeps;
  loaded: LoadedConfig;
  keys: SigningKeys;
  /** The built-in OpenID issuer at /oidc, whose keys STS also verifies its tokens with (in-process). */
  issuer: BuiltinIssuer;
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
 * Builds every room from deps whose publicUrl is already known, and the one request listener that routes to
 * them. Express and the rooms behind it (src/server/expressApp.ts; the built-in IdP and /saml with their XML
 * stack, /oidc) load on first use.
 */
export function composeApp(options: ComposeOptions): RequestListener & { gateway: Gateway } {
  const { deps, loaded, decisions, log } = options;
  const webIdentity = webIdentityKeys({
    clock: deps.clock,
    builtin: options.issuer,
    inline: configuredJwks(loaded.config),
    // Cognito Identity's tokens (the basic flow) verify with fedsim's Cognito key, in-process; the rooms
    // (and the key) load on the first such token.
    inProcess: new Map([[COGNITO_IDENTITY_PROVIDER, async () => (await cognitoRooms()).jwks]]),
  });
  // Cognito Identity and the user pools (with the key they sign with) load on their first request.
  let cognito: Promise<CognitoRooms> | undefined;
  const cognitoRooms = () =>
    (cognito ??= import("./cognitoRooms.js").then(({ buildCognitoRooms }) =>
      buildCognitoRooms({ deps, decisions, webIdentity, certsDir: options.certsDir ?? "certs", log }),
    ));
  // JWT and COGNITO_USER_POOLS routes: the built-in issuer's and fedsim's user pools' keys in-process,
  // anyone else's from its discovery document (the same cache and SSRF rules as web identity).
  const issuerKeys: IssuerKeys = async (iss, { refresh }) => {
    if (iss === options.issuer.url) return (await options.issuer.keys()).jwks;
    if (iss.startsWith(COGNITO_IDP_ISSUER_PREFIX)) {
      const pool = (await cognitoRooms()).userPools.jwksOfIssuer(iss);
      if (pool) return pool;
    }
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
    json: [
      {
        name: COGNITO_IDENTITY,
        targetPrefix: COGNITO_IDENTITY_TARGET_PREFIX,
        load: async () => (await cognitoRooms()).identity.operations,
      },
      {
        name: COGNITO_IDP,
        targetPrefix: COGNITO_IDP_TARGET_PREFIX,
        load: async () => (await cognitoRooms()).userPools.service.operations,
      },
      ...(options.json ?? []),
    ],
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

  // The front door, in plain Node: the Host check, the health check and the AWS endpoint answer without
  // Express, which (with the admin surface, the IdP and /oidc behind it) is imported on the first request
  // for anything else. A client whose first call is STS does not wait for it (bench/startup.ts).
  let rest: Promise<RequestListener> | undefined;
  const restOfApp = () =>
    (rest ??= Promise.all([import("./expressApp.js"), cognitoRooms()]).then(([{ buildExpressApp }, rooms]) =>
      buildExpressApp({ ...options, userPools: rooms.userPools, cognitoKey: rooms.signingKey, gateway }),
    ));
  const front: RequestListener = (req, res) => {
    // HTTP/1.1 requires Host (RFC 9112 3.2). Node's own check answers a bare 400 with no body, so it is
    // switched off (requireHostHeader) and the request is refused here with an AWS-shaped error.
    if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
      sendError(req, res, new AwsError("MalformedQueryString", "HTTP/1.1 requests must have a Host header"));
      return;
    }
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    if (path === "/") {
      void endpoint(req, res);
      return;
    }
    if (HEALTH.test(path) && (req.method === "GET" || req.method === "HEAD")) {
      const body = JSON.stringify({
        status: "ok",
        service: "fedsim",
        accounts: loaded.config.accounts.map((a) => a.id),
        region: loaded.config.region,
      });
      res.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    restOfApp().then(
      (app) => app(req, res),
      (error: unknown) => {
        console.error("fedsim: unhandled error:", error);
        sendError(
          req,
          res,
          new AwsError("InternalFailure", "The request processing has failed because of an unknown error", {
            status: 500,
          }),
        );
      },
    );
  };

  // The gateway answers its requests (path style, or any path on {apiId}.execute-api.localhost) before Express
  // sees them: Express costs a proxied request more than a bare Node proxy's whole work.
  return Object.assign(gateway.inFrontOf(front), { gateway });
}

/**
 * The Cognito services' names, known before their rooms load (test/server/compose.test.ts holds them to the
 * rooms' own).
 */
export const COGNITO_IDENTITY = "cognito-identity";
export const COGNITO_IDENTITY_TARGET_PREFIX = "AWSCognitoIdentityService";
export const COGNITO_IDP = "cognito-idp";
export const COGNITO_IDP_TARGET_PREFIX = "AWSCognitoIdentityProviderService";

/** Express matched the health route case-insensitively, with or without a trailing slash. */
const HEALTH = /^\/_fedsim\/health\/?$/i;
