import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { loadConfigFile } from "../../src/config/load.js";
import { type Answer, send, signSmithy } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { ACCOUNT_ID, ADMIN, ADMIN_ARN } from "../helpers/petstore.js";

const API = "/restapis/lambda/prod/_user_request_";

/** data/petstore.yaml with `apis` replaced, written to a folder of its own with the handler beside it. */
function writeConfig(dir: string, apis: unknown[]): string {
  const raw = parseYaml(readFileSync(resolve("data/petstore.yaml"), "utf8")) as Record<string, unknown>;
  raw.apis = apis;
  mkdirSync(join(dir, "handlers"), { recursive: true });
  copyFileSync(resolve("test/fixtures/lambda/pets.mjs"), join(dir, "handlers", "pets.mjs"));
  const file = join(dir, "fedsim.yaml");
  writeFileSync(file, stringify(raw));
  return file;
}

describe("module integrations: a Lambda handler file called in-process with the REST proxy event", () => {
  let fedsim: TestFedsim;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fedsim-module-"));
    const file = writeConfig(dir, [
      {
        id: "lambda",
        stages: ["prod"],
        // Relative to the config file, not to the working directory.
        backend: { type: "module", file: "./handlers/pets.mjs" },
        routes: [
          { method: "ANY", path: "/pets/{petId}" },
          { method: "GET", path: "/files/{proxy+}", authorization: "NONE" },
          { method: "GET", path: "/throws", authorization: "NONE" },
          { method: "GET", path: "/garbage", authorization: "NONE" },
          { method: "GET", path: "/not-an-object", authorization: "NONE" },
          { method: "GET", path: "/binary", authorization: "NONE" },
        ],
      },
      {
        id: "callback",
        stages: ["prod"],
        backend: { type: "module", file: "handlers/pets.mjs", handler: "callbackHandler" },
        routes: [{ method: "GET", path: "/cb", authorization: "NONE" }],
      },
    ]);
    fedsim = await startTestFedsim({ config: loadConfigFile(file) });
  });
  afterAll(async () => {
    await fedsim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const now = () => fedsim.clock.now();
  interface ProxyEvent {
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    queryStringParameters: Record<string, string> | null;
    multiValueQueryStringParameters: Record<string, string[]> | null;
    pathParameters: Record<string, string> | null;
    body: string | null;
    requestContext: { identity: Record<string, unknown>; requestId: string; requestTime: string };
  }
  const event = (a: Answer) => JSON.parse(a.body) as ProxyEvent;

  it("hands a SigV4-signed request to the handler with the identity filled as AWS fills it for AWS_IAM", async () => {
    const answer = await send(
      fedsim.url,
      await signSmithy(
        fedsim.url,
        ADMIN,
        {
          method: "POST",
          path: `${API}/pets/42?color=black&tag=b%20c`,
          headers: { "content-type": "application/json", "x-custom": "one" },
          body: '{"name":"Tom"}',
        },
        now(),
      ),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["x-handler"]).toBe("pets");
    expect(answer.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(answer.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    const e = event(answer);
    expect(e).toMatchObject({
      resource: "/pets/{petId}",
      path: "/pets/42",
      httpMethod: "POST",
      queryStringParameters: { color: "black", tag: "b c" },
      multiValueQueryStringParameters: { color: ["black"], tag: ["b c"] },
      pathParameters: { petId: "42" },
      stageVariables: null,
      body: '{"name":"Tom"}',
      isBase64Encoded: false,
    });
    expect(e.headers["x-custom"]).toBe("one");
    expect(e.multiValueHeaders["x-custom"]).toEqual(["one"]);
    expect(e.requestContext).toMatchObject({
      accountId: ACCOUNT_ID,
      apiId: "lambda",
      stage: "prod",
      httpMethod: "POST",
      resourcePath: "/pets/{petId}",
      path: "/prod/pets/42",
      identity: {
        accountId: ACCOUNT_ID,
        accessKey: ADMIN.accessKeyId,
        userArn: ADMIN_ARN,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        sourceIp: "127.0.0.1",
      },
    });
    expect(e.requestContext.identity.caller).toMatch(/^AIDA[A-Z0-9]{16}$/);
    expect(e.requestContext.identity.user).toBe(e.requestContext.identity.caller);
    expect(e.requestContext.requestId).toBe(answer.headers["x-amzn-requestid"]);
    expect(e.requestContext.requestTime).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
  });

  it("refuses an unsigned request before the handler runs, as on any AWS_IAM route", async () => {
    const answer = await send(fedsim.url, { method: "GET", path: `${API}/pets/1`, headers: {} });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ message: "Missing Authentication Token" });
  });

  it("gives a greedy path parameter the rest of the path, and null for parts the request lacks", async () => {
    const e = event(await send(fedsim.url, { method: "GET", path: `${API}/files/a/b.txt`, headers: {} }));
    expect(e.pathParameters).toEqual({ proxy: "a/b.txt" });
    expect(e.queryStringParameters).toBeNull();
    expect(e.multiValueQueryStringParameters).toBeNull();
    const repeated = event(
      await send(fedsim.url, { method: "GET", path: `${API}/files/x?tag=a&tag=b%20c`, headers: {} }),
    );
    expect(repeated.queryStringParameters).toEqual({ tag: "b c" });
    expect(repeated.multiValueQueryStringParameters).toEqual({ tag: ["a", "b c"] });
    expect(e.body).toBeNull();
    expect(e.requestContext.identity).toMatchObject({ accessKey: null, userArn: null, caller: null });
  });

  it("decodes a base64 result body", async () => {
    const answer = await fetch(`${fedsim.url}${API}/binary`);
    expect(answer.status).toBe(201);
    expect(answer.headers.get("content-type")).toBe("application/octet-stream");
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it("answers 502 Internal server error when the handler throws", async () => {
    const answer = await send(fedsim.url, { method: "GET", path: `${API}/throws`, headers: {} });
    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toEqual({ message: "Internal server error" });
    expect(answer.headers["x-amzn-errortype"]).toBe("InternalServerErrorException");
    expect(answer.headers["x-fedsim-reason"]).toBe(
      "The module handler ./handlers/pets.mjs failed: Error: the handler fell over",
    );
  });

  it("answers 502 for a result that is not a proxy response", async () => {
    const extra = await send(fedsim.url, { method: "GET", path: `${API}/garbage`, headers: {} });
    expect(extra.status).toBe(502);
    expect(JSON.parse(extra.body)).toEqual({ message: "Internal server error" });
    expect(extra.headers["x-fedsim-reason"]).toBe(
      'Malformed Lambda proxy response from ./handlers/pets.mjs: unexpected field "extra"',
    );
    const text = await send(fedsim.url, { method: "GET", path: `${API}/not-an-object`, headers: {} });
    expect(text.status).toBe(502);
    expect(text.headers["x-fedsim-reason"]).toBe(
      "Malformed Lambda proxy response from ./handlers/pets.mjs: the handler returned string, not an object",
    );
  });

  it("calls a callback-style handler named by `handler`", async () => {
    const answer = await send(fedsim.url, {
      method: "GET",
      path: "/restapis/callback/prod/_user_request_/cb",
      headers: {},
    });
    expect(answer.status).toBe(202);
    expect(answer.body).toBe("called back for /cb");
  });

  it("stops start-up naming the API when the file exports no such handler", async () => {
    const bad = mkdtempSync(join(tmpdir(), "fedsim-module-bad-"));
    try {
      const file = writeConfig(bad, [
        {
          id: "broken",
          stages: ["prod"],
          backend: { type: "module", file: "handlers/pets.mjs", handler: "missing" },
          routes: [{ method: "GET", path: "/x", authorization: "NONE" }],
        },
      ]);
      await expect(startTestFedsim({ config: loadConfigFile(file) })).rejects.toThrow(
        `${file}: apis[0].backend: ${join(bad, "handlers", "pets.mjs")} exports no function named missing`,
      );
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
