import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { clientAddress, requestContext } from "../auth/requestContext.js";
import { recordRefusal } from "../authz/recordDecision.js";
import type { FedsimConfig, PersonConfig } from "../config/schema.js";
import { discoveryDocument } from "../core/oidc/discovery.js";
import { pkceS256Matches } from "../core/oidc/pkce.js";
import { MAX_USERNAME, plausibleUsername } from "../core/usernames.js";
import { LoginThrottle } from "../idp/loginThrottle.js";
import { PAGE_INLINE_CONTENT } from "../idp/pages.js";
import type { RoomDeps } from "../services/deps.js";
import { htmlSecurityHeaders } from "../web/securityHeaders.js";
import { AuthorizationCodes } from "./authorizationCodes.js";
import {
  type AuthorizeRequest,
  checkAuthorizeRequest,
  type OidcClient,
  redirectWith,
} from "./authorizeRequest.js";
import type { BuiltinIssuer } from "./issuer.js";
import { OAuthError } from "./oauthError.js";
import { oidcErrorPage, oidcLoginPage } from "./pages.js";
import { type TokenResponse, tokensFor } from "./personTokens.js";

/**
 * The built-in OpenID issuer at /oidc: discovery, JWKS, the authorization-code flow with PKCE behind a sign-in
 * page, and a token endpoint that also takes grant_type=password for clients that allow it (tests and
 * `fedsim oidc token`). Its people are identityProvider.people, its clients oidc.clients, all public (no
 * secrets: PKCE protects the code). Every refusal goes to the decision log, door "oidc".
 */
