import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { Agent, request as httpRequest, type IncomingMessage } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { connect, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningCertificate } from "../../src/core/saml/certificates.js";
import { signedFetchAt } from "../../src/testing/signedFetch.js";
import { gatewayConfig, send, sendRaw, startBackend, type TestBackend } from "../gateway/helpers.js";
import { headerValues, okAnswer, type RawBackend, startRawBackend } from "../gateway/rawBackend.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

const at = (api: string, path: string) => `/restapis/${api}/prod/_user_request_${path}`;
const proxyApi = (id: string, url: string, timeoutMs?: number, extraRoutes: unknown[] = []) => ({
  id,
  stages: ["prod"],
  backend: { type: "http", url, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
  routes: [...extraRoutes, { method: "ANY", path: "/{proxy+}", authorization: "NONE" }],
});
const hasIpv6Loopback = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.address === "::1");
/** The status of the last answer in raw HTTP text (after any 100 Continue). */
const finalStatus = (text: string) => Number([...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].at(-1)?.[1] ?? 0);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Opens a connection, writes `text`, and hands back the socket and everything it receives. */
function openRaw(base: string, text: string) {
  const { hostname, port } = new URL(base);
  const socket: Socket = connect(Number(port), hostname, () => socket.write(text));
  let received = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  socket.on("data", (c: Buffer) => {
    received += c.toString("latin1");
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(received)) w.resolve();
      else waiters.push(w);
    }
  });
  socket.on("error", () => {});
  const closed = once(socket, "close").then(() => received);
  return {
    socket,
    closed,
    until: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        if (pattern.test(received)) resolve();
        else waiters.push({ pattern, resolve });
      }),
  };
}

