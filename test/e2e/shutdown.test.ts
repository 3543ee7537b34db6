import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTestFedsim } from "../helpers/fedsim.js";
import { ADMIN, ADMIN_ARN } from "../helpers/petstore.js";
import { signQuery } from "../helpers/signedRequest.js";

const dir = mkdtempSync(join(tmpdir(), "fedsim-shutdown-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves with the first match of `pattern` in what the stream has printed so far and prints next. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpExecArray> {
  let seen = "";
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = pattern.exec(seen);
      if (match) {
        stream.off("data", onData);
        resolve(match);
      }
    };
    stream.on("data", onData);
  });
}

/** Collects what a socket receives; `until` resolves once the received text matches. */
function reader(socket: Socket) {
  let text = "";
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(text)) w.resolve();
      else waiters.push(w);
    }
  });
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return {
    text: () => text,
    closed,
    until: (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        if (pattern.test(text)) resolve();
        else waiters.push({ pattern, resolve });
      }),
  };
}

describe("fedsim start, stopped by SIGTERM", () => {
  it("finishes an in-flight request with Connection: close, drops idle keep-alive sockets and exits 0", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/index.ts",
        "start",
        "--port",
        "0",
        "--db",
        ":memory:",
        "--certs",
        join(dir, "certs"),
        "--config",
        "data/petstore.yaml",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = (await waitFor(child.stdout!, /fedsim listening on (\S+)/))[1]!;
      const { hostname, port, host } = new URL(url);

      // A keep-alive connection that has been answered and is now idle.
      const idle = connect(Number(port), hostname);
      const idleReader = reader(idle);
      idle.write(`GET /_fedsim/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      await idleReader.until(/\r\n\r\n\{.*\}$/s);

      // A signed call whose body is half sent when the signal arrives. Expect: 100-continue makes the
      // server say when it has taken the request, so the signal is sent while it is surely in flight.
      const body = "Action=GetCallerIdentity&Version=2011-06-15";
      const signed = await signQuery(url, ADMIN, body);
      const busy = connect(Number(port), hostname);
      const busyReader = reader(busy);
      let head = "POST / HTTP/1.1\r\n";
      for (const [k, v] of Object.entries(signed.headers)) head += `${k}: ${v}\r\n`;
      busy.write(`${head}content-length: ${body.length}\r\nexpect: 100-continue\r\n\r\n`);
      await busyReader.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
      busy.write(body.slice(0, 10));

      const signalled = waitFor(child.stdout!, /SIGTERM received/);
      child.kill("SIGTERM");
      await signalled;
      busy.write(body.slice(10));

      await busyReader.closed;
      const response = busyReader.text().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(response).toMatch(/\r\nConnection: close\r\n/i);
      expect(response).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
      await idleReader.closed;

      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 30_000);
});

describe("close()", () => {
  it("needs no grace timer when every client finishes: in-flight answered with Connection: close, idle sockets dropped", async () => {
    const fedsim = await startTestFedsim();
    const { hostname, port, host } = new URL(fedsim.url);
    const idle = connect(Number(port), hostname);
    const idleReader = reader(idle);
    idle.write(`GET /_fedsim/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await idleReader.until(/\r\n\r\n\{.*\}$/s);

    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const signed = await signQuery(fedsim.url, ADMIN, body);
    const busy = connect(Number(port), hostname);
    const busyReader = reader(busy);
    let head = "POST / HTTP/1.1\r\n";
    for (const [k, v] of Object.entries(signed.headers)) head += `${k}: ${v}\r\n`;
    busy.write(`${head}content-length: ${body.length}\r\nexpect: 100-continue\r\n\r\n`);
    await busyReader.until(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    busy.write(body.slice(0, 10));

    // The 5-second grace timer close() arms is fake and never fires, so close() resolves only once the
    // sockets are closed by the server itself: the idle one at once, the busy one by its Connection: close.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const closed = fedsim.stop();
      busy.write(body.slice(10));
      await busyReader.closed;
      const response = busyReader.text().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(response).toMatch(/\r\nConnection: close\r\n/i);
      expect(response).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
      await idleReader.closed;
      await closed;
    } finally {
      vi.useRealTimers();
    }
  }, 15_000);
});
