/**
 * The gateway's cost over loopback, all in one run (ratios are what to read):
 *   npx tsx bench/gateway.ts [seconds]
 * (a) the backend direct, (b) a bare node:http reverse proxy in front of it, (c) fedsim on a NONE route,
 * (d) fedsim on an AWS_IAM route with requests signed by @smithy/signature-v4 (a pool of distinct requests
 * signed up front with AssumeRole credentials, re-sent in turn: fedsim verifies each signature in full,
 * resolves the session and evaluates the policies every time), and (e) and (f) as (d) and (c) with the decision
 * log off, (g) the bare proxy on undici (the client fedsim uses for its backend hop), and (h) that proxy
 * verifying SigV4 with fedsim's own verifier and doing nothing else.
 *
 * Fair by construction: every run sends the same GETs over the same 16 keep-alive connections, from
 * autocannon in a process of its own (this one only starts things and reads /proc), to the same backend,
 * which does the same work for each; the bare proxy and fedsim each keep a pool of keep-alive sockets to
 * it. Each server is a process of its own running plain JavaScript (fedsim built with tsc first, as users
 * run it). Two cores are shared by the load generator, the proxy under test and the backend (and by
 * whatever else runs on the machine): the server CPU per request, read from /proc, is steadier than req/s.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { parse } from "yaml";
import { fmt, freePort } from "./lib.js";

const SECONDS = Number(process.argv[2] ?? 3);
/**
 * BENCH_ONLY=abd runs only those letters; BENCH_PROFILE=DIR has each fedsim (and the bare proxy) write a --cpu-prof
 * profile there;
 * BENCH_NODE_FLAGS passes more flags to fedsim's node (--perf-basic-prof, for perf record).
 */
const ONLY = process.env.BENCH_ONLY;
const PROFILE = process.env.BENCH_PROFILE;
/** BENCH_ROUNDS=N runs every case N times, interleaved, and reports the medians as well. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/**
 * BENCH_BASELINE=DIR: another checkout, built (its dist/), whose fedsim runs (c) and (d) too, side by side in
 * the same run: the way to compare two versions on a machine whose speed changes from minute to minute.
 */
const BASELINE = process.env.BENCH_BASELINE;
/**
 * Each case runs a second time for latency, over one connection, one request at a time: at saturation (the
 * throughput runs) a server's latency is mostly its queue, connections / throughput by Little's law, so the
 * p99 a proxy adds is read where nothing queues. (autocannon's overallRate is no help: it sends each
 * second's requests in one burst.) BENCH_LATENCY=0 skips these runs.
 */
const LATENCY = process.env.BENCH_LATENCY !== "0";
/** BENCH_CONNECTIONS=N: the throughput runs over N connections (16 by default). */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const POOL = 512;
const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const BODY = JSON.stringify({ id: 1, name: "Rex", type: "dog", price: 12.5 });

// --- the servers, each in a process of its own, each running plain JavaScript ---
// Not through tsx: its transform wraps every closure created at run time in a naming helper, a cost no
// user pays. fedsim runs as users run it (`node dist/cli/index.js start`, built first); the backend and the
// bare proxy are short ES modules handed to `node -e`.

/** The backend every run reaches: a fixed JSON answer once the request has been read. */
const BACKEND_JS = `
import { createServer } from "node:http";
const body = ${JSON.stringify(BODY)};
createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
}).listen(Number(process.argv[1]), "127.0.0.1");
`;