export function mountOidcIssuer(
  app: Router,
  options: { deps: RoomDeps; config: FedsimConfig; issuer: BuiltinIssuer },
): void {
  const { deps, config, issuer } = options;
  const clients = config.oidc.clients;
  const codes = new AuthorizationCodes(deps.clock);
  const throttle = new LoginThrottle({ enabled: deps.settings.loginLockout, clock: deps.clock });
  const form = express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 20 });
  const discovery = discoveryDocument({
    issuer: issuer.url,
    authorizationEndpoint: `${issuer.url}/authorize`,
    tokenEndpoint: `${issuer.url}/token`,
    jwksUri: `${issuer.url}/jwks`,
    tokenEndpointAuthMethods: ["none"],
    grantTypes: ["authorization_code", "password"],
    claims: [
      "iss",
      "sub",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "email",
      "email_verified",
      "name",
      "preferred_username",
      "groups",
    ],
  });
  const html = (res: Response, status: number, body: string, formTarget?: string) =>
    res
      .status(status)
      .type("html")
      .set("Cache-Control", "no-store")
      .set(htmlSecurityHeaders(PAGE_INLINE_CONTENT, formTarget ? [formTarget] : []))
      .send(body);
  const refused = (req: Request, action: string, resource: string, reason: string) =>
    recordRefusal(
      deps.decisions,
      requestContext(req, {
        requestId: randomUUID(),
        door: "oidc",
        now: deps.clock(),
        region: deps.settings.region,
      }),
      { service: "oidc", principal: "anonymous", action, resource },
      reason,
    );
  const params = (source: unknown): Record<string, unknown> =>
    source !== null && typeof source === "object" ? (source as Record<string, unknown>) : {};

  /** The person whose password this is; throttled per (username, address), as the IdP's sign-in page. */
  const signIn = (req: Request, username: string, password: string): PersonConfig | OAuthError => {
    if (!plausibleUsername(username))
      return new OAuthError("invalid_request", `A username is at most ${MAX_USERNAME} printable characters.`);
    const address = clientAddress(req);
    const wait = throttle.retryAfter(username, address);
    if (wait > 0) {
      return new OAuthError(
        "invalid_grant",
        `Too many wrong passwords for this username from your address: try again in ${wait} second${wait === 1 ? "" : "s"}.`,
        429,
        wait,
      );
    }
    const person = config.identityProvider.people.find((p) => p.username === username);
    // Digests, so that the time taken says nothing about the password's length or prefix.
    if (!person || !timingSafeEqual(sha256(password), sha256(person.password))) {
      throttle.failed(username, address);
      return new OAuthError("invalid_grant", "Wrong username or password.");
    }
    throttle.succeeded(username, address);
    return person;
  };

  app.get("/oidc/.well-known/openid-configuration", (_req, res) => {
    res.set("Cache-Control", "public, max-age=300").json(discovery);
  });
  app.get("/oidc/jwks", async (_req, res, next) => {
    try {
      res.set("Cache-Control", "public, max-age=300").json((await issuer.keys()).jwks);
    } catch (error) {
      next(error);
    }
  });

  const authorizeOrRefuse = (req: Request, res: Response, source: Record<string, unknown>) => {
    const checked = checkAuthorizeRequest(clients, source);
    if (checked.ok) return checked.request;
    const clientId = typeof source.client_id === "string" ? source.client_id : "(no client)";
    if ("page" in checked) {
      refused(req, "oidc:Authorize", clientId, `invalid_request: ${checked.page}`);
      html(res, 400, oidcErrorPage(checked.page));
    } else {
      refused(req, "oidc:Authorize", clientId, `${checked.error.code}: ${checked.error.description}`);
      res.redirect(302, checked.redirectTo);
    }
    return undefined;
  };
  const origin = (request: AuthorizeRequest) => new URL(request.redirectUri).origin;

  app.get("/oidc/authorize", (req, res) => {
    const source = params(req.query);
    const request = authorizeOrRefuse(req, res, source);
    if (request)
      html(res, 200, oidcLoginPage({ clientId: request.client.clientId, params: source }), origin(request));
  });

  app.post("/oidc/authorize", form, async (req, res, next) => {
    try {
      const source = params(req.body);
      const request = authorizeOrRefuse(req, res, source);
      if (!request) return;
      const username = typeof source.username === "string" ? source.username : "";
      const password = typeof source.password === "string" ? source.password : "";
      const person = signIn(req, username, password);
      if (person instanceof OAuthError) {
        refused(
          req,
          "oidc:SignIn",
          username || "(no username)",
          `${person.description} (client ${request.client.clientId})`,
        );
        if (person.retryAfterSeconds) res.set("Retry-After", String(person.retryAfterSeconds));
        const status = person.status === 429 ? 429 : 401;
        return html(
          res,
          status,
          oidcLoginPage({
            clientId: request.client.clientId,
            params: source,
            error: person.description,
            username,
          }),
          origin(request),
        );
      }
      const code = codes.issue({
        clientId: request.client.clientId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        nonce: request.nonce,
        scope: request.scope,
        username: person.username,
        authTime: Math.floor(deps.clock().getTime() / 1000),
      });
      res.set("Cache-Control", "no-store");
      res.redirect(
        302,
        redirectWith(request.redirectUri, { code, ...(request.state ? { state: request.state } : {}) }),
      );
    } catch (error) {
      next(error);
    }
  });

  app.post("/oidc/token", form, async (req, res, next) => {
    const body = params(req.body);
    let clientId = "(no client)";
    try {
      if (req.body === undefined || !req.is("application/x-www-form-urlencoded"))
        throw new OAuthError(
          "invalid_request",
          "The token request must be an application/x-www-form-urlencoded form.",
        );
      for (const [name, value] of Object.entries(body))
        if (typeof value !== "string")
          throw new OAuthError("invalid_request", `${name} is given more than once.`);
      const field = (name: string) =>
        typeof body[name] === "string" && body[name] !== "" ? (body[name] as string) : undefined;
      const client = clientOf(clients, field("client_id") ?? basicClientId(req.headers.authorization));
      clientId = client.clientId;
      const grantType = field("grant_type");
      const now = deps.clock();
      let tokens: TokenResponse;
      if (grantType === "authorization_code") {
        const code = field("code");
        const redirectUri = field("redirect_uri");
        const verifier = field("code_verifier");
        if (!code || !redirectUri || !verifier)
          throw new OAuthError(
            "invalid_request",
            "grant_type=authorization_code needs code, redirect_uri and code_verifier.",
          );
        const grant = codes.take(code);
        if (!grant)
          throw new OAuthError(
            "invalid_grant",
            "The code is unknown, already used or expired (codes last 60 seconds).",
          );
        if (grant.clientId !== client.clientId)
          throw new OAuthError(
            "invalid_grant",
            `The code was issued to another client than ${client.clientId}.`,
          );
        if (grant.redirectUri !== redirectUri)
          throw new OAuthError("invalid_grant", "redirect_uri is not the one the code was issued for.");
        if (!pkceS256Matches(verifier, grant.codeChallenge))
          throw new OAuthError(
            "invalid_grant",
            "code_verifier does not match the code_challenge (S256) of the authorization request.",
          );
        const person = config.identityProvider.people.find((p) => p.username === grant.username);
        if (!person) throw new OAuthError("invalid_grant", `${grant.username} is no longer configured.`);
        tokens = await tokensFor({
          issuer: issuer.url,
          keys: await issuer.keys(),
          person,
          clientId: client.clientId,
          scope: grant.scope,
          authTime: grant.authTime,
          nonce: grant.nonce,
          now,
        });
      } else if (grantType === "password") {
        if (!client.allowPasswordGrant)
          throw new OAuthError(
            "unauthorized_client",
            `Client ${client.clientId} may not use grant_type=password; set allowPasswordGrant: true on it in oidc.clients.`,
          );
        const username = field("username");
        const password = field("password");
        if (!username || !password)
          throw new OAuthError("invalid_request", "grant_type=password needs username and password.");
        const person = signIn(req, username, password);
        if (person instanceof OAuthError) throw person;
        tokens = await tokensFor({
          issuer: issuer.url,
          keys: await issuer.keys(),
          person,
          clientId: client.clientId,
          scope: field("scope") ?? "openid",
          authTime: Math.floor(now.getTime() / 1000),
          now,
        });
      } else if (grantType === undefined) {
        throw new OAuthError("invalid_request", "The token request has no grant_type.");
      } else {
        throw new OAuthError(
          "unsupported_grant_type",
          `grant_type ${grantType.slice(0, 80)} is not supported; use authorization_code or password.`,
        );
      }
      res.set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json(tokens);
    } catch (error) {
      if (!(error instanceof OAuthError)) return next(error);
      const username = typeof body.username === "string" ? ` for ${body.username}` : "";
      refused(req, "oidc:Token", clientId, `${error.code}: ${error.description}${username}`);
      if (error.retryAfterSeconds) res.set("Retry-After", String(error.retryAfterSeconds));
      res.status(error.status).set({ "Cache-Control": "no-store", Pragma: "no-cache" }).json(error.toJSON());
    }
  });
}

/** The requested client, or invalid_client: the default (no client_id) is the first configured client. */
function clientOf(clients: readonly OidcClient[], clientId: string | undefined): OidcClient {
  if (clientId === undefined) {
    const first = clients[0];
    if (!first) throw new OAuthError("invalid_client", "No OpenID client is configured (oidc.clients).");
    return first;
  }
  const client = clients.find((c) => c.clientId === clientId);
  if (!client)
    throw new OAuthError(
      "invalid_client",
      `No OpenID client ${clientId.slice(0, 80)} is configured (oidc.clients).`,
    );
  return client;
}

/** The client id of an HTTP Basic Authorization header (RFC 6749 §2.3.1), for clients that send one. */
function basicClientId(header: string | undefined): string | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  try {
    return decodeURIComponent(colon === -1 ? decoded : decoded.slice(0, colon)) || undefined;
  } catch {
    throw new OAuthError(
      "invalid_client",
      "The Basic Authorization header's client id is not URL-encoded text.",
    );
  }
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
