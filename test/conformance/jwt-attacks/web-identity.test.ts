/**
 * The verifier's attack corpus through the wire: each forged token sent to AssumeRoleWithWebIdentity with the
 * real SDK, asserting the AWS error the SDK sees and the decision-log record with its reason. Tokens name the
 * built-in issuer (whose key the test reads from fedsim's certs) unless the attack is about the issuer.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CreateOpenIDConnectProviderCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleWithWebIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { b64, handmade, hmacToken, rogue, type Signer, signedBy } from "../../core/oidc/fixtures.js";
import { awsError, startTestFedsim, type TestFedsim, validationMessage } from "../../helpers/fedsim.js";
import { IndependentIssuer } from "../../helpers/oidc.js";
import { ACCOUNT_ID, ADMIN, PETSTORE_ADMIN_ROLE, REGION } from "../../helpers/petstore.js";
import { anonymousSts } from "../../helpers/saml.js";

interface Built {
  issuerUrl: string;
  kid: string;
  key: Signer & { kid: string };
  /** The built-in issuer's private key as fedsim keeps it (PKCS#8 PEM in certs/). */
  privatePem: string;
  other: IndependentIssuer;
  now: number;
  claims(overrides?: Record<string, unknown>): Record<string, unknown>;
}

interface WireAttack {
  name: string;
  token: (b: Built) => string | Promise<string>;
  /** The error name the SDK gives (its exception shape for modeled STS errors). */
  error: string;
  message: (b: Built, token: string) => string;
  /** The decision log's reason; default `CODE: message`. */
  reason?: (b: Built, token: string) => string;
  /** Recorded against "anonymous" (no provider was found, or none read yet); default the built-in issuer's provider. */
  anonymous?: true;
}

const code = (error: string) =>
  error.replace(/Exception$/, "").replace(/^ExpiredToken$/, "ExpiredTokenException");
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const BAD_SIGNATURE = (kid: string) =>
  `The token's RS256 signature does not verify with the issuer's key "${kid}".`;

const attacks: WireAttack[] = [
  {
    name: "alg none",
    token: (b) => handmade({ alg: "none", kid: b.kid }, b.claims(), undefined),
    error: "InvalidIdentityTokenException",
    message: () => 'The token header says alg "none", an unsigned token, which is never accepted.',
    // Refused on its header, before the claims that name a provider are read.
    anonymous: true,
  },
  {
    name: "HS256 signed with the issuer's RSA public key",
    token: (b) => {
      const pem = createPublicKey(b.privatePem).export({ type: "spki", format: "pem" });
      return hmacToken({ alg: "HS256", kid: b.kid, typ: "JWT" }, b.claims(), pem);
    },
    error: "InvalidIdentityTokenException",
    message: () =>
      'The token header says alg "HS256", an HMAC algorithm, which is refused because the issuer\'s keys are public and must never serve as an HMAC secret.',
    anonymous: true,
  },
  {
    name: "an unknown kid",
    token: (b) => signedBy({ ...rogue, kid: "attacker-key" }, b.claims()),
    error: "InvalidIdentityTokenException",
    message: () => 'The issuer\'s JWKS has no key with kid "attacker-key".',
  },
  {
    name: "a rogue key under the published kid",
    token: (b) => signedBy({ ...rogue, kid: b.kid }, b.claims()),
    error: "InvalidIdentityTokenException",
    message: (b) => BAD_SIGNATURE(b.kid),
  },
  {
    name: "another registered issuer's key under the same kid, claiming the built-in issuer",
    token: (b) =>
      b.other.mint({ iss: b.issuerUrl, sub: "alice", aud: "petstore-web" }, new Date(b.now * 1000)),
    error: "InvalidIdentityTokenException",
    message: (b) => BAD_SIGNATURE(b.kid),
  },
  {
    name: "a wrong aud",
    token: (b) => signedBy(b.key, b.claims({ aud: "other-app" })),
    error: "InvalidIdentityTokenException",
    message: () => "Incorrect token audience",
    reason: () =>
      "InvalidIdentityToken: Incorrect token audience (The token's audience \"other-app\" names none of the provider's client ids; add it to the provider or request a token for one of them.)",
  },
  {
    name: "an expired token",
    token: (b) => signedBy(b.key, b.claims({ iat: b.now - 7200, exp: b.now - 3600 })),
    error: "ExpiredTokenException",
    message: (b) =>
      `Token expired: current date/time ${b.now} must be before the expiration date/time ${b.now - 3600}`,
    reason: (b) =>
      `ExpiredTokenException: Token expired: current date/time ${b.now} must be before the expiration date/time ${b.now - 3600} (The token expired at ${iso(b.now - 3600)}, more than 60 seconds before ${iso(b.now)}; get a new token from the identity provider.)`,
  },
  {
    name: "a token not yet valid",
    token: (b) => signedBy(b.key, b.claims({ nbf: b.now + 600 })),
    error: "InvalidIdentityTokenException",
    message: (b) =>
      `The token is not valid before ${iso(b.now + 600)}, more than 60 seconds after ${iso(b.now)}; check the identity provider's clock.`,
  },
  {
    name: "a payload tampered with after signing",
    token: (b) => {
      const [header, , signature] = signedBy(b.key, b.claims({ sub: "bob" })).split(".");
      return `${header}.${b64(JSON.stringify(b.claims()))}.${signature}`;
    },
    error: "InvalidIdentityTokenException",
    message: (b) => BAD_SIGNATURE(b.kid),
  },
  {
    name: "a token over 20,000 characters",
    token: (b) => signedBy(b.key, b.claims({ padding: "x".repeat(20_000) })),
    error: "ValidationError",
    message: (_b, token) =>
      validationMessage(token, "webIdentityToken", "Member must have length less than or equal to 20000"),
    anonymous: true,
  },
  {
    name: "an issuer no provider in the account names",
    token: (b) => signedBy(b.key, b.claims({ iss: "https://accounts.unknown.example" })),
    error: "InvalidIdentityTokenException",
    message: () => "No OpenIDConnect provider found in your account for https://accounts.unknown.example",
    anonymous: true,
  },
];