/** The baseline: what any Node reverse proxy costs, piping both ways over a keep-alive pool. */
const PROXY_JS = `
import { Agent, createServer, request } from "node:http";
const backendPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
createServer((req, res) => {
  const upstream = request(
    { host: "127.0.0.1", port: backendPort, method: req.method, path: req.url, headers: req.headers, agent },
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
}).listen(Number(process.argv[1]), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

/**
 * The same bare proxy on undici's pool, the client fedsim's gateway uses for its backend hop: the floor for a
 * Node proxy that buffers the (small) request body, as fedsim must before it verifies a signature.
 */
const UNDICI_PROXY_JS = `
import { createServer } from "node:http";
import { Pool } from "undici";
const pool = new Pool("http://127.0.0.1:" + process.argv[2], { connections: 256 });
const hop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "expect", "host"]);
createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      if (!hop.has(req.rawHeaders[i].toLowerCase())) headers.push(req.rawHeaders[i], req.rawHeaders[i + 1]);
    pool.dispatch(
      { method: req.method, path: req.url, headers, body: chunks.length ? Buffer.concat(chunks) : null },
      {
        onConnect() {},
        onHeaders(status, raw, resume) {
          res.writeHead(status, raw.map((b) => b.toString("latin1")));
          res.on("drain", resume);
          return true;
        },
        onData: (chunk) => res.write(chunk),
        onComplete: () => res.end(),
        onError() {
          if (res.headersSent) res.destroy();
          else {
            res.statusCode = 502;
            res.end();
          }
        },
      },
    );
  });
}).listen(Number(process.argv[1]), "127.0.0.1");
process.on("SIGTERM", () => process.exit(0));
`;

/**
 * (h): the undici proxy that also verifies each request's SigV4 signature with fedsim's own verifier
 * (dist/core/sigv4, built with the rest) against one static key, and does nothing else: no session, no
 * policy, no decision log. What any SigV4-checking Node proxy costs at least; fedsim's (d) minus this is the
 * price of everything else it does.
 */
const SIGV4_PROXY_JS = (distCore: string) =>
  UNDICI_PROXY_JS.replace(
    'import { Pool } from "undici";',
    `import { Pool } from "undici";
