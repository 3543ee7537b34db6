/**
 * Spawn to first answered request, and idle memory, for fedsim and moto side by side: each is spawned the same
 * way, on a port picked beforehand, and polled with the same unsigned STS GetCallerIdentity POST every 5 ms
 * until one is answered (any status below 500; fedsim answers it AccessDenied-shaped, moto answers it). The
 * AWS endpoint is what a client's first call reaches, so a room loaded lazily pays its cost inside the figure.
 * Idle RSS is VmRSS from /proc/PID/status one second after that answer. Prints figures; asserts nothing.
 *   npm run build && npx tsx bench/startup.ts [runs]   (FEDSIM_BIN=dist/cli/index.js times tsc's unbundled output)
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fmt, freePort } from "./lib.js";

const RUNS = Number(process.argv[2] ?? 10);
// The installed form: package.json's bin (the bundle), unless FEDSIM_BIN names another build (dist/cli/index.js).
const packageBin = (JSON.parse(readFileSync("package.json", "utf8")) as { bin: { fedsim: string } }).bin
  .fedsim;
const fedsimBin = resolve(process.env.FEDSIM_BIN ?? packageBin);
if (!existsSync(fedsimBin)) throw new Error(`${fedsimBin} not found: run npm run build first`);
const home = mkdtempSync(join(tmpdir(), "fedsim-startup-"));
const BODY = "Action=GetCallerIdentity&Version=2011-06-15";

interface Contender {
  name: string;
  command: (port: number) => [string, string[]];
}

const contenders: Contender[] = [
  {
    name: "fedsim",
    // The installed form: the CLI's start command, its state in a folder of its own (keys made at the warm-up).
    command: (port) => [process.execPath, [fedsimBin, "start", "--port", String(port), "--home", home]],
  },
  {
    name: "moto",
    command: (port) => ["python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]],
  },
];

const probe = (port: number) =>
  new Promise<boolean>((done) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: "/",
        method: "POST",
        agent: false,
        headers: { "content-type": "application/x-www-form-urlencoded", host: `127.0.0.1:${port}` },
      },
      (res) => {
        res.resume();
        res.on("end", () => done((res.statusCode ?? 500) < 500));
      },
    );
    req.on("error", () => done(false));
    req.end(BODY);
  });

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function once(c: Contender): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const [cmd, args] = c.command(port);
  const begun = performance.now();
  const child: ChildProcess = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${c.name} exited: ${stderr}`);
      if (await probe(port)) break;
      if (performance.now() - begun > 30_000) throw new Error(`${c.name} did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - begun;
    await new Promise((r) => setTimeout(r, 1000));
    return { ms, rss: rssMb(child.pid!) };
  } finally {
    await new Promise<void>((done) => {
      if (child.exitCode !== null) return done();
      child.on("exit", () => done());
      child.kill("SIGTERM");
    });
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))]!;
};

const motoThere = spawnSync("python3", ["-c", "import moto.server"]).status === 0;
const field = motoThere ? contenders : contenders.filter((c) => c.name !== "moto");
if (!motoThere) console.log("(moto not importable by python3: fedsim alone)");

const results = new Map<string, { ms: number[]; rss: number[] }>();
for (const c of field) {
  await once(c); // warm-up: fedsim's first start makes its keys; both warm the page cache
  results.set(c.name, { ms: [], rss: [] });
}
// Interleaved, so a noisy neighbour's burst falls on both alike.
for (let i = 0; i < RUNS; i++) {
  for (const c of field) {
    const r = await once(c);
    results.get(c.name)!.ms.push(r.ms);
    results.get(c.name)!.rss.push(r.rss);
  }
}
rmSync(home, { recursive: true, force: true });

const rows = [...results].map(([name, r]) => ({
  name,
  median: quantile(r.ms, 0.5),
  p90: quantile(r.ms, 0.9),
  rss: quantile(r.rss, 0.5),
}));
console.log(`spawn to first answered request, ${RUNS} runs each, interleaved:`);
for (const r of rows)
  console.log(
    `  ${r.name.padEnd(7)} median ${fmt(r.median).padStart(5)} ms   p90 ${fmt(r.p90).padStart(5)} ms   idle RSS ${r.rss.toFixed(1).padStart(6)} MB`,
  );
const fed = rows.find((r) => r.name === "fedsim")!;
const moto = rows.find((r) => r.name === "moto");
if (moto)
  console.log(
    `  fedsim/moto: start-up ${(fed.median / moto.median).toFixed(2)} (goal <= 0.33), RSS ${(fed.rss / moto.rss).toFixed(2)}`,
  );
console.log(
  `  goals: fedsim < 200 ms (${fed.median < 200 ? "met" : "not met"}), RSS < 60 MB (${fed.rss < 60 ? "met" : "not met"})`,
);
