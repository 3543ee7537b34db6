import type { Router } from "express";
import type { JsonWebKeySet } from "../../core/oidc/jwks.js";
import type { JsonServiceDef } from "../../protocol/awsEndpoint.js";
import { userPoolRepository } from "../../store/userPools.js";
import type { RoomDeps } from "../deps.js";
import { CodeAttempts } from "./codes.js";
import type { UserPoolDeps } from "./common.js";
import { COGNITO_IDP_TARGET_PREFIX, cognitoIdpOperations } from "./index.js";
import { PoolKeys } from "./poolKeys.js";
import { SpentChallenges } from "./spentChallenges.js";
import { poolIssuer } from "./tokens.js";
import { type VerifyUserPoolTokenInput, verifyUserPoolToken } from "./verifyUserPoolToken.js";

export interface UserPoolsRoom {
  service: JsonServiceDef;
  /**
   * Adds GET /_fedsim/cognito-idp/POOL_ID/codes?username=NAME (mount behind the admin guard), then GET
   * /POOL_ID/.well-known/jwks.json and /openid-configuration, public like AWS's. A method rather than routers,
   * so that this room does not import Express: the server loads it only when a request needs it.
   */
  mount(app: Router): void;
  /** Token -> verified claims, for identity pools' cognito-idp.REGION.amazonaws.com/POOL_ID Logins. */
  verify(input: VerifyUserPoolTokenInput): ReturnType<typeof verifyUserPoolToken>;
  /** The JWKS of the pool whose tokens carry this iss, or undefined when no fedsim pool does (the gateway's authorizers). */
  jwksOfIssuer(iss: string): Promise<JsonWebKeySet> | undefined;
}

export function userPoolsRoom(
  deps: RoomDeps,
  certsDir: string,
  log: (line: string) => void = () => {},
): UserPoolsRoom {
  const full: UserPoolDeps = {
    ...deps,
    repo: userPoolRepository(deps.store),
    keys: new PoolKeys(certsDir),
    log,
    attempts: new CodeAttempts(),
    spentChallenges: new SpentChallenges(),
  };
  const mountWellKnown = (wellKnown: Router) => {
    wellKnown.get("/:poolId/.well-known/jwks.json", (req, res, next) => {
      const pool = full.repo.getPool(req.params.poolId);
      if (!pool) return next();
      full.keys.of(pool.id).then((k) => res.json(k.jwks), next);
    });
    wellKnown.get("/:poolId/.well-known/openid-configuration", (req, res, next) => {
      const pool = full.repo.getPool(req.params.poolId);
      if (!pool) return next();
      // Cognito's document names its own issuer (the tokens' iss) and, here, the JWKS on fedsim's port.
      res.json({
        issuer: poolIssuer(pool),
        jwks_uri: `${deps.publicUrl}/${pool.id}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ["RS256"],
        response_types_supported: ["code", "token"],
        subject_types_supported: ["public"],
        scopes_supported: ["openid", "email", "phone", "profile"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        claims_supported: [
          "sub",
          "iss",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "token_use",
          "cognito:username",
          "cognito:groups",
          "email",
          "email_verified",
        ],
      });
    });
  };
  const mountAdmin = (admin: Router) => {
    admin.get("/_fedsim/cognito-idp/:poolId/codes", (req, res) => {
      const username = typeof req.query.username === "string" ? req.query.username : undefined;
      if (!full.repo.getPool(req.params.poolId) || username === undefined) {
        res.status(404).json({ __type: "ResourceNotFoundException", message: "name a pool and ?username=" });
        return;
      }
      res.set("Cache-Control", "no-store").json({
        // Attribute codes are kept per attribute; the answer names which (purpose "attribute", attribute NAME).
        codes: full.repo.codesOf(req.params.poolId, username).map((c) => ({
          ...(c.purpose.startsWith("attribute:")
            ? { purpose: "attribute", attribute: c.purpose.slice("attribute:".length) }
            : { purpose: c.purpose }),
          code: c.code,
          expiresAt: new Date(c.expiresAt).toISOString(),
        })),
      });
    });
  };
  return {
    service: {
      name: "cognito-idp",
      targetPrefix: COGNITO_IDP_TARGET_PREFIX,
      operations: cognitoIdpOperations(full),
    },
    mount(app) {
      mountAdmin(app);
      mountWellKnown(app);
    },
    verify: (input) => verifyUserPoolToken(full, input),
    jwksOfIssuer(iss) {
      const pool = full.repo.getPool(iss.slice(iss.lastIndexOf("/") + 1));
      return pool && poolIssuer(pool) === iss ? full.keys.of(pool.id).then((k) => k.jwks) : undefined;
    },
  };
}
