/**
 * Shared benchmark plumbing: start a server as a child process (timing its start-up), and drive it
 * with a closed-loop load of keep-alive connections over loopback. Prints figures; asserts nothing.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";

export interface Started {
  url: string;
  startupMs: number;
  /**
   * The server's CPU time so far (user + system, all threads), in ms; undefined where /proc is not there.
   * On a shared machine a run's rate follows whatever else runs; CPU time per request much less so.
   */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Spawns a server and resolves once `ready(url)` answers, measuring the time from spawn to first answer. */
export async function startProcess(
  command: string,
  args: string[],
  port: number,
  probe: string,
): Promise<Started> {
  const begun = performance.now();
  const child: ChildProcess = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited: ${stderr}`);
    try {
      const res = await fetch(url + probe);
      await res.arrayBuffer();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (performance.now() - begun > 30_000) throw new Error(`${command} did not start: ${stderr}`);
  }
  const startupMs = performance.now() - begun;
  return {
    url,
    startupMs,
    cpuMs: () => processCpuMs(child.pid),
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  firstError?: string;
}

/**
 * Sends requests from `make()` over `connections` keep-alive sockets for `seconds`; counts 2xx as success.
 * Bounded in count and time, and only to loopback.
 */
export async function closedLoop(
  url: string,
  make: (i: number) => { headers: Record<string, string>; body: string },
  options: { seconds: number; connections: number; maxRequests?: number },
): Promise<LoadResult> {
  const target = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname))
    throw new Error("benchmarks only target loopback");
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const deadline = performance.now() + options.seconds * 1000;
  const max = options.maxRequests ?? 1_000_000;
  let sent = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const { headers, body } = make(i);
      const req = request(
        { host: target.hostname, port: target.port, path: "/", method: "POST", headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if ((res.statusCode ?? 500) >= 300) {
              errors++;
              firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
            }
            done++;
            resolve();
          });
        },
      );
      req.on("error", (e) => {
        errors++;
        firstError ??= e.message;
        done++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline && sent < max) await one(sent++);
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  return { requests: done, errors, seconds, perSecond: done / seconds, firstError };
}

/** utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}
