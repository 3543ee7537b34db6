import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_MISMATCH } from "../../src/core/sigv4/verifySignature.js";
import {
  type Answer,
  gatewayConfig,
  presignSmithy,
  type Sent,
  send,
  signSmithy,
  startBackend,
  type TestBackend,
} from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, REGION } from "../helpers/petstore.js";

/**
 * The independent review of issue 11: what Mallory tries against the gateway with the weakest credentials (none,
 * or a replayed signature), each refusal with its status, x-amzn-ErrorType and message, and the backend seeing
 * nothing of it.
 */
const PETSTORE = "/restapis/petstore/prod/_user_request_";
const ARN = (api: string, tail: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${api}/prod/${tail}`;

describe("the gateway under review: Mallory's tricks", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let port: string;

  beforeAll(async () => {
    backend = await startBackend();
    fedsim = await startTestFedsim({
      config: gatewayConfig(backend.url, [
        {
          // The same routes as petstore: a signature made for one must not open the other.
          id: "twin",
          stages: ["prod"],
          backend: { type: "http", url: `${backend.url}/base` },
          routes: [{ method: "GET", path: "/pets" }],
        },
      ]),
    });
    port = new URL(fedsim.url).port;
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
  });

  const now = () => fedsim.clock.now();
  const json = (a: Answer) => JSON.parse(a.body) as Record<string, string>;
  const reaching = async (fn: () => Promise<Answer>) => {
    const before = backend.seen.length;
    const answer = await fn();
    return { answer, seen: backend.seen.length > before ? backend.seen.at(-1) : undefined };
  };
  const decisionOf = (a: Answer) =>
    fedsim.decisions.query({ limit: 10, requestId: a.headers["x-amzn-requestid"] as string })[0];

  describe("dot segments carrying a ';' parameter (Tomcat/Jetty read '..;' as '..')", () => {
    it.each([
      ["..;", "/public/..;/pets", "The request path has a '..;' segment"],
      ["..;jsessionid=x", "/public/..;jsessionid=x/pets", "The request path has a '..;' segment"],
      ["an encoded ..;", "/public/%2e%2e;/pets", "The request path has a '..;' segment"],
      ["..%3B", "/public/..%3B/pets", "The request path has a '..;' segment"],
      [".;", "/public/.;/x", "The request path has a '.;' segment"],
    ])(
      "refuses %s on a NONE route with 400 before the backend sees it, and records why",
      async (_n, p, reason) => {
        const { answer, seen } = await reaching(() =>
          send(fedsim.url, { method: "GET", path: `${PETSTORE}${p}`, headers: {} }),
        );
        expect(answer.status).toBe(400);
        expect(answer.headers["x-amzn-errortype"]).toBe("BadRequestException");
        expect(json(answer)).toEqual({ message: reason });
        expect(seen).toBeUndefined();
        expect(decisionOf(answer)).toMatchObject({ door: "gateway", decision: "refused", reason });
      },
    );

    it("still forwards a segment that only contains ';' or dots among other characters", async () => {
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, { method: "GET", path: `${PETSTORE}/public/a;b/..x/x..;`, headers: {} }),
      );
      expect(answer.status).toBe(200);
      expect(seen?.url).toBe("/base/public/a;b/..x/x..;");
    });
  });

  describe("identity headers a backend may read under another spelling", () => {
    it("never passes on underscore spellings of the gateway's headers (CGI/WSGI backends read _ as -)", async () => {
      const forged = JSON.stringify({ identity: { userArn: `arn:aws:iam::${ACCOUNT_ID}:user/admin` } });
      const { seen } = await reaching(() =>
        send(fedsim.url, {
          method: "GET",
          path: `${PETSTORE}/public/x`,
          headers: {
            x_amzn_request_context: forged,
            X_Forwarded_For: "10.0.0.1",
            x_fedsim_web_identity_token: "forged",
            x_amzn_apigateway_api_id: "other",
          },
        }),
      );
      const names = seen!.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
      for (const dropped of [
        "x_amzn_request_context",
        "x_forwarded_for",
        "x_fedsim_web_identity_token",
        "x_amzn_apigateway_api_id",
      ])
        expect(names).not.toContain(dropped);
      expect(JSON.parse(seen!.headers["x-amzn-request-context"] as string).identity.userArn).toBeNull();
    });

    it("never passes on x-apigateway-event / x-apigateway-context, which serverless-express backends trust", async () => {
      const { seen } = await reaching(() =>
        send(fedsim.url, {
          method: "GET",
          path: `${PETSTORE}/public/x`,
          headers: {
            "x-apigateway-event": encodeURIComponent(JSON.stringify({ requestContext: { identity: {} } })),
            "x-apigateway-context": "{}",
          },
        }),
      );
      expect(seen?.headers["x-apigateway-event"]).toBeUndefined();
      expect(seen?.headers["x-apigateway-context"]).toBeUndefined();
    });
  });

  describe("signatures replayed elsewhere", () => {
    it("refuses a presigned URL given an extra query parameter, and the backend never sees it", async () => {
      const url = await presignSmithy(
        fedsim.url,
        ADMIN,
        { method: "GET", path: `${PETSTORE}/pets`, headers: {} },
        now(),
        300,
      );
      const ok = await send(fedsim.url, url);
      expect(ok.status).toBe(200);
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, { ...url, path: `${url.path}&admin=true` }),
      );
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
      expect(json(answer).message.startsWith(SIGNATURE_MISMATCH)).toBe(true);
      expect(seen).toBeUndefined();
      expect(decisionOf(answer)).toMatchObject({
        decision: "refused",
        resource: ARN("petstore", "GET/pets"),
      });
    });

    it("refuses a host-style signature for one API replayed on another API with the same path", async () => {
      const req: Sent = {
        method: "GET",
        path: "/prod/pets",
        headers: { host: `petstore.execute-api.localhost:${port}` },
      };
      const signed = await signSmithy(fedsim.url, ADMIN, req, now());
      expect((await send(fedsim.url, signed)).status).toBe(200);
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, {
          ...signed,
          headers: { ...signed.headers, host: `twin.execute-api.localhost:${port}` },
        }),
      );
      expect(answer.status).toBe(403);
      expect(answer.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
      expect(json(answer).message.startsWith(SIGNATURE_MISMATCH)).toBe(true);
      expect(seen).toBeUndefined();
      expect(decisionOf(answer)).toMatchObject({ decision: "refused", resource: ARN("twin", "GET/pets") });
    });
  });

  describe("Object.prototype names where a client names an API, a stage or a route", () => {
    it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
      "answers API id %s as an unknown API",
      async (id) => {
        const answer = await send(fedsim.url, {
          method: "GET",
          path: `/restapis/${id}/prod/_user_request_/pets`,
          headers: {},
        });
        expect(answer.status).toBe(404);
        expect(answer.headers["x-amzn-errortype"]).toBe("NotFoundException");
        expect(json(answer)).toEqual({ message: "Not Found" });
        expect(answer.headers["x-fedsim-reason"]).toBe(`No API with id ${id}`);
      },
    );

    it.each(["constructor", "__proto__", "valueOf"])(
      "answers stage %s as an unknown stage",
      async (stage) => {
        const answer = await send(fedsim.url, {
          method: "GET",
          path: `/restapis/petstore/${stage}/_user_request_/pets`,
          headers: {},
        });
        expect(answer.status).toBe(403);
        expect(answer.headers["x-amzn-errortype"]).toBe("ForbiddenException");
        expect(json(answer)).toEqual({ message: "Forbidden" });
        expect(answer.headers["x-fedsim-reason"]).toBe(`API petstore has no stage ${stage}`);
      },
    );

    it("answers a host naming __proto__.execute-api.localhost as an unknown API", async () => {
      const answer = await send(fedsim.url, {
        method: "GET",
        path: "/prod/pets",
        headers: { host: `__proto__.execute-api.localhost:${port}` },
      });
      expect(answer.status).toBe(404);
      expect(answer.headers["x-fedsim-reason"]).toBe("No API with id __proto__");
    });

    it("adds, serves and removes an API named constructor, stage valueOf, through the admin API", async () => {
      const admin = (method: string, path: string, body?: unknown) =>
        send(fedsim.url, {
          method,
          path,
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const put = await admin("PUT", "/_fedsim/apis/constructor", {
        stages: ["valueOf"],
        backend: { type: "http", url: `${backend.url}/proto` },
        routes: [{ method: "GET", path: "/{__proto__}", authorization: "NONE" }],
      });
      expect(put.body).toContain('"replaced":false');
      expect(put.status).toBe(201);
      const { answer, seen } = await reaching(() =>
        send(fedsim.url, {
          method: "GET",
          path: "/restapis/constructor/valueOf/_user_request_/x",
          headers: {},
        }),
      );
      expect(answer.status).toBe(200);
      expect(seen?.url).toBe("/proto/x");
      expect(({} as Record<string, unknown>).stages).toBeUndefined();
      expect((await admin("DELETE", "/_fedsim/apis/constructor")).status).toBe(204);
      const gone = await send(fedsim.url, {
        method: "GET",
        path: "/restapis/constructor/valueOf/_user_request_/x",
        headers: {},
      });
      expect(gone.status).toBe(404);
    });
  });
});
