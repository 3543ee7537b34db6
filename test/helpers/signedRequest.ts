import { request as httpRequest } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { REGION } from "./petstore.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends a request exactly as given (no SDK in between), for wire-level tests. */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const target = new URL(options.path ?? "/", url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? "POST",
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Signs a form-encoded AWS Query POST with the real smithy signer (not sent). */
export function signQuery(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  body: string,
  options: { service?: string; region?: string; headers?: Record<string, string> } = {},
): Promise<{ headers: Record<string, string>; body?: unknown }> {
  const { hostname, port } = new URL(url);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? REGION,
    service: options.service ?? "sts",
    sha256: Sha256,
  });
  return signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname,
      port: Number(port),
      path: "/",
      headers: {
        host: `${hostname}:${port}`,
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        ...options.headers,
      },
      body,
    }),
  ) as Promise<{ headers: Record<string, string>; body?: unknown }>;
}

/** Signs a form-encoded AWS Query request with the real smithy signer and sends it. */
export async function signedQuery(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  body: string,
  service = "sts",
): Promise<RawResponse> {
  const signed = await signQuery(url, credentials, body, { service });
  return rawRequest(url, { method: "POST", headers: signed.headers, body });
}

/** The Code and Message of an AWS Query <ErrorResponse>. */
export function queryError(body: string): { code?: string; message?: string } {
  const entities: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" };
  const text = (m: RegExpExecArray | null) =>
    m?.[1]?.replace(/&(lt|gt|quot|apos|amp);/g, (_e, n: string) => entities[n]!);
  return {
    code: text(/<Code>([^<]*)<\/Code>/.exec(body)),
    message: text(/<Message>([^<]*)<\/Message>/.exec(body)),
  };
}
