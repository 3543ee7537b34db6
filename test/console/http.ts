import { request } from "node:http";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A GET with any Host header (fetch will not send one of its own): a loopback client that names another
 * host is what the guard sees from a browser reaching fedsim at a non-loopback address or through a proxy.
 */
export function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

/** A Server-Sent Events request's answer: its status and type (the stream then closed), or a refusal's body. */
export function openStream(
  base: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | undefined; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers }, (res) => {
      if (res.statusCode === 200) {
        resolve({ status: 200, contentType: res.headers["content-type"], body: "" });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode!,
          contentType: res.headers["content-type"],
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    req.on("error", (error) => {
      if (!req.destroyed) reject(error);
    });
    req.end();
  });
}
