/**
 * STS throughput over loopback, fedsim beside moto in one run (ratios are what to read):
 *   npx tsx bench/sts.ts [seconds]
 * moto serves its STS without checking signatures, tokens or trust policies; fedsim does every check.
 * AssumeRoleWithWebIdentity re-sends one token from the built-in issuer, which fedsim verifies in full on
 * every request (only the imported key is cached); its figure is printed as a share of AssumeRole's.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closedLoop, fmt, freePort, type Started, startProcess } from "./lib.js";
import { signQuery } from "./sign.js";

const SECONDS = Number(process.argv[2] ?? 5);
const CONNECTIONS = 16;
const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** The compiled build (what `npm start` runs); `npm ci` builds it, and so does this script if it is missing. */
async function startFedsim(dir: string): Promise<Started> {
  if (!existsSync("dist/cli/index.js"))
    spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  const port = await freePort();
  const args = [
    "dist/cli/index.js",
    "start",
    "--port",
    String(port),
    "--db",
    join(dir, "bench.sqlite"),
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

async function run(name: string, server: Started, body: string, unsigned = false) {
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
  const moto = await startMoto();
  console.log(
    `start-up (spawn to first answer): fedsim ${fmt(fedsim.startupMs)} ms (first ever start, generating keys: ${fmt(cold.startupMs)} ms)${moto ? `, moto ${fmt(moto.startupMs)} ms` : ""}`,
  );
  const assumeRole =
    "Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn=" +
    encodeURIComponent("arn:aws:iam::123456789012:role/PetStoreAdmin");
  const token = await builtinIdToken(fedsim.url);
  const assumeRoleWithWebIdentity =
    "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleSessionName=bench&RoleArn=" +
    encodeURIComponent("arn:aws:iam::123456789012:role/PetStoreAdmin") +
    `&WebIdentityToken=${encodeURIComponent(token)}`;
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
    const f = await run("fedsim", fedsim, body, unsigned);
    fedsimRates.set(label, f);
    if (moto) {
      const m = await run("moto", moto, body, unsigned);
      console.log(`  ratio    fedsim/moto = ${(f / m).toFixed(1)}x`);
    }
  }
  const share = fedsimRates.get("AssumeRoleWithWebIdentity")! / fedsimRates.get("AssumeRole")!;
  console.log(
    `AssumeRoleWithWebIdentity / AssumeRole (fedsim) = ${(share * 100).toFixed(0)}% (target: at least 70%)`,
  );
  await fedsim.stop();
  await moto?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
