import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayConfig, send, startBackend, type TestBackend } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

describe("/_fedsim/apis: the gateway's APIs listed, added, replaced and removed at run time", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startBackend();
    fedsim = await startTestFedsim({ config: gatewayConfig(backend.url) });
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
  });

  const admin = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(fedsim.url, {
      method,
      path,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const runtimeApi = (authorization: string) => ({
    stages: ["dev"],
    backend: { type: "http", url: backend.url },
    routes: [{ method: "GET", path: "/hello", authorization }],
  });
  const hello = () =>
    send(fedsim.url, { method: "GET", path: "/restapis/runtime/dev/_user_request_/hello", headers: {} });

  it("lists the config's APIs", async () => {
    const answer = await admin("GET", "/_fedsim/apis");
    expect(answer.status).toBe(200);
    const ids = (JSON.parse(answer.body) as { apis: { id: string }[] }).apis.map((a) => a.id);
    expect(ids).toEqual(["petstore", "fortress", "shared"]);
  });

  it("adds an API with PUT, which the next request reaches, then replaces and removes it", async () => {
    expect((await hello()).status).toBe(404);
    const created = await admin("PUT", "/_fedsim/apis/runtime", runtimeApi("NONE"));
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body)).toMatchObject({
      replaced: false,
      api: { id: "runtime", stages: ["dev"] },
    });
    const before = backend.seen.length;
    expect((await hello()).status).toBe(200);
    expect(backend.seen.length).toBe(before + 1);

    const replaced = await admin("PUT", "/_fedsim/apis/runtime", runtimeApi("AWS_IAM"));
    expect(replaced.status).toBe(200);
    expect(JSON.parse(replaced.body)).toMatchObject({ replaced: true });
    const unsigned = await hello();
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toEqual({ message: "Missing Authentication Token" });

    const shown = JSON.parse((await admin("GET", "/_fedsim/apis/runtime")).body) as {
      api: { routes: { authorization: string }[] };
    };
    expect(shown.api.routes[0]!.authorization).toBe("AWS_IAM");

    // The console shows the APIs as served now, not as the config file had them.
    const consoleApis = async () => (await admin("GET", "/_fedsim/console/apis")).body;
    expect(await consoleApis()).toContain(">runtime</h2>");
    expect(await consoleApis()).toContain("/restapis/runtime/dev/_user_request_/hello");

    expect((await admin("DELETE", "/_fedsim/apis/runtime")).status).toBe(204);
    expect(await consoleApis()).not.toContain(">runtime</h2>");
    const gone = await hello();
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.body)).toEqual({ message: "Not Found" });
    const again = await admin("DELETE", "/_fedsim/apis/runtime");
    expect(again.status).toBe(404);
    expect(JSON.parse(again.body)).toEqual({
      __type: "ResourceNotFoundException",
      message: "No API with id runtime",
    });
  });

  it("refuses a module integration: code runs only from the config file", async () => {
    const answer = await admin("PUT", "/_fedsim/apis/code", {
      ...runtimeApi("NONE"),
      backend: { type: "module", file: "/tmp/evil.mjs" },
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({
      __type: "ValidationError",
      message:
        "invalid API:\n  - backend.type: module integrations come only from the config file, never through the admin API (they run code in fedsim's process)",
    });
    expect((await admin("GET", "/_fedsim/apis/code")).status).toBe(404);
  });

  it("validates with the config's schema and checks, naming each bad field", async () => {
    const answer = await admin("PUT", "/_fedsim/apis/bad", {
      stages: ["dev"],
      backend: { type: "http", url: "ftp://example.com" },
      routes: [{ method: "GET", path: "/x", authorization: "JWT", authorizer: "nobody" }],
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).message).toBe(
      "invalid API:\n  - backend.url: an http(s) URL without query, fragment or credentials",
    );
    const crossField = await admin("PUT", "/_fedsim/apis/bad", {
      stages: ["dev"],
      backend: { type: "http", url: backend.url },
      routes: [{ method: "GET", path: "/x", authorization: "JWT", authorizer: "nobody" }],
    });
    expect(JSON.parse(crossField.body).message).toBe(
      "invalid API:\n  - routes[0].authorizer: no authorizer named nobody in this API's authorizers",
    );
    const policy = await admin("PUT", "/_fedsim/apis/bad", {
      ...runtimeApi("NONE"),
      resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Maybe" }] },
    });
    expect(policy.status).toBe(400);
    expect(JSON.parse(policy.body).message).toMatch(/^invalid API:\n {2}- resourcePolicy: /);
    const mismatch = await admin("PUT", "/_fedsim/apis/one", { id: "two", ...runtimeApi("NONE") });
    expect(JSON.parse(mismatch.body).message).toBe(
      'invalid API:\n  - id: "two" is not one, the id in the path',
    );
    const port = await admin("PUT", "/_fedsim/apis/one", { ...runtimeApi("NONE"), port: 9999 });
    expect(JSON.parse(port.body).message).toBe(
      "invalid API:\n  - port: dedicated ports are opened at start-up, from the config file only",
    );
  });

  it("is behind the admin guard: a request naming another host needs the admin token", async () => {
    const foreign = await admin("GET", "/_fedsim/apis", undefined, { host: "fedsim.example.com" });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).__type).toBe("AccessDenied");
    const withToken = await admin("GET", "/_fedsim/apis", undefined, {
      host: "fedsim.example.com",
      authorization: `Bearer ${fedsim.adminToken}`,
    });
    expect(withToken.status).toBe(200);
  });
});