import { createHash } from "node:crypto";
import { parseAuthorization } from ${JSON.stringify(`${distCore}/sigv4/parseAuthorization.js`)};
import { verifySignature } from ${JSON.stringify(`${distCore}/sigv4/verifySignature.js`)};
const secretAccessKey = process.argv[3];`,
  ).replace(
    "    const headers = [];",
    `    const body = chunks.length ? Buffer.concat(chunks) : Buffer.alloc(0);
    const q = req.url.indexOf("?");
    const signable = {
      method: req.method,
      path: q < 0 ? req.url : req.url.slice(0, q),
      query: q < 0 ? "" : req.url.slice(q + 1),
      rawHeaders: req.rawHeaders,
    };
    try {
      const auth = parseAuthorization(signable);
      if (!auth) throw new Error("not signed");
      const payloadHash = createHash("sha256").update(body).digest("hex");
      verifySignature(signable, auth, { secretAccessKey, payloadHash, now: new Date(), expectedService: "execute-api" });
    } catch {
      res.statusCode = 403;
      res.end();
      return;
    }
    const headers = [];`,
  );

/** fedsim's config for the runs: the pet-store accounts, and one API in front of the backend. */
function fedsimConfig(backendUrl: string, log: boolean): string {
  const raw = parse(readFileSync("data/petstore.yaml", "utf8")) as Record<string, unknown>;
  // (e) and (f) only: the decision log off, to show what recording every decision costs.
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
  return JSON.stringify(raw);
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

/** With the server's CPU per request: all of it, and the kernel's part (system time: the sockets, mostly). */
type Result = Measured & { cpu?: number; sys?: number };

interface Planned {
  path: string;
  headers: Record<string, string>;
}

/**
 * The load generator, a process of its own (`bench/gateway.ts load`): autocannon over CONNECTIONS keep-alive
 * connections, cycling through the planned requests, for a warm-up and then the measured run. It says
 * "measuring" on stdout when the measured run begins (the parent reads the server's CPU then) and prints the
 * figures as JSON at the end. Latencies are taken from autocannon's per-response event (milliseconds as a
 * float): its own histogram keeps whole milliseconds, too coarse for a 2 ms budget.
 */
async function generateLoad(
  url: string,
  seconds: number,
  planFile: string,
  connections: number,
): Promise<void> {
  const target = new URL(url);
  if (target.hostname !== "127.0.0.1") throw new Error("benchmarks only target loopback");
  const { default: autocannon } = await import("autocannon");
  const requests = (JSON.parse(readFileSync(planFile, "utf8")) as Planned[]).map((r) => ({
    method: "GET" as const,
    path: r.path,
    headers: r.headers,
  }));
  const run = (duration: number, latencies?: Float64Array) =>
    new Promise<{ count: number; errors: number; firstError?: string; elapsed: number }>(
      (resolve, reject) => {
        let count = 0;
        let errors = 0;
        let firstError: string | undefined;
        const began = performance.now();
        const instance = autocannon(
          {
            url,
            connections,
            duration,
            requests,
            timeout: 10,
          },
          (error: Error | null) => {
            if (error) reject(error);
            else resolve({ count, errors, firstError, elapsed: (performance.now() - began) / 1000 });
          },
        );
        instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
          if (latencies && count < latencies.length) latencies[count] = ms;
          count++;
          if (status >= 300) {
            errors++;
            firstError ??= `HTTP ${status}`;
          }
        });
        instance.on("reqError", (error: Error) => {
          errors++;
          firstError ??= error.message;
        });
      },
    );
  await run(0.5);
  process.stdout.write("measuring\n");
  const latencies = new Float64Array(4_000_000);
  const r = await run(seconds, latencies);
  const sorted = latencies.subarray(0, Math.min(r.count, latencies.length)).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const measured: Measured = {
    requests: r.count,
    perSecond: r.count / r.elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors: r.errors,
    firstError: r.firstError,
  };
  process.stdout.write(`${JSON.stringify(measured)}\n`);
}

/** Runs the load generator in a child process against `server`, reading the server's CPU around the measured run. */
async function measure(
  server: Server,
  plan: Planned[],
  dir: string,
  seconds: number,
  connections = CONNECTIONS,
): Promise<Result> {
  const planFile = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(planFile, JSON.stringify(plan));
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "bench/gateway.ts",
      "load",
      server.url,
      String(seconds),
      planFile,
      String(connections),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let before: CpuTimes | undefined;
  let out = "";
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      let nl = out.indexOf("\n");
      while (nl >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === "measuring") before = cpuTimes(server.child.pid);
        else lines.push(line);
        nl = out.indexOf("\n");
      }
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`load exited with ${code}`))));
  });
  const after = cpuTimes(server.child.pid);
  const r = JSON.parse(lines.at(-1)!) as Measured;
  if (before === undefined || after === undefined) return r;
  return {
    ...r,
    cpu: (after.user + after.sys - before.user - before.sys) / r.requests,
    sys: (after.sys - before.sys) / r.requests,
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
async function presignedPool(
  url: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
  prefix = "/restapis/petstore/prod/_user_request_",
): Promise<{ path: string; headers: Record<string, string> }[]> {
  const { port } = new URL(url);
  const signer = new SignatureV4({
    credentials: credentials ?? (await customerCredentials(url)),
    region: "us-east-1",
    service: "execute-api",
    sha256: Sha256,
  });
  const pool = [];
  for (let i = 0; i < POOL; i++) {
    const path = `${prefix}/pets/${i}`;
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

/** Starts `node ARGS... PORT` (PORT last) in a process of its own and waits until `probe` answers. */
async function startServer(name: string, args: (port: number) => string[], probe: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const begun = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`);
    try {
      await (await fetch(url + probe)).arrayBuffer();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (performance.now() - begun > 60_000) throw new Error(`${name} did not start: ${stderr}`);
  }
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        // fedsim exits through process.exit on SIGTERM, so that --cpu-prof writes its profile.
        child.kill("SIGTERM");
      }),
  };
}

const startModule = (name: string, source: string, ...args: string[]) =>
  startServer(
    name,
    (port) => [
      // The bare proxy profiled too, to compare like with like (it exits with profile on SIGTERM: see below).
      ...(PROFILE && name === "proxy" ? ["--cpu-prof", "--cpu-prof-dir", PROFILE] : []),
      "--input-type=module",
      "-e",
      source,
      String(port),
      ...args,
    ],
    "/",
  );

