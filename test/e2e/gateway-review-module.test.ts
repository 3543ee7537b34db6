import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { loadConfigFile } from "../../src/config/load.js";
import { type Answer, send } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID } from "../helpers/petstore.js";

/**
 * The review of issue 11, module integrations: what a client forges must not reach the handler's event any more
 * than an HTTP backend's request, and a handler's headers must not split the answer.
 */
const API = "/restapis/lambda/prod/_user_request_";

describe("module integrations under review", () => {
  let fedsim: TestFedsim;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fedsim-review-module-"));
    const raw = parseYaml(readFileSync(resolve("data/petstore.yaml"), "utf8")) as Record<string, unknown>;
    raw.apis = [
      {
        id: "lambda",
        stages: ["prod"],
        backend: { type: "module", file: "./review.mjs" },
        routes: [
          { method: "GET", path: "/echo/{__proto__}", authorization: "NONE" },
          { method: "GET", path: "/crlf", authorization: "NONE" },
          { method: "GET", path: "/crlf-multi", authorization: "NONE" },
        ],
      },
    ];
    mkdirSync(dir, { recursive: true });
    copyFileSync(resolve("test/fixtures/lambda/review.mjs"), join(dir, "review.mjs"));
    const file = join(dir, "fedsim.yaml");
    writeFileSync(file, stringify(raw));
    fedsim = await startTestFedsim({ config: loadConfigFile(file) });
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  interface ProxyEvent {
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    pathParameters: Record<string, string> | null;
    httpMethod: string;
    requestContext: { identity: Record<string, unknown> };
  }
  const event = (a: Answer) => JSON.parse(a.body) as ProxyEvent;

  it("hands the handler no forged identity header, no method override and the real X-Forwarded-For", async () => {
    const forged = JSON.stringify({ identity: { userArn: `arn:aws:iam::${ACCOUNT_ID}:user/admin` } });
    const answer = await send(fedsim.url, {
      method: "GET",
      path: `${API}/echo/1`,
      headers: {
        "x-amzn-request-context": forged,
        "x-fedsim-web-identity-token": "forged",
        "X-Forwarded-For": "10.9.9.9",
        "x-http-method-override": "DELETE",
        "x-method-override": "DELETE",
        "x-apigateway-event": "{}",
        x_amzn_request_context: forged,
        "x-custom": "kept",
      },
    });
    expect(answer.status).toBe(200);
    const e = event(answer);
    const names = Object.keys(e.headers).map((n) => n.toLowerCase());
    for (const dropped of [
      "x-amzn-request-context",
      "x-fedsim-web-identity-token",
      "x-http-method-override",
      "x-method-override",
      "x-apigateway-event",
      "x_amzn_request_context",
    ])
      expect(names).not.toContain(dropped);
    const xff = Object.entries(e.headers).find(([n]) => n.toLowerCase() === "x-forwarded-for")?.[1];
    expect(xff).toBe("127.0.0.1");
    expect(e.headers["x-custom"]).toBe("kept");
    expect(e.httpMethod).toBe("GET");
    expect(e.requestContext.identity.sourceIp).toBe("127.0.0.1");
  });

  it("gives a path parameter named __proto__ as an own key of pathParameters", async () => {
    const e = event(await send(fedsim.url, { method: "GET", path: `${API}/echo/polluted`, headers: {} }));
    expect(Object.hasOwn(e.pathParameters!, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(e.pathParameters!, "__proto__")?.value).toBe("polluted");
  });

  it.each(["/crlf", "/crlf-multi"])(
    "answers 502 when the handler's headers (%s) hold CR or LF, and never writes them",
    async (path) => {
      const answer = await send(fedsim.url, { method: "GET", path: `${API}${path}`, headers: {} });
      expect(answer.status).toBe(502);
      expect(answer.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
      expect(JSON.parse(answer.body)).toEqual({ message: "Internal server error" });
      expect(answer.headers["set-cookie"]).toBeUndefined();
      expect(answer.headers["x-fedsim-reason"]).toContain("Malformed Lambda proxy response");
    },
  );
});
