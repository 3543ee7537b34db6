import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Answer, gatewayConfig, send, startBackend, type TestBackend } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { builtinToken, IndependentIssuer } from "../helpers/oidc.js";
import { ACCOUNT_ID, REGION } from "../helpers/petstore.js";

const POOL_ID = "us-east-1_PetStore1";
const POOL_ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
const POOL_CLIENT = "petstorewebclient000000001";
const API = "/restapis/tokens/prod/_user_request_";
const ARN = (tail: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:tokens/prod/${tail}`;

describe("the gateway's JWT and COGNITO_USER_POOLS routes, over HTTP", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let issuer: IndependentIssuer;

  beforeAll(async () => {
    backend = await startBackend();
    issuer = await IndependentIssuer.start();
    const loaded = gatewayConfig(backend.url, [
      {
        id: "tokens",
        stages: ["prod"],
        backend: { type: "http", url: backend.url },
        authorizers: [
          { name: "builtin", type: "JWT", issuer: "${fedsim:oidc}", audiences: ["petstore-web"] },
          { name: "outside", type: "JWT", issuer: issuer.url, audiences: ["orders-api"] },
          { name: "poolJwt", type: "JWT", issuer: POOL_ISSUER, audiences: [POOL_CLIENT] },
          {
            name: "pool",
            type: "COGNITO_USER_POOLS",
            userPoolArns: [`arn:aws:cognito-idp:${REGION}:${ACCOUNT_ID}:userpool/${POOL_ID}`],
          },
        ],
        routes: [
          { method: "GET", path: "/me", authorization: "JWT", authorizer: "builtin" },
          { method: "GET", path: "/orders", authorization: "JWT", authorizer: "outside" },
          {
            method: "POST",
            path: "/orders",
            authorization: "JWT",
            authorizer: "outside",
            scopes: ["orders/write", "orders/admin"],
          },
          {
            method: "GET",
            path: "/pool",
            authorization: "JWT",
            authorizer: "poolJwt",
            scopes: ["aws.cognito.signin.user.admin"],
          },
          { method: "GET", path: "/pool-id", authorization: "JWT", authorizer: "poolJwt" },
          { method: "GET", path: "/rest", authorization: "COGNITO_USER_POOLS", authorizer: "pool" },
          {
            method: "GET",
            path: "/rest-scoped",
            authorization: "COGNITO_USER_POOLS",
            authorizer: "pool",
            scopes: ["aws.cognito.signin.user.admin"],
          },
        ],
      },
    ]);
    fedsim = await startTestFedsim({ config: loaded });
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
    await issuer.stop();
  });

  const now = () => fedsim.clock.now();
  const call = (method: string, path: string, token?: string, extra: Record<string, string> = {}) =>
    send(fedsim.url, {
      method,
      path: `${API}${path}`,
      headers: token === undefined ? extra : { authorization: token, ...extra },
    });
  const reaching = async (fn: () => Promise<Answer>) => {
    const before = backend.seen.length;
    const answer = await fn();
    return { answer, seen: backend.seen.length > before ? backend.seen.at(-1) : undefined };
  };
  const record = (a: Answer) =>
    fedsim.decisions.query({ limit: 5, requestId: a.headers["x-amzn-requestid"] as string })[0];
  const authorizerOf = (seen: { headers: Record<string, unknown> } | undefined) =>
    (JSON.parse(seen!.headers["x-amzn-request-context"] as string) as { authorizer: Record<string, unknown> })
      .authorizer;
  const expectUnauthorized = (a: Answer, challenge: string) => {
    expect(a.status).toBe(401);
    expect(JSON.parse(a.body)).toEqual({ message: "Unauthorized" });
    expect(a.headers["x-amzn-errortype"]).toBe("UnauthorizedException");
    expect(a.headers["www-authenticate"]).toBe(challenge);
  };
  const invalidToken = (description: string) =>
    `Bearer scope="" error="invalid_token" error_description="${description}"`;
  const signIn = async (username: string, password: string) => {
    const idp = new CognitoIdentityProviderClient({ region: REGION, endpoint: fedsim.url, maxAttempts: 1 });
    idp.config.systemClockOffset = now().getTime() - Date.now();
    const out = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: POOL_CLIENT,
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return { id: out.AuthenticationResult!.IdToken!, access: out.AuthenticationResult!.AccessToken! };
  };

  describe("JWT with the built-in issuer (${fedsim:oidc})", () => {
    it("forwards a request carrying Alice's ID token, with her claims as requestContext.authorizer.jwt", async () => {
      const token = await builtinToken(fedsim.url, "alice", "alice-password");
      const { answer, seen } = await reaching(() => call("GET", "/me", `Bearer ${token}`));
      expect(answer.status).toBe(200);
      const authorizer = authorizerOf(seen) as { jwt: { claims: Record<string, string>; scopes: unknown } };
      expect(authorizer.jwt.claims.sub).toBe(
        JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub,
      );
      expect(authorizer.jwt.claims.iss).toBe(`${fedsim.url}/oidc`);
      expect(authorizer.jwt.claims.aud).toBe("petstore-web");
      // Every claim as a string, as API Gateway hands them on.
      expect(typeof authorizer.jwt.claims.exp).toBe("string");
      expect(record(answer)).toMatchObject({
        door: "gateway",
        action: "execute-api:Invoke",
        resource: ARN("GET/me"),
        decision: "allow",
        principal: `${fedsim.url}/oidc#${authorizer.jwt.claims.sub}`,
      });
      expect(record(answer)!.reason).toMatch(/^Allowed: JWT authorizer builtin accepted the token of /);
    });

    it("takes the token without the Bearer prefix too", async () => {
      const token = await builtinToken(fedsim.url, "bob", "bob-password");
      expect((await call("GET", "/me", token)).status).toBe(200);
    });

    it("refuses a request without a token: 401 Unauthorized, www-authenticate Bearer, recorded", async () => {
      const { answer, seen } = await reaching(() => call("GET", "/me"));
      expectUnauthorized(answer, "Bearer");
      expect(seen).toBeUndefined();
      expect(record(answer)).toMatchObject({
        decision: "refused",
        principal: "anonymous",
        resource: ARN("GET/me"),
        reason: "JWT authorizer builtin: the request has no authorization header holding a token",
      });
    });

    it("refuses a SigV4 Authorization header on a JWT route as an invalid token", async () => {
      const answer = await call("GET", "/me", "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=00");
      expectUnauthorized(answer, invalidToken("the token is malformed"));
    });

    it("refuses another issuer's genuine token without fetching that issuer's keys", async () => {
      const before = issuer.jwksRequests;
      const token = await issuer.mint({ sub: "u1", aud: "petstore-web" }, now());
      const answer = await call("GET", "/me", `Bearer ${token}`);
      expectUnauthorized(answer, invalidToken("the token does not have a valid issuer"));
      expect(issuer.jwksRequests).toBe(before);
      expect(record(answer)!.reason).toBe(
        `JWT authorizer builtin: the token's iss "${issuer.url}" is not ${fedsim.url}/oidc`,
      );
    });

    it("refuses a token whose payload was changed after signing", async () => {
      const [h, p, s] = (await builtinToken(fedsim.url, "bob", "bob-password")).split(".");
      const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: "alice" })).toString("base64url")}.${s}`;
      expectUnauthorized(await call("GET", "/me", forged), invalidToken("the token signature is invalid"));
    });

    it("refuses alg none and HS256 tokens", async () => {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
      const iat = Math.floor(now().getTime() / 1000);
      const payload = b64({ iss: `${fedsim.url}/oidc`, sub: "x", aud: "petstore-web", iat, exp: iat + 600 });
      const none = `${b64({ alg: "none" })}.${payload}.`;
      const hs = `${b64({ alg: "HS256" })}.${payload}.c2lnbmF0dXJl`;
      for (const token of [none, hs]) {
        const answer = await call("GET", "/me", token);
        expectUnauthorized(answer, invalidToken("the token signing method is not accepted"));
      }
    });
  });

  describe("JWT with an independent issuer (keys from its discovery document)", () => {
    it("checks the audience: aud must be one of the authorizer's", async () => {
      const token = await issuer.mint({ sub: "u1", aud: "someone-else" }, now());
      const answer = await call("GET", "/orders", `Bearer ${token}`);
      expectUnauthorized(answer, invalidToken("the token does not have a valid audience"));
      expect(record(answer)!.reason).toBe(
        "JWT authorizer outside: the token's aud (someone-else) is none of orders-api",
      );
    });

    it("refuses an expired token once fedsim's clock passes exp", async () => {
      const token = await issuer.mint({ sub: "u1", aud: "orders-api" }, now(), { lifetimeSeconds: 300 });
      expect((await call("GET", "/orders", `Bearer ${token}`)).status).toBe(200);
      fedsim.clock.advance(10 * 60_000);
      expectUnauthorized(
        await call("GET", "/orders", `Bearer ${token}`),
        invalidToken("the token has expired"),
      );
    });

    it("refuses a token that is not valid yet (nbf)", async () => {
      const nbf = Math.floor(now().getTime() / 1000) + 3600;
      const token = await issuer.mint({ sub: "u1", aud: "orders-api", nbf }, now());
      expectUnauthorized(
        await call("GET", "/orders", `Bearer ${token}`),
        invalidToken("the token is not valid yet"),
      );
    });

    it("answers 403 Forbidden when the token has none of the route's scopes, and forwards when it has one", async () => {
      const reader = await issuer.mint({ sub: "u1", aud: "orders-api", scope: "orders/read" }, now());
      const refused = await reaching(() => call("POST", "/orders", `Bearer ${reader}`));
      expect(refused.answer.status).toBe(403);
      expect(JSON.parse(refused.answer.body)).toEqual({ message: "Forbidden" });
      expect(refused.answer.headers["www-authenticate"]).toBe(
        'Bearer scope="orders/write orders/admin" error="insufficient_scope" error_description="the token does not have the required scopes"',
      );
      expect(refused.seen).toBeUndefined();
      expect(record(refused.answer)).toMatchObject({
        decision: "refused",
        reason:
          "JWT authorizer outside: the token's scopes (orders/read) include none of the route's (orders/write orders/admin)",
      });
      const writer = await issuer.mint({ sub: "u2", aud: "orders-api", scp: ["orders/admin"] }, now());
      const allowed = await reaching(() => call("POST", "/orders", `Bearer ${writer}`));
      expect(allowed.answer.status).toBe(200);
      expect(authorizerOf(allowed.seen)).toMatchObject({ jwt: { scopes: ["orders/admin"] } });
    });

    it("fetches the issuer's keys again for a kid it does not know (key rotation), at most every 10 s", async () => {
      await issuer.rotate("key-2");
      // Keys fetched under 10 s ago are not asked for again, so made-up kids cannot flood the issuer.
      const early = await issuer.mint({ sub: "u3", aud: "orders-api" }, now());
      expectUnauthorized(
        await call("GET", "/orders", `Bearer ${early}`),
        invalidToken("no key of the issuer verifies the token"),
      );
      fedsim.clock.advance(11_000);
      const before = issuer.jwksRequests;
      const token = await issuer.mint({ sub: "u3", aud: "orders-api" }, now());
      expect((await call("GET", "/orders", `Bearer ${token}`)).status).toBe(200);
      expect(issuer.jwksRequests).toBe(before + 1);
    });
  });

  describe("Cognito user pools", () => {
    it("JWT: an access token passes on its client_id and scope", async () => {
      const { access } = await signIn("bob", "bob-password");
      const { answer, seen } = await reaching(() => call("GET", "/pool", `Bearer ${access}`));
      expect(answer.status).toBe(200);
      expect(authorizerOf(seen)).toMatchObject({
        jwt: {
          claims: { client_id: POOL_CLIENT, token_use: "access", username: "bob" },
          scopes: ["aws.cognito.signin.user.admin"],
        },
      });
    });

    it("JWT: an ID token passes on its aud, and gets 403 on a route that requires scopes", async () => {
      const { id } = await signIn("bob", "bob-password");
      expect((await call("GET", "/pool-id", `Bearer ${id}`)).status).toBe(200);
      const scoped = await call("GET", "/pool", `Bearer ${id}`);
      expect(scoped.status).toBe(403);
      expect(JSON.parse(scoped.body)).toEqual({ message: "Forbidden" });
    });

    it("COGNITO_USER_POOLS: an ID token in Authorization reaches the backend with requestContext.authorizer.claims", async () => {
      const { id } = await signIn("alice", "alice-password");
      const { answer, seen } = await reaching(() => call("GET", "/rest", id));
      expect(answer.status).toBe(200);
      const authorizer = authorizerOf(seen) as { claims: Record<string, string> };
      expect(authorizer.claims["cognito:username"]).toBe("alice");
      expect(authorizer.claims.iss).toBe(POOL_ISSUER);
      expect(authorizer.claims.token_use).toBe("id");
      expect(record(answer)!.reason).toMatch(
        /^Allowed: COGNITO_USER_POOLS authorizer pool accepted the token of /,
      );
    });

    it("COGNITO_USER_POOLS: an access token is refused where no scopes are required, taken where they are", async () => {
      const { access, id } = await signIn("bob", "bob-password");
      const refused = await call("GET", "/rest", access);
      expectUnauthorized(refused, invalidToken("the token is not the kind the route requires"));
      expect(record(refused)!.reason).toBe(
        'COGNITO_USER_POOLS authorizer pool: the route needs a user pool ID token (no scopes are required), and the token\'s token_use is "access"',
      );
      expect((await call("GET", "/rest-scoped", access)).status).toBe(200);
      expect((await call("GET", "/rest-scoped", id)).status).toBe(401);
    });

    it("COGNITO_USER_POOLS: refuses the built-in issuer's token (not the pool's issuer)", async () => {
      const token = await builtinToken(fedsim.url, "bob", "bob-password");
      expectUnauthorized(
        await call("GET", "/rest", token),
        invalidToken("the token does not have a valid issuer"),
      );
    });
  });
});
