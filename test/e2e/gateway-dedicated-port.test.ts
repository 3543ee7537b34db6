import { connect, createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatewayConfig, send, signSmithy, startBackend, type TestBackend } from "../gateway/helpers.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";
import { closedPort } from "../helpers/oidc.js";
import { ADMIN } from "../helpers/petstore.js";

const ported = (backendUrl: string, port: number) => ({
  id: "ported",
  port,
  stages: ["prod"],
  backend: { type: "http", url: backendUrl },
  routes: [
    { method: "GET", path: "/pets" },
    { method: "GET", path: "/open", authorization: "NONE" },
  ],
});

/**
 * fedsim with the API on a port that was free a moment ago. Another test file running alongside can take that
 * port in between (a port picked then closed is only likely to stay free), so a start refused for it is tried
 * again on another.
 */
async function startPorted(backendUrl: string): Promise<{ fedsim: TestFedsim; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await closedPort();
    try {
      const fedsim = await startTestFedsim({ config: gatewayConfig(backendUrl, [ported(backendUrl, port)]) });
      return { fedsim, port };
    } catch (error) {
      if (attempt >= 5 || !String((error as Error).message).includes("is already in use")) throw error;
    }
  }
}

describe("an API's dedicated port: http://127.0.0.1:PORT/{stage}/{path}", () => {
  let fedsim: TestFedsim;
  let backend: TestBackend;
  let port: number;
  let portUrl: string;

  beforeAll(async () => {
    backend = await startBackend();
    ({ fedsim, port } = await startPorted(backend.url));
    portUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await fedsim.stop();
    await backend.close();
  });

  it("answers the API's routes on its own port, signed requests included", async () => {
    const open = await send(portUrl, { method: "GET", path: "/prod/open", headers: {} });
    expect(open.status).toBe(200);
    expect(backend.seen.at(-1)!.url).toBe("/open");
    const unsigned = await send(portUrl, { method: "GET", path: "/prod/pets", headers: {} });
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toEqual({ message: "Missing Authentication Token" });
    const signed = await signSmithy(
      portUrl,
      ADMIN,
      { method: "GET", path: "/prod/pets", headers: {} },
      fedsim.clock.now(),
    );
    expect((await send(portUrl, signed)).status).toBe(200);
  });

  it("stays reachable on the main port too, and the port serves only its own API", async () => {
    const main = await send(fedsim.url, {
      method: "GET",
      path: "/restapis/ported/prod/_user_request_/open",
      headers: {},
    });
    expect(main.status).toBe(200);
    // A Host naming another API does not switch the dedicated port to it.
    const other = await send(portUrl, {
      method: "GET",
      path: "/prod/open",
      headers: { host: "petstore.execute-api.localhost" },
    });
    expect(other.status).toBe(200);
    expect(other.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    const unknownStage = await send(portUrl, { method: "GET", path: "/test/open", headers: {} });
    expect(unknownStage.status).toBe(403);
    expect(unknownStage.headers["x-fedsim-reason"]).toBe("API ported has no stage test");
  });

  it("refuses to start when the port is taken, naming the API and the port, and closes on shutdown", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const taken = (busy.address() as { port: number }).port;
    try {
      await expect(
        startTestFedsim({ config: gatewayConfig(backend.url, [ported(backend.url, taken)]) }),
      ).rejects.toThrow(
        `API ported: port ${taken} on 127.0.0.1 is already in use; free it or choose another port for this API`,
      );
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    const { fedsim: other, port: second } = await startPorted(backend.url);
    expect(
      (await send(`http://127.0.0.1:${second}`, { method: "GET", path: "/prod/open", headers: {} })).status,
    ).toBe(200);
    await other.stop();
    // A fresh connection (no pooled keep-alive socket): nothing listens there any more.
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(second, "127.0.0.1", () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe("ECONNREFUSED");
  });
});
