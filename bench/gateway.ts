/**
 * The gateway's cost over loopback, all in one run (ratios are what to read):
 *   npx tsx bench/gateway.ts [seconds]
 * (a) the backend direct, (b) a bare node:http reverse proxy in front of it, (c) fedsim on a NONE route,
 * (d) fedsim on an AWS_IAM route with requests signed by @smithy/signature-v4 (a pool of distinct requests
 * signed up front with AssumeRole credentials, re-sent in turn: fedsim verifies each signature in full,
 * resolves the session and evaluates the policies every time), and (e) as (d) with the decision log off. Each server runs in its own process; this
 * one only generates load: a bounded closed loop of keep-alive connections (no autocannon in node_modules).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { fmt, freePort } from "./lib.js";

const SECONDS = Number(process.argv[2] ?? 3);
const CONNECTIONS = 16;
const POOL = 512;
const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const BODY = JSON.stringify({ id: 1, name: "Rex", type: "dog", price: 12.5 });

// --- the servers, each started as `bench/gateway.ts <role> ...` in a process of its own ---

function serveBackend(port: number): void {
  createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) });
      res.end(BODY);
    });
  }).listen(port, "127.0.0.1");
}

/** The baseline: what any Node reverse proxy costs, piping both ways over a keep-alive pool. */
function serveProxy(port: number, backendPort: number): void {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  createServer((req, res) => {
    const upstream = request(
      {
        host: "127.0.0.1",
        port: backendPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  }).listen(port, "127.0.0.1");
}

async function serveFedsim(port: number, backendUrl: string, dir: string, log: boolean): Promise<void> {
  const { parse } = await import("yaml");
  const { configSchema } = await import("../src/config/schema.js");
  const { startFedsim } = await import("../src/server/start.js");
  const raw = parse(readFileSync("data/petstore.yaml", "utf8")) as Record<string, unknown>;
  // (e) only: the decision log off, to show what recording every decision costs.
  if (!log) raw.settings = { ...(raw.settings as object), decisionLog: { enabled: false } };
  raw.apis = [
    {
      id: "petstore",
      stages: ["prod"],
      backend: { type: "http", url: backendUrl },
      routes: [
        { method: "GET", path: "/pets/{petId}" },
        { method: "ANY", path: "/public/{proxy+}", authorization: "NONE" },
      ],
    },
  ];
  const server = await startFedsim({
    config: { file: "data/petstore.yaml", config: configSchema.parse(raw) },
    db: join(dir, `bench-${port}.sqlite`),
    certsDir: join(dir, "certs"),
    port,
  });
  // Exits through process.exit, so that --cpu-prof can write its profile when profiling this process.
  process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
}

// --- load ---

interface Measured {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

type Make = (i: number) => { path: string; headers: Record<string, string> };

/** GETs from `make(i)` over CONNECTIONS keep-alive sockets for `seconds`, timing each; 2xx counts as success. */
async function measure(url: string, make: Make, seconds: number): Promise<Measured> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error("benchmarks only target loopback");
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let sent = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const { path, headers } = make(i);
      const began = performance.now();
      const req = request({ host: "127.0.0.1", port: target.port, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          latencies.push(performance.now() - began);
          if ((res.statusCode ?? 500) >= 300) {
            errors++;
            firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
          }
          resolve();
        });
      });
      req.on("error", (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
      req.end();
    });
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline && sent < 2_000_000) await one(sent++);
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    firstError,
  };
}