describe("web identity token attacks through AssumeRoleWithWebIdentity", () => {
  let fedsim: TestFedsim;
  let built: Built;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
    const issuerUrl = `${fedsim.url}/oidc`;
    const { keys } = await (await fetch(`${issuerUrl}/jwks`)).json();
    const kid = keys[0].kid as string;
    // Another issuer fedsim trusts, publishing its own key under the built-in issuer's kid.
    const other = await IndependentIssuer.start();
    await other.rotate(kid);
    await new IAMClient({ region: REGION, endpoint: fedsim.url, credentials: ADMIN, maxAttempts: 1 }).send(
      new CreateOpenIDConnectProviderCommand({
        Url: other.url,
        ClientIDList: ["petstore-web"],
        ThumbprintList: [],
      }),
    );
    const now = Math.floor(fedsim.clock.now().getTime() / 1000);
    const privatePem = readFileSync(join(fedsim.dir, "certs", "oidc-signing.key"), "utf8");
    built = {
      privatePem,
      issuerUrl,
      kid,
      other,
      now,
      key: { alg: "RS256", kid, privateKey: createPrivateKey(privatePem) },
      claims: (overrides = {}) => ({
        iss: issuerUrl,
        sub: "alice",
        aud: "petstore-web",
        iat: now,
        exp: now + 600,
        ...overrides,
      }),
    };
  });
  afterAll(async () => {
    await built?.other.stop();
    await fedsim.stop();
  });

  const send = (token: string) =>
    anonymousSts(fedsim.url).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: PETSTORE_ADMIN_ROLE,
        RoleSessionName: "attack",
        WebIdentityToken: token,
      }),
    );

  for (const attack of attacks) {
    it(`refuses ${attack.name}, and logs why`, async () => {
      const token = await attack.token(built);
      const error = await awsError(() => send(token));
      const message = attack.message(built, token);
      expect({ name: error.name, message: error.message, status: error.$metadata.httpStatusCode }).toEqual({
        name: attack.error,
        message,
        status: 400,
      });
      const requestId = (error as unknown as { $metadata: { requestId: string } }).$metadata.requestId;
      const records = fedsim.decisions.query({ limit: 5, requestId });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        door: "aws-api",
        decision: "refused",
        action: "sts:AssumeRoleWithWebIdentity",
        resource: PETSTORE_ADMIN_ROLE,
        principal: attack.anonymous
          ? "anonymous"
          : `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${built.issuerUrl.slice("http://".length)}`,
        reason: attack.reason ? attack.reason(built, token) : `${code(attack.error)}: ${message}`,
      });
    });
  }

  it("refuses a genuine token of another registered issuer (same kid) for a role that does not trust that issuer: AccessDenied, logged as the trust policy's implicit deny", async () => {
    const token = await built.other.mint({ sub: "alice", aud: "petstore-web" }, new Date(built.now * 1000));
    const error = await awsError(() => send(token));
    expect({ name: error.name, status: error.$metadata.httpStatusCode }).toEqual({
      name: "AccessDenied",
      status: 403,
    });
    const requestId = (error as unknown as { $metadata: { requestId: string } }).$metadata.requestId;
    const [record] = fedsim.decisions.query({ limit: 5, requestId });
    expect(record).toMatchObject({
      decision: "implicit-deny",
      action: "sts:AssumeRoleWithWebIdentity",
      principal: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/${built.other.name}`,
    });
  });

  it("accepts the untampered token, so each refusal above is the attack's doing", async () => {
    const out = await send(signedBy(built.key, built.claims()));
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/PetStoreAdmin/attack`);
  });
});