function startFedsim(dir: string, backendUrl: string, log: boolean, root = "."): Promise<Server> {
  const name = `${log ? "fedsim" : "fedsim-no-log"}${root === "." ? "" : "-baseline"}`;
  const config = join(dir, `${name}.json`);
  writeFileSync(config, fedsimConfig(backendUrl, log));
  return startServer(
    name,
    (port) => [
      ...(PROFILE ? ["--cpu-prof", "--cpu-prof-dir", PROFILE] : []),
      ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
      join(root, "dist/cli/index.js"),
      "start",
      "--config",
      config,
      "--db",
      join(dir, `${name}.sqlite`),
      "--certs",
      join(dir, "certs"),
      "--port",
      String(port),
    ],
    "/_fedsim/health",
  );
}

function print(name: string, r: Result): void {
  const errs = r.errors ? `  (${r.errors} errors: ${r.firstError})` : "";
  console.log(
    `  ${name.padEnd(26)} ${fmt(r.perSecond).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${(r.cpu === undefined ? "-" : r.cpu.toFixed(0)).padStart(10)} ${(r.sys === undefined ? "-" : r.sys.toFixed(0)).padStart(8)}${errs}`,
  );
}

function medians(all: Result[]): Result {
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const cpus = all.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
  const syss = all.flatMap((r) => (r.sys === undefined ? [] : [r.sys]));
  return {
    requests: median(all.map((r) => r.requests)),
    perSecond: median(all.map((r) => r.perSecond)),
    p50: median(all.map((r) => r.p50)),
    p99: median(all.map((r) => r.p99)),
    errors: all.reduce((n, r) => n + r.errors, 0),
    firstError: all.find((r) => r.firstError)?.firstError,
    cpu: cpus.length > 0 ? median(cpus) : undefined,
    sys: syss.length > 0 ? median(syss) : undefined,
  };
}

interface CpuTimes {
  user: number;
  sys: number;
}

