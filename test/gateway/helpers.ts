import { readFileSync } from "node:fs";
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import { connect } from "node:net";
import { resolve } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { parse as parseYaml } from "yaml";
import type { LoadedConfig } from "../../src/config/load.js";
import { configSchema } from "../../src/config/schema.js";
import { REGION } from "../helpers/petstore.js";

/** What a test backend saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

export interface TestBackend {
  url: string;
  seen: SeenRequest[];
  /** Replaces the default answer (200, JSON echo of method and url) for the next requests. */
  answer: (fn: ((req: SeenRequest, res: ServerResponse) => void) | undefined) => void;
  close(): Promise<void>;
}

/** A tiny backend on a free loopback port that records every request it receives. */
export async function startBackend(): Promise<TestBackend> {
  const seen: SeenRequest[] = [];
  let custom: ((req: SeenRequest, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: SeenRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      seen.push(entry);
      if (custom) return custom(entry, res);
      res.setHeader("content-type", "application/json");
      res.setHeader("x-backend", "yes");
      res.end(JSON.stringify({ method: entry.method, url: entry.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer: (fn) => {
      custom = fn;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const PARTNER_ACCOUNT = "210987654321";
export const PARTNER = {
  accessKeyId: "AKIAPARTNER000000001",
  secretAccessKey: "partner-secret-0000000000000000000000000",
};
export const STRANGER = {
  accessKeyId: "AKIASTRANGER00000001",
  secretAccessKey: "stranger-secret-000000000000000000000000",
};

/**
 * data/petstore.yaml with a second account (a partner user whose policy allows invoking the pet-store
 * account's APIs, a stranger with no policy) and the APIs the tests call, all fronting `backendUrl`.
 */
export function gatewayConfig(backendUrl: string, extraApis: unknown[] = []): LoadedConfig {
  const file = resolve("data/petstore.yaml");
  const raw = parseYaml(readFileSync(file, "utf8")) as Record<string, unknown> & { accounts: unknown[] };
  const backend = { type: "http", url: `${backendUrl}/base` };
  raw.accounts.push({
    id: PARTNER_ACCOUNT,
    users: [
      {
        name: "partner",
        accessKeys: [{ id: PARTNER.accessKeyId, secret: PARTNER.secretAccessKey }],
        inlinePolicies: {
          invoke: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "execute-api:Invoke",
                Resource: "arn:aws:execute-api:*:123456789012:*",
              },
            ],
          },
        },
      },
      { name: "stranger", accessKeys: [{ id: STRANGER.accessKeyId, secret: STRANGER.secretAccessKey }] },
    ],
  });
  raw.apis = [
    {
      id: "petstore",
      stages: ["prod"],
      backend,
      routes: [
        { method: "GET", path: "/pets" },
        { method: "GET", path: "/pets/{petId}" },
        { method: "POST", path: "/pets" },
        { method: "ANY", path: "/public/{proxy+}", authorization: "NONE" },
      ],
      cors: {
        allowOrigins: ["https://app.example"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["authorization", "content-type", "x-amz-date", "x-amz-security-token"],
        exposeHeaders: ["x-amzn-RequestId"],
        maxAge: 600,
      },
    },
    {
      // Everything comes from 127.0.0.1 in the tests: this resource policy refuses all of it.
      id: "fortress",
      stages: ["prod"],
      backend,
      routes: [
        { method: "GET", path: "/pets" },
        { method: "GET", path: "/open", authorization: "NONE" },
      ],
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
          {
            Sid: "NoLoopback",
            Effect: "Deny",
            Principal: "*",
            Action: "execute-api:Invoke",
            Resource: "execute-api:/*",
            Condition: { IpAddress: { "aws:SourceIp": "127.0.0.0/8" } },
          },
        ],
      },
    },
    {
      id: "shared",
      stages: ["prod"],
      backend,
      routes: [
        { method: "GET", path: "/items" },
        { method: "POST", path: "/items" },
      ],
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "PartnerReads",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${PARTNER_ACCOUNT}:root` },
            Action: "execute-api:Invoke",
            Resource: "execute-api:/prod/GET/items",
          },
        ],
      },
    },
    ...extraApis,
  ];
  return { file, config: configSchema.parse(raw) };
}

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface Sent {
  method: string;
  /** Path and query exactly as put on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function signer(creds: Creds): SignatureV4 {
  return new SignatureV4({ credentials: creds, region: REGION, service: "execute-api", sha256: Sha256 });
}

function smithyRequest(base: string, req: Sent): HttpRequest {
  const { hostname, port } = new URL(base);
  const q = req.path.indexOf("?");
  const query: Record<string, string> = {};
  if (q !== -1) for (const [k, v] of new URLSearchParams(req.path.slice(q + 1))) query[k] = v;
  return new HttpRequest({
    method: req.method,
    protocol: "http:",
    hostname,
    port: Number(port),
    path: q === -1 ? req.path : req.path.slice(0, q),
    query,
    headers: { host: `${hostname}:${port}`, ...req.headers },
    body: req.body,
  });
}

/** Signs with @smithy/signature-v4 (the AWS SDK's signer) at `now`; returns the request to send. */
export async function signSmithy(base: string, creds: Creds, req: Sent, now: Date): Promise<Sent> {
  const signed = await signer(creds).sign(smithyRequest(base, req), { signingDate: now });
  return { ...req, headers: signed.headers as Record<string, string> };
}

/** A presigned URL (X-Amz-* query parameters) from @smithy/signature-v4, valid for `expiresIn` seconds. */
export async function presignSmithy(
  base: string,
  creds: Creds,
  req: Sent,
  now: Date,
  expiresIn: number,
): Promise<Sent> {
  const signed = await signer(creds).presign(smithyRequest(base, req), { signingDate: now, expiresIn });
  const query = new URLSearchParams(signed.query as Record<string, string>).toString().replace(/\+/g, "%20");
  return { ...req, path: `${signed.path}?${query}`, headers: signed.headers as Record<string, string> };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends a request with its path exactly as given (node:http does not normalise it). */
export function send(base: string, req: Sent): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const r = httpRequest(
      {
        hostname,
        port,
        method: req.method,
        path: req.path,
        headers: req.headers,
        setHost: !hasHost(req.headers),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    r.end(req.body);
  });
}

function hasHost(headers: Record<string, string>): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === "host");
}

/** Writes bytes on a fresh connection and returns everything the server answers until it closes. */
export function sendRaw(base: string, text: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolvePromise, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let out = "";
    socket.on("data", (c: Buffer) => {
      out += c.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () =>
      resolvePromise({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(out)?.[1] ?? 0), text: out }),
    );
    socket.setTimeout(5000, () => socket.destroy());
  });
}