/** Waits until `read()` has stopped changing (polled, bounded): how a stalled stream is observed. */
async function whenStill(read: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 300 && still < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe("the gateway's backend hop: what goes to the backend and back, exactly", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let raw: RawBackend;
  let silent: RawBackend;
  let tlsServer: HttpsServer;
  let tlsSeen = 0;
  let v6: RawBackend | undefined;

  beforeAll(async () => {
    backend = await startBackend();
    raw = await startRawBackend();
    silent = await startRawBackend();
    silent.answer(() => {});
    const cert = await generateSigningCertificate({ commonName: "127.0.0.1" });
    tlsServer = createHttpsServer({ key: cert.privateKeyPem, cert: cert.certificatePem }, (_req, res) => {
      tlsSeen++;
      res.end("trusted");
    });
    await new Promise<void>((r) => tlsServer.listen(0, "127.0.0.1", r));
    const tlsPort = (tlsServer.address() as { port: number }).port;
    if (hasIpv6Loopback) v6 = await startRawBackend("::1");
    const apis = [
      proxyApi("hop", `${raw.url}/base/v1`, undefined, [{ method: "POST", path: "/signed" }]),
      proxyApi("slow", silent.url, 200),
      // A TLS backend that accepts the connection and never answers the handshake: the connect timeout.
      proxyApi("tlsstall", `https://127.0.0.1:${silent.port}`, 200),
      proxyApi("selfsigned", `https://127.0.0.1:${tlsPort}`),
      ...(v6 ? [proxyApi("v6", `${v6.url}/six`)] : []),
    ];
    fedsim = await startTestFedsim({ config: gatewayConfig(backend.url, apis) });
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
    await raw.close();
    await silent.close();
    await v6?.close();
    tlsServer.closeAllConnections();
    await new Promise((r) => tlsServer.close(r));
  });

  const reset = () => raw.answer((req) => req.socket.write(okAnswer()));
  const putApi = (def: { id: string }) =>
    send(fedsim.url, {
      method: "PUT",
      path: `/_fedsim/apis/${def.id}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(def),
    });
  const head = (text: string) => text.slice(0, text.indexOf("\r\n\r\n"));

  describe("the request", () => {
    it("drops hop-by-hop and Connection-listed headers and the gateway's own, and keeps every other as spelled", async () => {
      const arrived = raw.next();
      const answer = await sendRaw(
        fedsim.url,
        `GET ${at("hop", "/h")} HTTP/1.1\r\nHost: a\r\n` +
          "Connection: close, X-Listed\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: X-T\r\n" +
          "Upgrade: websocket\r\nProxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\n" +
          "X-Listed: secret\r\nX-Amzn-Request-Context: {}\r\nX-Forwarded-For: 10.0.0.1\r\n" +
          "X-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\n" +
          "Forwarded: for=10.0.0.1\r\nX-Amzn-Apigateway-Api-Id: other\r\nX_Forwarded_For: 10.0.0.2\r\n" +
          "X-CamelCase-Kept: Value\r\nx-lower-kept: v\r\nX-Dup: 1\r\nX-Dup: 2\r\n\r\n",
      );
      expect(answer.status).toBe(200);
      const seen = await arrived;
      const names = seen.headers.map(([n]) => n);
      const lower = names.map((n) => n.toLowerCase());
      for (const dropped of [
        "keep-alive",
        "te",
        "trailer",
        "upgrade",
        "proxy-authorization",
        "proxy-connection",
        "x-listed",
        "x-forwarded-host",
        "forwarded",
        "x_forwarded_for",
        "transfer-encoding",
      ])
        expect(lower).not.toContain(dropped);
      // undici says keep-alive to its own backend; never the client's close or its listed names.
      expect(headerValues(seen, "connection")).toEqual(["keep-alive"]);
      expect(names).toContain("X-CamelCase-Kept");
      expect(names).toContain("x-lower-kept");
      expect(headerValues(seen, "x-dup")).toEqual(["1", "2"]);
      expect(headerValues(seen, "x-forwarded-for")).toEqual(["127.0.0.1"]);
      expect(headerValues(seen, "x-forwarded-proto")).toEqual(["http"]);
      expect(headerValues(seen, "x-forwarded-port")).toEqual([new URL(fedsim.url).port]);
      expect(headerValues(seen, "x-amzn-apigateway-api-id")).toEqual(["hop"]);
      const context = headerValues(seen, "x-amzn-request-context");
      expect(context).toHaveLength(1);
      expect(JSON.parse(context[0]!)).toMatchObject({ apiId: "hop", identity: { sourceIp: "127.0.0.1" } });
      expect(headerValues(seen, "host")).toEqual([new URL(raw.url).host]);
    });

    it("forwards an upgrade request as a plain request, without its Upgrade", async () => {
      const arrived = raw.next();
      const client = openRaw(
        fedsim.url,
        `GET ${at("hop", "/ws")} HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n`,
      );
      await client.until(/\r\n\r\nok$/);
      client.socket.destroy();
      expect(finalStatus(await client.closed)).toBe(200);
      expect(headerValues(await arrived, "upgrade")).toEqual([]);
    });

    it.each([
      ["Expect: 100-continue", "Expect: 100-continue\r\n"],
      ["Transfer-Encoding: Chunked (another case)", "Transfer-Encoding: Chunked\r\n"],
      ["a transfer_encoding spelling", "Transfer_Encoding: gzip\r\nContent-Length: 5\r\n"],
      ["Keep-Alive, Upgrade and TE together", "Keep-Alive: 1\r\nUpgrade: h2c\r\nTE: trailers, deflate\r\n"],
      ["a Connection header listing odd tokens", "Connection: , keep-alive,, x-a\r\nX-A: 1\r\n"],
      ["an empty header value", "X-Empty:\r\n"],
      ["a name of every token character", "X!#$%&'*+.^_`|~9: v\r\n"],
      ["obs-text in a value", "X-Latin: caf\xe9\r\n"],
    ])("forwards a POST with %s, its body byte-exact", async (_name, headers) => {
      const arrived = raw.next();
      const chunked = /transfer-encoding: chunked/i.test(headers);
      const answer = await sendRaw(
        fedsim.url,
        `POST ${at("hop", "/odd")} HTTP/1.1\r\nHost: a\r\n${headers}${chunked ? "" : /content-length/i.test(headers) ? "" : "Content-Length: 5\r\n"}Connection: close\r\n\r\n${chunked ? "5\r\nhello\r\n0\r\n\r\n" : "hello"}`,
      );
      expect(finalStatus(answer.text)).toBe(200);
      const seen = await arrived;
      expect(seen.body.toString()).toBe("hello");
      expect(headerValues(seen, "content-length")).toEqual(["5"]);
      for (const dropped of [
        "expect",
        "transfer-encoding",
        "transfer_encoding",
        "keep-alive",
        "upgrade",
        "te",
        "x-a",
      ])
        expect(headerValues(seen, dropped)).toEqual([]);
    });

    it.each([
      ["a DEL byte in a header value", "X-Odd: a\x7fb\r\n"],
      ["a control byte in a header value", "X-Odd: a\x01b\r\n"],
    ])("answers %s with an AWS-shaped answer and no crash", async (_name, headers) => {
      const before = raw.requests.length;
      const answer = await sendRaw(
        fedsim.url,
        `GET ${at("hop", "/odd")} HTTP/1.1\r\nHost: a\r\n${headers}Connection: close\r\n\r\n`,
      );
      // Node's parser refuses it (400, the malformed-request answer), or the gateway does: never a 5xx.
      expect(answer.status).toBe(400);
      expect(raw.requests.length).toBe(before);
      // fedsim still serves the next request.
      expect((await send(fedsim.url, { method: "GET", path: at("hop", "/after"), headers: {} })).status).toBe(
        200,
      );
    });

    it.each(["/secret#", "/secret#/x", "/x?a=1#frag"])(
      "refuses a request target holding a fragment (%s) with 400 before the backend sees it",
      async (target) => {
        const before = raw.requests.length;
        const answer = await send(fedsim.url, { method: "GET", path: at("hop", target), headers: {} });
        expect(answer.status).toBe(400);
        expect(answer.headers["x-amzn-errortype"]).toBe("BadRequestException");
        // A backend reads the path up to '#', while the gateway would authorise it whole (HAProxy's CVE-2023-45539).
        expect(JSON.parse(answer.body)).toEqual({
          message: "The request target holds a '#' (a fragment is never sent)",
        });
        expect(raw.requests.length).toBe(before);
      },
    );

    it("sends a backend URL's base path and the client's path and query exactly as sent", async () => {
      const arrived = raw.next();
      const target = "/a/b%20c/%7Ex?x=1&x=2&y=%2B+z&empty=&flag&enc=%E2%82%AC&semi=a;b";
      const answer = await send(fedsim.url, { method: "GET", path: at("hop", target), headers: {} });
      expect(answer.status).toBe(200);
      expect((await arrived).target).toBe(`/base/v1${target}`);
    });

    it("delivers a 10 MB signed POST byte-exact with its Content-Length", async () => {
      const body = randomBytes(10 * 1024 * 1024);
      const arrived = raw.next();
      const answer = await signedFetchAt(
        fedsim.clock.now,
        REGION,
        ADMIN,
        `${fedsim.url}${at("hop", "/signed")}`,
        {
          method: "POST",
          body,
          headers: { "content-type": "application/octet-stream" },
        },
      );
      expect(answer.status).toBe(200);
      const seen = await arrived;
      expect(seen.target).toBe("/base/v1/signed");
      expect(headerValues(seen, "content-length")).toEqual([String(body.length)]);
      expect(headerValues(seen, "transfer-encoding")).toEqual([]);
      expect(sha256(seen.body)).toBe(sha256(body));
    });

    it("sends Content-Length: 0 for an empty POST, with or without the client's", async () => {
      for (const length of ["Content-Length: 0\r\n", ""]) {
        const arrived = raw.next();
        const answer = await sendRaw(
          fedsim.url,
          `POST ${at("hop", "/empty")} HTTP/1.1\r\nHost: a\r\n${length}Connection: close\r\n\r\n`,
        );
        expect(answer.status).toBe(200);
        const seen = await arrived;
        expect(headerValues(seen, "content-length")).toEqual(["0"]);
        expect(seen.body.length).toBe(0);
      }
    });

    it.runIf(hasIpv6Loopback)("reaches a backend on IPv6 loopback, [::1]", async () => {
      const arrived = v6!.next();
      const answer = await send(fedsim.url, { method: "GET", path: at("v6", "/x?q=1"), headers: {} });
      expect(answer.status).toBe(200);
      const seen = await arrived;
      expect(seen.target).toBe("/six/x?q=1");
      expect(headerValues(seen, "host")).toEqual([`[::1]:${v6!.port}`]);
    });
  });

  describe("the answer", () => {
    it("passes status and headers as sent: each Set-Cookie on its own line, names as spelled, latin-1 bytes", async () => {
      raw.answer((req) =>
        req.socket.write(
          "HTTP/1.1 201 Created\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\nX-CamelCase: Yes\r\n" +
            "X-Latin: caf\xe9\r\nConnection: keep-alive, X-Conn-Listed\r\nX-Conn-Listed: drop\r\n" +
            "Keep-Alive: timeout=5\r\nX-Amzn-RequestId: backend-id\r\nContent-Length: 2\r\n\r\nok",
          "latin1",
        ),
      );
      try {
        const answer = await sendRaw(
          fedsim.url,
          `GET ${at("hop", "/cookies")} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
        );
        expect(answer.status).toBe(201);
        const lines = head(answer.text).split("\r\n");
        expect(lines.filter((l) => /^set-cookie:/i.test(l))).toEqual([
          "Set-Cookie: a=1; Path=/",
          "Set-Cookie: b=2; HttpOnly",
        ]);
        expect(lines).toContain("X-CamelCase: Yes");
        expect(lines).toContain("X-Latin: caf\xe9");
        expect(lines.filter((l) => /^(x-conn-listed|keep-alive):/i.test(l))).toEqual([]);
        expect(lines.filter((l) => /^x-amzn-requestid:/i.test(l))).toEqual([
          expect.stringMatching(/^x-amzn-RequestId: [0-9a-f-]{36}$/),
        ]);
        expect(answer.text.endsWith("\r\n\r\nok")).toBe(true);
      } finally {
        reset();
      }
    });

    it("passes a chunked answer through whole, trailers left out", async () => {
      raw.answer((req) =>
        req.socket.write(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n" +
            "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: abc\r\n\r\n",
        ),
      );
      try {
        const answer = await sendRaw(
          fedsim.url,
          `GET ${at("hop", "/chunked")} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
        );
        expect(answer.status).toBe(200);
        expect(head(answer.text)).toMatch(/\r\nTransfer-Encoding: chunked$/im);
        expect(head(answer.text)).not.toMatch(/^trailer:/im);
        const body = answer.text.slice(answer.text.indexOf("\r\n\r\n") + 4);
        expect(body.replace(/\r\n[0-9a-f]+\r\n/g, "").replace(/^[0-9a-f]+\r\n/, "")).toMatch(/^hello world/);
        expect(body.endsWith("0\r\n\r\n")).toBe(true);
        expect(body).not.toContain("X-Sum");
      } finally {
        reset();
      }
    });

    it("answers HEAD, 204 and 304 without a body, and the client's keep-alive connection stays in step", async () => {
      raw.answer((req) => {
        if (req.method === "HEAD")
          req.socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1234\r\n\r\n");
        else if (req.target.endsWith("/204")) req.socket.write("HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n");
        else if (req.target.endsWith("/304"))
          req.socket.write('HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n');
        else req.socket.write(okAnswer("last"));
      });
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const { port } = new URL(fedsim.url);
      const call = (method: string, path: string) =>
        new Promise<{ res: IncomingMessage; body: string }>((resolve, reject) => {
          const r = httpRequest({ host: "127.0.0.1", port, method, path: at("hop", path), agent }, (res) => {
            let body = "";
            res.on("data", (c: Buffer) => {
              body += c.toString();
            });
            res.on("end", () => resolve({ res, body }));
          });
          r.on("error", reject);
          r.end();
        });
      try {
        const headAnswer = await call("HEAD", "/head");
        expect(headAnswer.res.statusCode).toBe(200);
        expect(headAnswer.res.headers["content-length"]).toBe("1234");
        expect(headAnswer.body).toBe("");
        const noContent = await call("GET", "/204");
        expect([noContent.res.statusCode, noContent.body, noContent.res.headers["x-a"]]).toEqual([
          204,
          "",
          "1",
        ]);
        const notModified = await call("GET", "/304");
        expect([notModified.res.statusCode, notModified.body, notModified.res.headers.etag]).toEqual([
          304,
          "",
          '"v1"',
        ]);
        // The same client connection: nothing of a body was left on it to be read as the next answer.
        const last = await call("GET", "/last");
        expect([last.res.statusCode, last.body]).toEqual([200, "last"]);
      } finally {
        agent.destroy();
        reset();
      }
    });

    it("answers with the final answer after 103 Early Hints, the interim answer kept back", async () => {
      raw.answer((req) =>
        req.socket.write(
          `HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${okAnswer("final")}`,
        ),
      );
      try {
        const answer = await sendRaw(
          fedsim.url,
          `GET ${at("hop", "/1xx")} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
        );
        expect(answer.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(answer.text).not.toContain("rel=preload");
        expect(answer.text.endsWith("\r\n\r\nfinal")).toBe(true);
      } finally {
        reset();
      }
    });

    // RFC 9110 15.2 has clients parse an unexpected 1xx; node:http skipped it, undici refuses the connection.
    it("answers 502 naming the cause when the backend sends an unsolicited 100 Continue", async () => {
      raw.answer((req) => req.socket.write(`HTTP/1.1 100 Continue\r\n\r\n${okAnswer("final")}`));
      try {
        const answer = await send(fedsim.url, { method: "GET", path: at("hop", "/100"), headers: {} });
        expect(answer.status).toBe(502);
        expect(JSON.parse(answer.body)).toEqual({ message: "Internal server error" });
        expect(answer.headers["x-fedsim-reason"]).toBe(
          `The backend ${raw.url} failed: UND_ERR_SOCKET (bad response)`,
        );
      } finally {
        reset();
      }
    });

    it("streams a large answer at the pace of a slow client: what is held in between stays bounded", async () => {
      const total = 64 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, "abcdefghijklmnopqrstuvwxyz");
      let written = 0;
      raw.answer((req) => {
        req.socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${total}\r\n\r\n`,
        );
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            if (!req.socket.write(chunk)) return void req.socket.once("drain", pump);
          }
        };
        pump();
      });
      try {
        const { port } = new URL(fedsim.url);
        const res = await new Promise<IncomingMessage>((resolve, reject) => {
          const r = httpRequest({ host: "127.0.0.1", port, path: at("hop", "/big") }, resolve);
          r.on("error", reject);
          r.end();
        });
        // The client reads nothing yet: the backend must be held back, not read into fedsim's memory.
        const stalledAt = await whenStill(() => written);
        expect(stalledAt).toBeLessThan(total / 2);
        const hash = createHash("sha256");
        let received = 0;
        res.on("data", (c: Buffer) => {
          received += c.length;
          hash.update(c);
        });
        await once(res, "end");
        expect(received).toBe(total);
        const expected = createHash("sha256");
        for (let i = 0; i < total / chunk.length; i++) expected.update(chunk);
        expect(hash.digest("hex")).toBe(expected.digest("hex"));
      } finally {
        reset();
      }
    });
  });

  describe("when the backend fails", () => {
    it("answers 502 with the reason when the backend closes the connection before answering", async () => {
      raw.answer((req) => req.socket.destroy());
      try {
        const answer = await send(fedsim.url, { method: "GET", path: at("hop", "/closed"), headers: {} });
        expect(answer.status).toBe(502);
        expect(answer.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
        expect(JSON.parse(answer.body)).toEqual({ message: "Internal server error" });
        expect(answer.headers["x-fedsim-reason"]).toBe(
          `The backend ${raw.url} failed: UND_ERR_SOCKET (other side closed)`,
        );
      } finally {
        reset();
      }
    });

    it("ends the client's connection when a chunked answer stops mid-way, never a body taken for whole", async () => {
      raw.answer((req) => {
        req.socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n");
        setImmediate(() => req.socket.destroy());
      });
      try {
        const answer = await sendRaw(fedsim.url, `GET ${at("hop", "/cut")} HTTP/1.1\r\nHost: a\r\n\r\n`);
        expect(answer.status).toBe(200);
        expect(answer.text).toContain("partial");
        // The connection closed without the last chunk: the client knows the answer is cut short.
        expect(answer.text.endsWith("0\r\n\r\n")).toBe(false);
      } finally {
        reset();
      }
    });

    it("answers 504 IntegrationTimeout when the backend sends part of its head and stalls", async () => {
      silent.answer((req) => req.socket.write("HTTP/1.1 200 OK\r\nX-Half: "));
      try {
        const answer = await send(fedsim.url, { method: "GET", path: at("slow", "/half"), headers: {} });
        expect(answer.status).toBe(504);
        expect(answer.headers["x-amzn-errortype"]).toBe("IntegrationTimeout");
        expect(JSON.parse(answer.body)).toEqual({ message: "Endpoint request timed out" });
        expect(answer.headers["x-fedsim-reason"]).toBe("The backend did not answer within 200 ms");
      } finally {
        silent.answer(() => {});
      }
    });

    it("answers 504 IntegrationTimeout when the backend sends interim answers and never a final one", async () => {
      silent.answer((req) => {
        const hints = setInterval(
          () => req.socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"),
          50,
        );
        req.socket.on("close", () => clearInterval(hints));
      });
      try {
        const answer = await send(fedsim.url, { method: "GET", path: at("slow", "/hints"), headers: {} });
        expect(answer.status).toBe(504);
        expect(answer.headers["x-amzn-errortype"]).toBe("IntegrationTimeout");
        expect(answer.headers["x-fedsim-reason"]).toBe("The backend did not answer within 200 ms");
      } finally {
        silent.answer(() => {});
      }
    }, 5000);

    it("answers 504 IntegrationTimeout when a TLS backend accepts but never finishes connecting", async () => {
      const answer = await send(fedsim.url, { method: "GET", path: at("tlsstall", "/x"), headers: {} });
      expect(answer.status).toBe(504);
      expect(answer.headers["x-amzn-errortype"]).toBe("IntegrationTimeout");
      expect(answer.headers["x-fedsim-reason"]).toBe("The backend did not answer within 200 ms");
    });

    it("refuses an https backend whose certificate is self-signed with 502, never trusting it", async () => {
      const answer = await send(fedsim.url, { method: "GET", path: at("selfsigned", "/x"), headers: {} });
      expect(answer.status).toBe(502);
      expect(JSON.parse(answer.body)).toEqual({ message: "Internal server error" });
      expect(answer.headers["x-fedsim-reason"]).toMatch(/SELF_SIGNED/);
      expect(tlsSeen).toBe(0);
    });

    it("aborts the backend's request when the client goes away, and the next request is served", async () => {
      raw.answer(() => {});
      try {
        const arrived = raw.next();
        const client = openRaw(fedsim.url, `GET ${at("hop", "/gone")} HTTP/1.1\r\nHost: a\r\n\r\n`);
        const seen = await arrived;
        const backendSide = once(seen.socket, "close");
        client.socket.destroy();
        await backendSide;
      } finally {
        reset();
      }
      expect((await send(fedsim.url, { method: "GET", path: at("hop", "/next"), headers: {} })).status).toBe(
        200,
      );
    });
  });

  describe("an API replaced or removed while its requests are in flight", () => {
    let before: RawBackend;
    let after: RawBackend;
    beforeAll(async () => {
      before = await startRawBackend();
      after = await startRawBackend();
      after.answer((req) => req.socket.write(okAnswer("after")));
    });
    afterAll(async () => {
      await before.close();
      await after.close();
    });

    it("finishes an answer under way on the old backend, serves new requests from the new one, then closes the old pool", async () => {
      expect((await putApi(proxyApi("swap", before.url))).status).toBe(201);
      before.answer(() => {});
      const arrived = before.next();
      const first = send(fedsim.url, { method: "GET", path: at("swap", "/a"), headers: {} });
      const held = await arrived;
      expect((await putApi(proxyApi("swap", after.url))).status).toBe(200);
      const second = await send(fedsim.url, { method: "GET", path: at("swap", "/b"), headers: {} });
      expect(second.body).toBe("after");
      const oldConnectionClosed = once(held.socket, "close");
      held.socket.write(okAnswer("before"));
      expect((await first).body).toBe("before");
      await oldConnectionClosed;
    });

    it.each(["replaced", "removed"])(
      "forwards a request whose body was still arriving when its API was %s to the backend it was admitted for",
      async (change) => {
        expect([200, 201]).toContain((await putApi(proxyApi("upload", before.url))).status);
        before.answer((req) => req.socket.write(okAnswer(`before got ${req.body.toString()}`)));
        // The API's pool is open, with a keep-alive connection to the backend.
        const warm = await send(fedsim.url, { method: "GET", path: at("upload", "/warm"), headers: {} });
        expect(warm.body).toBe("before got ");
        // Expect: 100-continue: Node answers 100 as it hands the request to the gateway, so the gateway has
        // taken it (and its API) before the change below.
        const client = openRaw(
          fedsim.url,
          `POST ${at("upload", "/u")} HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
        );
        await client.until(/100 Continue/);
        if (change === "replaced") expect((await putApi(proxyApi("upload", after.url))).status).toBe(200);
        else
          expect(
            (await send(fedsim.url, { method: "DELETE", path: "/_fedsim/apis/upload", headers: {} })).status,
          ).toBe(204);
        const arrived = before.next();
        client.socket.write("helloworld");
        const text = await client.closed;
        expect(text).toMatch(/HTTP\/1\.1 200 OK\r\n/);
        expect(text.endsWith("before got helloworld")).toBe(true);
        // And the connection it took is closed once it is done: nothing is left open to the retired backend.
        const straggler = await arrived;
        if (!straggler.socket.destroyed) await once(straggler.socket, "close");
      },
    );
  });
});

describe("fedsim stopping with a backend request in flight", () => {
  it("closes its idle keep-alive connections to the backends when it stops, not undici's 4 s later", async () => {
    const raw = await startRawBackend();
    const fedsim = await startTestFedsim({ config: gatewayConfig(raw.url, [proxyApi("hop", raw.url)]) });
    try {
      const arrived = raw.next();
      const answer = await send(fedsim.url, { method: "GET", path: at("hop", "/idle"), headers: {} });
      expect(answer.status).toBe(200);
      const { socket } = await arrived;
      expect(socket.destroyed).toBe(false);
      await fedsim.stop();
      const closed = once(socket, "close").then(() => "closed");
      const bound = new Promise((r) => setTimeout(r, 1000, "still open after 1 s"));
      expect(await Promise.race([closed, bound])).toBe("closed");
    } finally {
      await fedsim.stop();
      await raw.close();
    }
  });

  it("finishes the answer with Connection: close and then stops", async () => {
    const raw = await startRawBackend();
    const fedsim = await startTestFedsim({ config: gatewayConfig(raw.url, [proxyApi("hop", raw.url)]) });
    try {
      raw.answer(() => {});
      const arrived = raw.next();
      const answer = send(fedsim.url, { method: "GET", path: at("hop", "/inflight"), headers: {} });
      const held = await arrived;
      const stopped = fedsim.stop();
      held.socket.write(okAnswer("finished"));
      const a = await answer;
      expect([a.status, a.body, a.headers.connection]).toEqual([200, "finished", "close"]);
      await stopped;
    } finally {
      await fedsim.stop();
      await raw.close();
    }
  });
});
