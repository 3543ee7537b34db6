import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
  it("finishes an in-flight request with Connection: close, drops idle keep-alive sockets and exits 0 at once", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli.ts",
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
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on("exit", (code) => resolve({ code, at: Date.now() })),
    );
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
      const sentAt = Date.now();
      child.kill("SIGTERM");
      await signalled;
      busy.write(body.slice(10));

      await busyReader.closed;
      const response = busyReader.text().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(response).toMatch(/\r\nConnection: close\r\n/i);
      expect(response).toContain(`<Arn>${ADMIN_ARN}</Arn>`);
      await idleReader.closed;

      const exit = await exited;
      expect(exit.code).toBe(0);
      // The 5-second grace timer is for clients that never finish; nobody here waits for it.
      expect(exit.at - sentAt).toBeLessThan(4000);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 30_000);
});