/** CPU time a process has used, user and system, in microseconds, from /proc (Linux; undefined elsewhere). */
function cpuTimes(pid: number | undefined): CpuTimes | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return { user: Number(fields[11]) * 10_000, sys: Number(fields[12]) * 10_000 };
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-gateway-"));
  const servers: Server[] = [];
  try {
    if (process.env.BENCH_NO_BUILD === undefined) {
      // What users run: the compiled server (npm run build), not the sources through tsx.
      const built = spawnSync(
        process.execPath,
        ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"],
        {
          stdio: "inherit",
        },
      );
      if (built.status !== 0) throw new Error("the build failed");
    }
    const backend = await startModule("backend", BACKEND_JS);
    servers.push(backend);
    const proxy = await startModule("proxy", PROXY_JS, new URL(backend.url).port);
    servers.push(proxy);
    const undiciProxy = await startModule("undici-proxy", UNDICI_PROXY_JS, new URL(backend.url).port);
    servers.push(undiciProxy);
    const sigv4Proxy = await startModule(
      "sigv4-proxy",
      SIGV4_PROXY_JS(join(process.cwd(), "dist/core")),
      new URL(backend.url).port,
      ADMIN.secretAccessKey,
    );
    servers.push(sigv4Proxy);
    const fedsim = await startFedsim(dir, backend.url, true);
    servers.push(fedsim);
    const quiet = await startFedsim(dir, backend.url, false);
    servers.push(quiet);
    const pool = await presignedPool(fedsim.url);
    const quietPool = await presignedPool(quiet.url);
    const baseline = BASELINE ? await startFedsim(dir, backend.url, true, BASELINE) : undefined;
    if (baseline) servers.push(baseline);
    const baselinePool = baseline ? await presignedPool(baseline.url) : [];
    const sigv4Pool = await presignedPool(sigv4Proxy.url, ADMIN, "");

    const direct = Array.from({ length: POOL }, (_, i) => ({ path: `/pets/${i}`, headers: {} }));
    const open = Array.from({ length: POOL }, (_, i) => ({
      path: `/restapis/petstore/prod/_user_request_/public/${i}`,
      headers: {},
    }));
    const runs: [string, Server, Planned[]][] = [
      ["(a) backend direct", backend, direct],
      ["(b) node:http proxy", proxy, direct],
      ["(g) undici proxy", undiciProxy, direct],
      ["(h) (g) + SigV4 check only", sigv4Proxy, sigv4Pool],
      ["(c) fedsim NONE", fedsim, open],
      ["(d) fedsim AWS_IAM", fedsim, pool],
      ["(e) (d), no decision log", quiet, quietPool],
      ["(f) (c), no decision log", quiet, open],
    ];
    if (baseline)
      runs.push(["(C) (c), baseline", baseline, open], ["(D) (d), baseline", baseline, baselinePool]);
    console.log(
      `gateway over loopback: autocannon in a process of its own, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per run after a 0.5 s warm-up`,
    );
    console.log(
      `  ${"".padEnd(26)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"CPU µs/req".padStart(10)} ${"of it sys".padStart(8)}`,
    );
    const rounds = new Map<string, Result[]>();
    const paced = new Map<string, Result[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) console.log(`  round ${round} of ${ROUNDS}`);
      if (round > 1) {
        // Signed afresh: execute-api's 5-minute window would end in the middle of a long run.
        pool.splice(0, POOL, ...(await presignedPool(fedsim.url)));
        quietPool.splice(0, POOL, ...(await presignedPool(quiet.url)));
        if (baseline) baselinePool.splice(0, POOL, ...(await presignedPool(baseline.url)));
        sigv4Pool.splice(0, POOL, ...(await presignedPool(sigv4Proxy.url, ADMIN, "")));
      }
      for (const [name, server, plan] of runs) {
        if (ONLY && !ONLY.includes(name[1]!)) continue;
        const r = await measure(server, plan, dir, SECONDS);
        rounds.set(name, [...(rounds.get(name) ?? []), r]);
        print(name, r);
        if (LATENCY) {
          const p = await measure(server, plan, dir, SECONDS, 1);
          paced.set(name, [...(paced.get(name) ?? []), p]);
          print("  one at a time", p);
        }
      }
    }
    const results = new Map<string, Result>();
    for (const [name, all] of rounds) results.set(name, medians(all));
    if (ROUNDS > 1) {
      console.log(`  medians of ${ROUNDS} rounds (each figure on its own)`);
      for (const [name, r] of results) {
        print(name, r);
        const p = paced.get(name);
        if (p) print("  one at a time", medians(p));
      }
    }
    const b = results.get("(b) node:http proxy");
    const d = results.get("(d) fedsim AWS_IAM");
    if (b && d)
      console.log(
        `  (d)/(b) throughput ${((d.perSecond / b.perSecond) * 100).toFixed(0)}% (goal >= 70%); at saturation p99 added over (b) ${(d.p99 - b.p99).toFixed(2)} ms`,
      );
    const pb = paced.get("(b) node:http proxy");
    const pd = paced.get("(d) fedsim AWS_IAM");
    if (pb && pd) {
      const [mb, md] = [medians(pb), medians(pd)];
      console.log(
        `  one request at a time: p99 added over (b) ${(md.p99 - mb.p99).toFixed(2)} ms (goal <= 2 ms), p50 added ${(md.p50 - mb.p50).toFixed(2)} ms`,
      );
    }
    const g = results.get("(g) undici proxy");
    if (g && d)
      console.log(
        `  (d)/(g) throughput ${((d.perSecond / g.perSecond) * 100).toFixed(0)}%, p99 added over (g) ${(d.p99 - g.p99).toFixed(2)} ms (the faster floor, for comparison)`,
      );
    console.log(
      "  CPU: the serving process's own per request (user + system, from /proc; sys is the kernel's part), steadier than req/s on a shared machine.",
    );
  } finally {
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, ...rest] = process.argv.slice(2);
if (role === "load")
  generateLoad(rest[0]!, Number(rest[1]), rest[2]!, Number(rest[3] ?? CONNECTIONS)).catch(
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
