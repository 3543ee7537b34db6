/**
 * Review of issue 9 (failing on purpose until fixed): what an issuer the attacker runs on 127.0.0.1 can make
 * fedsim fetch. A loopback provider is accepted only because it is local, so its discovery document must not
 * send fedsim anywhere else: not by jwks_uri, not by an HTTP redirect, and not by an endless body.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AwsError } from "../../../src/errors.js";
import { webIdentityKeys } from "../../../src/services/sts/webIdentityKeys.js";
import { TestClock } from "../../helpers/fedsim.js";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    return (error as AwsError).code;
  }
  return "no error";
}

describe("a loopback issuer cannot point fedsim's key fetch elsewhere", () => {
  it("does not fetch a jwks_uri on another host than the loopback issuer's", async () => {
    const issuer = "http://127.0.0.1:5555";
    const calls: string[] = [];
    const fetchImpl = (async (input: string | URL | Request) => {
      const url = String(input);
      calls.push(url);
      if (url === `${issuer}/.well-known/openid-configuration`)
        return Response.json({ issuer, jwks_uri: "http://169.254.169.254/latest/meta-data/iam/" });
      return Response.json({ keys: [] });
    }) as typeof fetch;
    const keys = webIdentityKeys({ clock: new TestClock().now, fetch: fetchImpl });
    await codeOf(keys.jwksFor(issuer, "arn:aws:iam::123456789012:oidc-provider/127.0.0.1:5555"));
    expect(calls).not.toContain("http://169.254.169.254/latest/meta-data/iam/");
  });

  it("does not follow a redirect from the issuer's discovery document to another server", async () => {
    const hits: string[] = [];
    const elsewhere = await serve((req, res) => {
      hits.push(req.url ?? "");
      res.end("{}");
    });
    const issuer = await serve((_req, res) => {
      res.writeHead(302, { location: `${elsewhere}/internal/admin?x=1` }).end();
    });
    const keys = webIdentityKeys({ clock: new TestClock().now });
    await codeOf(keys.jwksFor(issuer, `arn:aws:iam::123456789012:oidc-provider/${issuer.slice(7)}`));
    expect(hits).toEqual([]);
  });

  it("stops reading a JWKS body without Content-Length once it passes 1 MB", async () => {
    const issuer = "https://issuer.example";
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const fetchImpl = (async (input: string | URL | Request) => {
      if (String(input).endsWith("/.well-known/openid-configuration"))
        return Response.json({ issuer, jwks_uri: `${issuer}/keys` });
      // 64 MB of spaces, streamed with no Content-Length.
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulled >= 64 * 1024 * 1024) return controller.close();
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      });
      return new Response(body, { headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const keys = webIdentityKeys({ clock: new TestClock().now, fetch: fetchImpl });
    expect(await codeOf(keys.jwksFor(issuer, "arn:aws:iam::123456789012:oidc-provider/issuer.example"))).toBe(
      "InvalidIdentityToken",
    );
    expect(pulled).toBeLessThanOrEqual(1_000_000 + 2 * chunk.length);
  });
});