async function customerCredentials(url: string) {
  const sts = new STSClient({ region: "us-east-1", endpoint: url, credentials: ADMIN, maxAttempts: 1 });
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: "arn:aws:iam::123456789012:role/PetStoreCustomer",
      RoleSessionName: "bench",
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

/** POOL distinct GETs (/pets/0 .. /pets/511), each header-signed once; valid for execute-api's 5 minutes. */
async function presignedPool(url: string): Promise<{ path: string; headers: Record<string, string> }[]> {
  const { port } = new URL(url);
  const signer = new SignatureV4({
    credentials: await customerCredentials(url),
    region: "us-east-1",
    service: "execute-api",
    sha256: Sha256,
  });
  const pool = [];
  for (let i = 0; i < POOL; i++) {
    const path = `/restapis/petstore/prod/_user_request_/pets/${i}`;
    const signed = await signer.sign(
      new HttpRequest({
        method: "GET",
        protocol: "http:",
        hostname: "127.0.0.1",
        port: Number(port),
        path,
        headers: { host: `127.0.0.1:${port}` },
      }),
    );
    pool.push({ path, headers: signed.headers as Record<string, string> });
  }
  return pool;
}

interface Server {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `bench/gateway.ts <role>` in a process of its own and waits until `probe` answers. */
async function startRole(role: string, args: string[], probe: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/gateway.ts", role, String(port), ...args],
    {
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const begun = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${role} exited: ${stderr}`);
    try {
      await (await fetch(url + probe)).arrayBuffer();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (performance.now() - begun > 60_000) throw new Error(`${role} did not start: ${stderr}`);
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (Linux; undefined elsewhere). */
function cpuMicros(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-gateway-"));
  const servers: Server[] = [];
  try {
    const backend = await startRole("backend", [], "/");
    servers.push(backend);
    const proxy = await startRole("proxy", [new URL(backend.url).port], "/");
    servers.push(proxy);
    const fedsim = await startRole("fedsim", [backend.url, dir], "/_fedsim/health");
    servers.push(fedsim);
    const quiet = await startRole("fedsim", [backend.url, dir, "no-log"], "/_fedsim/health");
    servers.push(quiet);
    const pool = await presignedPool(fedsim.url);
    const quietPool = await presignedPool(quiet.url);

    const runs: [string, Server, Make][] = [
      ["(a) backend direct", backend, (i) => ({ path: `/pets/${i % POOL}`, headers: {} })],
      ["(b) node:http proxy", proxy, (i) => ({ path: `/pets/${i % POOL}`, headers: {} })],
      [
        "(c) fedsim NONE",
        fedsim,
        (i) => ({ path: `/restapis/petstore/prod/_user_request_/public/${i % POOL}`, headers: {} }),
      ],
      ["(d) fedsim AWS_IAM", fedsim, (i) => pool[i % POOL]!],
      ["(e) (d), no decision log", quiet, (i) => quietPool[i % POOL]!],
    ];
    console.log(
      `gateway over loopback: ${CONNECTIONS} keep-alive connections, ${SECONDS} s per run after a 0.5 s warm-up`,
    );
    console.log(
      `  ${"".padEnd(22)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"server CPU µs/req".padStart(18)}`,
    );
    const results = new Map<string, Measured & { cpu?: number }>();
    for (const [name, server, make] of runs) {
      await measure(server.url, make, 0.5);
      const before = cpuMicros(server.child.pid);
      const r = await measure(server.url, make, SECONDS);
      const after = cpuMicros(server.child.pid);
      const cpu = before !== undefined && after !== undefined ? (after - before) / r.requests : undefined;
      results.set(name, { ...r, cpu });
      const errs = r.errors ? `  (${r.errors} errors: ${r.firstError})` : "";
      console.log(
        `  ${name.padEnd(22)} ${fmt(r.perSecond).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${(cpu === undefined ? "-" : cpu.toFixed(0)).padStart(18)}${errs}`,
      );
    }
    const b = results.get("(b) node:http proxy")!;
    const d = results.get("(d) fedsim AWS_IAM")!;
    console.log(
      `  (d)/(b) throughput ${((d.perSecond / b.perSecond) * 100).toFixed(0)}% (goal >= 70%), p99 added over (b) ${(d.p99 - b.p99).toFixed(2)} ms (goal <= 2 ms)`,
    );
    console.log(
      "  server CPU: the proxying process's own (user + system, from /proc), per request; steadier than req/s on a shared machine.",
    );
  } finally {
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, port, ...rest] = process.argv.slice(2);
if (role === "backend") serveBackend(Number(port));
else if (role === "proxy") serveProxy(Number(port), Number(rest[0]));
else if (role === "fedsim") void serveFedsim(Number(port), rest[0]!, rest[1]!, rest[2] !== "no-log");
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
