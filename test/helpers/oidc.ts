import { generateKeyPairSync, type JsonWebKey, type KeyObject, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An ID token for a person from fedsim's built-in issuer, through its password grant (as `fedsim oidc token`). */
export async function builtinToken(
  url: string,
  username: string,
  password: string,
  clientId = "petstore-web",
): Promise<string> {
  const res = await fetch(`${url}/oidc/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", username, password, client_id: clientId }),
  });
  const body = (await res.json()) as { id_token?: string; error_description?: string };
  if (!res.ok || !body.id_token)
    throw new Error(`no token for ${username}: ${res.status} ${body.error_description}`);
  return body.id_token;
}

interface IssuerKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
}

/** An RSA key made and exported with node:crypto alone: no JWT library of fedsim's is involved. */
async function newKey(kid: string): Promise<IssuerKey> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
  };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * An OpenID issuer fedsim did not write, as a Keycloak or a CI system would be: a node:http server serving
 * discovery and a JWKS at http://127.0.0.1:PORT, and tokens assembled and RS256-signed by hand with
 * node:crypto (not jose, which fedsim's own issuer and verifier use, so a quirk of it cannot hide on both
 * sides). It counts the JWKS requests, so tests can see fedsim's cache.
 */
export class IndependentIssuer {
  jwksRequests = 0;
  private keys: IssuerKey[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<IndependentIssuer> {
    let issuer: IndependentIssuer | undefined;
    const server = createServer((req, res) => {
      const self = issuer!;
      const json = (body: unknown) =>
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.url === "/.well-known/openid-configuration")
        return json({
          issuer: self.url,
          jwks_uri: `${self.url}/keys`,
          response_types_supported: ["id_token"],
        });
      if (req.url === "/keys") {
        self.jwksRequests++;
        return json({ keys: self.keys.map((k) => k.publicJwk) });
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = new IndependentIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await issuer.rotate("key-1");
    return issuer;
  }

  /** IAM's name for it: `127.0.0.1:PORT`, the prefix of its trust-policy keys. */
  get name(): string {
    return this.url.slice("http://".length);
  }

  /** Publishes a new key (the old one stays published) and signs with it from now on. */
  async rotate(kid: string): Promise<void> {
    this.keys.unshift(await newKey(kid));
  }

  /** A signed token with iat/exp around `now` and these claims (iss defaults to this issuer). */
  mint(
    claims: Record<string, unknown>,
    now: Date,
    options: { lifetimeSeconds?: number } = {},
  ): Promise<string> {
    const key = this.keys[0]!;
    const iat = Math.floor(now.getTime() / 1000);
    const header = b64url({ alg: "RS256", kid: key.kid, typ: "JWT" });
    const payload = b64url({ iss: this.url, iat, exp: iat + (options.lifetimeSeconds ?? 600), ...claims });
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), key.privateKey).toString(
      "base64url",
    );
    return Promise.resolve(`${header}.${payload}.${signature}`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
