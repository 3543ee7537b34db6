/**
 * STS throughput over loopback, fedsim beside moto in one run (ratios are what to read):
 *   npx tsx bench/sts.ts [seconds]
 * moto serves its STS without checking signatures or trust policies; fedsim does every check. fedsim runs
 * twice, with its decision log on (the default) and off, to show what recording every decision costs.
 * AssumeRoleWithWebIdentity re-sends one token from the built-in issuer, which fedsim verifies in full on
 * every request (only the imported key is cached); its figure is printed as a share of AssumeRole's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { closedLoop, fmt, freePort, type Started, startProcess } from "./lib.js";
import { signQuery } from "./sign.js";

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 16;
const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/**
 * The compiled build (what `npm start` runs); `npm ci` builds it, and so does this script if it is missing.
 * BENCH_PROFILE=DIR has each fedsim write a --cpu-prof profile there.
 */
async function startFedsim(
  dir: string,
  config = "data/petstore.yaml",
  db = "bench.sqlite",
): Promise<Started> {
  if (!existsSync("dist/cli/index.js"))
    spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  const port = await freePort();
  const args = [
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : []),
    "dist/cli/index.js",
    "start",
    "--port",
    String(port),
    "--config",
    config,
    "--db",
    join(dir, db),
    "--certs",
    join(dir, "certs"),
  ];
  return startProcess(process.execPath, args, port, "/_fedsim/health");
}

async function startMoto(): Promise<Started | undefined> {
  const port = await freePort();
  try {
    return await startProcess(
      "python3",
      ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)],
      port,
      "/moto-api/",
    );
  } catch (error) {
    console.log(`moto: not available (${(error as Error).message.split("\n")[0]}); fedsim figures only`);
    return undefined;
  }
}

async function run(
  name: string,
  server: Started,
  bodyOf: string | ((url: string) => Promise<string>),
  unsigned = false,
) {
  // A web-identity token names its issuer, which is each fedsim's own: minted per server.
  const body = typeof bodyOf === "string" ? bodyOf : await bodyOf(server.url);
  // One signed request per connection, re-sent: the server still verifies every signature in full.
  const signed = unsigned
    ? { headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }, body }
    : await signQuery(server.url, ADMIN, body);
  await closedLoop(server.url, () => signed, { seconds: 0.5, connections: CONNECTIONS }); // warm-up
  const result = await closedLoop(server.url, () => signed, { seconds: SECONDS, connections: CONNECTIONS });
  const errs = result.errors ? ` (${result.errors} errors: ${result.firstError})` : "";
  console.log(`  ${name.padEnd(8)} ${fmt(result.perSecond).padStart(8)} req/s${errs}`);
  return result.perSecond;
}

/** An ID token for alice from the built-in issuer (its password grant), valid for an hour. */
async function builtinIdToken(url: string): Promise<string> {
  const res = await fetch(`${url}/oidc/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "password", username: "alice", password: "alice-password" }),
  });
  if (!res.ok) throw new Error(`no token from the built-in issuer: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id_token: string }).id_token;
}

const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-"));
try {
  // The first start generates the built-in IdP's keys into certs/; later starts (the usual case) reuse them.
  const cold = await startFedsim(dir);
  await cold.stop();
  const fedsim = await startFedsim(dir);
  // The same demo with the decision log switched off, for the cost of recording.
  const demo = parse(readFileSync("data/petstore.yaml", "utf8"));
  demo.settings = { ...demo.settings, decisionLog: { enabled: false } };
  const unlogged = join(dir, "no-decision-log.yaml");
  writeFileSync(unlogged, stringify(demo));
  const quiet = await startFedsim(dir, unlogged, "quiet.sqlite");
  const moto = await startMoto();
  console.log(
    `start-up (spawn to first answer): fedsim ${fmt(fedsim.startupMs)} ms (first ever start, generating keys: ${fmt(cold.startupMs)} ms)${moto ? `, moto ${fmt(moto.startupMs)} ms` : ""}`,
  );
  const assumeRole =
    "Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn=" +
    encodeURIComponent("arn:aws:iam::123456789012:role/PetStoreAdmin");
  const assumeRoleWithWebIdentity = async (url: string) =>
    "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=bench&RoleArn=" +
    encodeURIComponent("arn:aws:iam::123456789012:role/PetStoreAdmin") +
    `&WebIdentityToken=${encodeURIComponent(await builtinIdToken(url))}`;
  const actions = [
    ["GetCallerIdentity", "Action=GetCallerIdentity&Version=2011-06-15", false],
    // Signed, the caller's identity policy and the role's trust policy evaluated, the session persisted.
    ["AssumeRole", assumeRole, false],
    // Unsigned; the token's RS256 signature and claims verified, the trust policy evaluated, the session persisted.
    ["AssumeRoleWithWebIdentity", assumeRoleWithWebIdentity, true],
  ] as const;
  const fedsimRates = new Map<string, number>();
  for (const [label, body, unsigned] of actions) {
    console.log(`${label} (${CONNECTIONS} connections, ${SECONDS} s):`);
    // Interleaved, so that a noisy moment of the machine falls on both.
    const f = await run("fedsim", fedsim, body, unsigned);
    const q = await run("no-log", quiet, body, unsigned);
    const f2 = await run("fedsim", fedsim, body, unsigned);
    const q2 = await run("no-log", quiet, body, unsigned);
    const logged = (f + f2) / 2;
    const unloggedRate = (q + q2) / 2;
    fedsimRates.set(label, logged);
    console.log(`  decision log costs ${(100 * (1 - logged / unloggedRate)).toFixed(1)}% of throughput`);
    if (moto) {
      const m = await run("moto", moto, typeof body === "string" ? body : await body(fedsim.url), unsigned);
      console.log(
        `  ratio    fedsim/moto = ${(logged / m).toFixed(1)}x (without the log ${(unloggedRate / m).toFixed(1)}x)`,
      );
    }
  }
  const share = fedsimRates.get("AssumeRoleWithWebIdentity")! / fedsimRates.get("AssumeRole")!;
  console.log(
    `AssumeRoleWithWebIdentity / AssumeRole (fedsim) = ${(share * 100).toFixed(0)}% (target: at least 70%)`,
  );
  await fedsim.stop();
  await quiet.stop();
  await moto?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
