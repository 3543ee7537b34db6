import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFile } from "../../src/config/load.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { PETSTORE_ADMIN_ROLE } from "../helpers/petstore.js";
import { anonymousSts } from "../helpers/saml.js";

const REDIRECT = "http://127.0.0.1:8000/callback";

/** The built-in OpenID issuer at /oidc, driven over HTTP: by openid-client (an independent relying party) and by hand. */
describe("the built-in OpenID issuer", () => {
  let fedsim: TestFedsim;
  let issuer: string;
  beforeAll(async () => {
    const loaded = loadConfigFile("data/petstore.yaml");
    // A second client, for the browser flow only.
    loaded.config.oidc.clients.push({
      clientId: "petstore-spa",
      redirectUris: [REDIRECT],
      allowPasswordGrant: false,
    });
    fedsim = await startTestFedsim({ config: loaded });
    issuer = `${fedsim.url}/oidc`;
  });
  afterAll(() => fedsim.stop());

  const token = (form: Record<string, string>, init: RequestInit = {}) =>
    fetch(`${issuer}/token`, { method: "POST", body: new URLSearchParams(form), ...init });
  const oauthError = async (res: Response) => ({ status: res.status, body: await res.json() });
  const lastRecord = () => fedsim.decisions.query({ limit: 1 })[0];

  /** The sign-in page's form posted as a browser would, with the hidden fields it carries. */
  async function signIn(authorizeUrl: URL, username: string, password: string): Promise<Response> {
    const page = await (await fetch(authorizeUrl)).text();
    const form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      form.set(name!, value!.replaceAll("&amp;", "&").replaceAll("&quot;", '"'));
    form.set("username", username);
    form.set("password", password);
    return fetch(`${issuer}/authorize`, { method: "POST", body: form, redirect: "manual" });
  }

  describe("discovery", () => {
    it("names itself {publicUrl}/oidc, exactly the iss of its tokens, with the endpoints it serves", async () => {
      const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
      expect(discovery).toMatchObject({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["none"],
        grant_types_supported: ["authorization_code", "password"],
      });
      const jwks = await (await fetch(discovery.jwks_uri)).json();
      expect(jwks.keys).toEqual([expect.objectContaining({ kty: "RSA", alg: "RS256", use: "sig" })]);
      expect(jwks.keys[0]).not.toHaveProperty("d");
    });
  });

  describe("the authorization-code flow with PKCE, completed by openid-client", () => {
    let config: client.Configuration;
    beforeAll(async () => {
      config = await client.discovery(new URL(issuer), "petstore-spa", undefined, client.None(), {
        execute: [client.allowInsecureRequests],
      });
    });

    it("signs alice in and gives an ID token that AssumeRoleWithWebIdentity accepts", async () => {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: "openid email",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      // Browsers apply form-action to the redirect after the post, so the client's origin is allowed too.
      expect(page.headers.get("content-security-policy")).toContain(
        "form-action 'self' http://127.0.0.1:8000;",
      );
      expect(page.headers.get("x-frame-options")).toBe("DENY");
      const redirect = await signIn(url, "alice", "alice-password");
      expect(redirect.status).toBe(302);
      const callback = new URL(redirect.headers.get("location")!);
      expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
      const tokens = await client.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      });
      expect(tokens.claims()).toMatchObject({
        iss: issuer,
        sub: "alice",
        aud: "petstore-spa",
        email: "alice@petstore.example",
        groups: ["admins"],
        nonce,
      });
      expect(tokens).toMatchObject({ token_type: "bearer", expires_in: 3600 });
      // PetStoreAdmin trusts the petstore-web client only.
      const refused = await anonymousSts(fedsim.url)
        .send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: PETSTORE_ADMIN_ROLE,
            RoleSessionName: "alice",
            WebIdentityToken: tokens.id_token!,
          }),
        )
        .catch((error: Error) => error);
      expect(refused).toMatchObject({
        name: "InvalidIdentityTokenException",
        message: "Incorrect token audience",
      });
    });

    it("redeems a code once, and only with the verifier of its challenge", async () => {
      const verifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: "openid",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
      });
      const code = new URL(
        (await signIn(url, "bob", "bob-password")).headers.get("location")!,
      ).searchParams.get("code")!;
      const redeem = (codeVerifier: string) =>
        token({
          grant_type: "authorization_code",
          code,
          redirect_uri: REDIRECT,
          client_id: "petstore-spa",
          code_verifier: codeVerifier,
        });
      expect(await oauthError(await redeem(client.randomPKCECodeVerifier()))).toEqual({
        status: 400,
        body: {
          error: "invalid_grant",
          error_description:
            "code_verifier does not match the code_challenge (S256) of the authorization request.",
        },
      });
      // The failed attempt spent the code: a stolen code is worth nothing once its owner has tried it.
      expect(await oauthError(await redeem(verifier))).toEqual({
        status: 400,
        body: {
          error: "invalid_grant",
          error_description: "The code is unknown, already used or expired (codes last 60 seconds).",
        },
      });
      expect(lastRecord()).toMatchObject({
        door: "oidc",
        decision: "refused",
        action: "oidc:Token",
        resource: "petstore-spa",
        reason: "invalid_grant: The code is unknown, already used or expired (codes last 60 seconds).",
      });
    });
  });

  describe("authorization requests it refuses", () => {
    const authorize = (params: Record<string, string>) =>
      fetch(`${issuer}/authorize?${new URLSearchParams(params)}`, { redirect: "manual" });
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    it("sends a request without PKCE back to the client with invalid_request", async () => {
      const res = await authorize({
        client_id: "petstore-spa",
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid",
        state: "s1",
      });
      expect(res.status).toBe(302);
      const back = new URL(res.headers.get("location")!);
      expect(Object.fromEntries(back.searchParams)).toEqual({
        error: "invalid_request",
        error_description: "PKCE is required: send code_challenge with code_challenge_method=S256.",
        state: "s1",
      });
    });

    it("refuses the plain PKCE method too", async () => {
      const res = await authorize({
        client_id: "petstore-spa",
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid",
        code_challenge: challenge,
        code_challenge_method: "plain",
      });
      expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    });

    it("shows an unregistered redirect_uri to the person instead of redirecting there, and logs it", async () => {
      const res = await authorize({
        client_id: "petstore-spa",
        redirect_uri: "https://mallory.example/steal",
        response_type: "code",
        scope: "openid",
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain(
        "https://mallory.example/steal is not a redirect URI of client petstore-spa; register it in oidc.clients[].redirectUris (compared exactly).",
      );
      expect(lastRecord()).toMatchObject({
        door: "oidc",
        action: "oidc:Authorize",
        resource: "petstore-spa",
      });
    });

    it("answers a wrong password on the sign-in page with the page again, 401, and logs it", async () => {
      const url = new URL(
        `${issuer}/authorize?${new URLSearchParams({
          client_id: "petstore-spa",
          redirect_uri: REDIRECT,
          response_type: "code",
          scope: "openid",
          code_challenge: challenge,
          code_challenge_method: "S256",
        })}`,
      );
      const res = await signIn(url, "alice", "wrong");
      expect(res.status).toBe(401);
      expect(await res.text()).toContain("Wrong username or password.");
      expect(lastRecord()).toMatchObject({
        door: "oidc",
        action: "oidc:SignIn",
        resource: "alice",
        reason: "Wrong username or password. (client petstore-spa)",
      });
    });
  });

  describe("the token endpoint's refusals, as RFC 6749 JSON", () => {
    const password = { grant_type: "password", username: "bob", password: "bob-password" };

    it("answers invalid_client (401) for a client it does not know", async () => {
      expect(await oauthError(await token({ ...password, client_id: "nobody" }))).toEqual({
        status: 401,
        body: {
          error: "invalid_client",
          error_description: "No OpenID client nobody is configured (oidc.clients).",
        },
      });
    });

    it("answers unauthorized_client for a client without allowPasswordGrant", async () => {
      expect(await oauthError(await token({ ...password, client_id: "petstore-spa" }))).toEqual({
        status: 400,
        body: {
          error: "unauthorized_client",
          error_description:
            "Client petstore-spa may not use grant_type=password; set allowPasswordGrant: true on it in oidc.clients.",
        },
      });
    });

    it("answers invalid_request for a missing grant_type or field, and for a JSON body", async () => {
      expect((await oauthError(await token({ client_id: "petstore-web" }))).body).toEqual({
        error: "invalid_request",
        error_description: "The token request has no grant_type.",
      });
      expect((await oauthError(await token({ grant_type: "password", username: "bob" }))).body).toEqual({
        error: "invalid_request",
        error_description: "grant_type=password needs username and password.",
      });
      const json = await fetch(`${issuer}/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(password),
      });
      expect((await oauthError(json)).body.error).toBe("invalid_request");
    });

    it("answers unsupported_grant_type for grants it does not implement", async () => {
      expect((await oauthError(await token({ grant_type: "client_credentials" }))).body).toEqual({
        error: "unsupported_grant_type",
        error_description:
          "grant_type client_credentials is not supported; use authorization_code or password.",
      });
    });

    it("gives the first client's token when no client_id is sent", async () => {
      const res = await token(password);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = await res.json();
      expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
      const claims = JSON.parse(Buffer.from(body.id_token.split(".")[1], "base64url").toString());
      expect(claims).toMatchObject({ iss: issuer, sub: "bob", aud: "petstore-web" });
      expect(claims.exp - claims.iat).toBe(3600);
      expect(claims.auth_time).toBe(claims.iat);
    });

    it("locks a username out after 5 wrong passwords from one address, with 429 and Retry-After", async () => {
      const wrong = { grant_type: "password", username: "carol", password: "guess" };
      for (let i = 0; i < 5; i++)
        expect((await oauthError(await token(wrong))).body).toEqual({
          error: "invalid_grant",
          error_description: "Wrong username or password.",
        });
      const locked = await token(wrong);
      expect(locked.status).toBe(429);
      expect(locked.headers.get("retry-after")).toBe("1");
      expect((await locked.json()).error_description).toBe(
        "Too many wrong passwords for this username from your address: try again in 1 second.",
      );
    });
  });
});
