/**
 * Cognito Identity throughput over loopback: GetCredentialsForIdentity for a signed-in identity beside
 * AssumeRole (the same trust evaluation and session issue, signed by an IAM user) and beside moto's
 * GetCredentialsForIdentity, in one run, interleaved (ratios are what to read; each server's CPU time per
 * request is printed too, which a busy machine disturbs far less than the rates):
 *   npx tsx bench/cognito.ts [seconds]
 * fedsim verifies the login on every call (an RS512 developer-flow token: key from the current JWKS, issuer,
 * audience, expiry; the RSA signature itself is computed once per token and key and remembered, see
 * src/core/oidc/verifyToken.ts), checks it against the identity, reads the pool, maps the role, evaluates its
 * trust policy and stores the session; moto checks nothing and returns constant keys.
 * `dist/` is what runs: rebuild it (npm run build) after changing src/.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetIdCommand,
  GetOpenIdTokenForDeveloperIdentityCommand,
} from "@aws-sdk/client-cognito-identity";
import { closedLoop, fmt, freePort, type Started, startProcess } from "./lib.js";
import { signQuery } from "./sign.js";

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = 2;
const CONNECTIONS = 16;
const ADMIN = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const PETSTORE_POOL = "us-east-1:3f1c9a52-7b4e-4d8a-9c61-5e2f0a7d4b18";
const JSON_HEADERS = { "content-type": "application/x-amz-json-1.1" };

async function startFedsim(dir: string): Promise<Started> {
  if (!existsSync("dist/cli/index.js"))
    spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
  const port = await freePort();
  const args = ["dist/cli/index.js", "start", "--port", String(port), "--db", join(dir, "bench.sqlite")];
  return startProcess(process.execPath, [...args, "--certs", join(dir, "certs")], port, "/_fedsim/health");
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

const cognito = (url: string) =>
  new CognitoIdentityClient({ region: "us-east-1", endpoint: url, credentials: ADMIN, maxAttempts: 1 });

/** The developer flow once: an identity of the PetStore pool and a day-long token that proves it. */
async function fedsimLogin(url: string): Promise<string> {
  const issued = await cognito(url).send(
    new GetOpenIdTokenForDeveloperIdentityCommand({
      IdentityPoolId: PETSTORE_POOL,
      Logins: { "login.petstore": "bench-user" },
      TokenDuration: 86_400,
    }),
  );
  return JSON.stringify({
    IdentityId: issued.IdentityId,
    Logins: { "cognito-identity.amazonaws.com": issued.Token },
  });
}

/** moto accepts any login; a pool and an identity make its answer a success. */
async function motoLogin(url: string): Promise<string> {
  const pool = await cognito(url).send(
    new CreateIdentityPoolCommand({ IdentityPoolName: "bench", AllowUnauthenticatedIdentities: true }),
  );
  const logins = { "cognito-identity.amazonaws.com": "not-a-token" };
  const { IdentityId } = await cognito(url).send(
    new GetIdCommand({ IdentityPoolId: pool.IdentityPoolId, Logins: logins }),
  );
  return JSON.stringify({ IdentityId, Logins: logins });
}

interface Figures {
  perSecond: number;
  /** Server CPU (user + system) per request, in microseconds; undefined without /proc. */
  cpuMicros: number | undefined;
}

async function run(
  server: Started,
  make: () => { headers: Record<string, string>; body: string },
  label: string,
  warmSeconds: number,
): Promise<Figures> {
  // Longer on the first round: the JIT and SQLite's page cache settle in the first seconds.
  await closedLoop(server.url, make, { seconds: warmSeconds, connections: CONNECTIONS });
  const before = server.cpuMs();
  const result = await closedLoop(server.url, make, { seconds: SECONDS, connections: CONNECTIONS });
  const after = server.cpuMs();
  if (result.errors) console.log(`  ${label}: ${result.errors} errors: ${result.firstError}`);
  const cpuMicros =
    before === undefined || after === undefined ? undefined : ((after - before) * 1000) / result.requests;
  return { perSecond: result.perSecond, cpuMicros };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const meanOf = (runs: readonly Figures[]): Figures => ({
  perSecond: mean(runs.map((r) => r.perSecond)),
  cpuMicros: runs.some((r) => r.cpuMicros === undefined) ? undefined : mean(runs.map((r) => r.cpuMicros!)),
});

const credentialsCall = (body: string) => () => ({
  headers: { ...JSON_HEADERS, "x-amz-target": "AWSCognitoIdentityService.GetCredentialsForIdentity" },
  body,
});

const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-cognito-"));
try {
  const fedsim = await startFedsim(dir);
  const moto = await startMoto();
  const login = await fedsimLogin(fedsim.url);
  const assumeRole = await signQuery(
    fedsim.url,
    ADMIN,
    `Action=AssumeRole&Version=2011-06-15&RoleSessionName=bench&RoleArn=${encodeURIComponent("arn:aws:iam::123456789012:role/PetStoreCustomer")}`,
  );
  const motoCall = moto && credentialsCall(await motoLogin(moto.url));
  console.log(
    `GetCredentialsForIdentity, authenticated (${CONNECTIONS} connections, ${SECONDS} s a run, ${ROUNDS} rounds interleaved):`,
  );
  // Interleaved, so that a noisy moment of the machine falls on all three.
  const runs = { credentials: [] as Figures[], assume: [] as Figures[], moto: [] as Figures[] };
  for (let round = 0; round < ROUNDS; round++) {
    const warm = round === 0 ? 2 : 0.5;
    runs.credentials.push(
      await run(fedsim, credentialsCall(login), "fedsim GetCredentialsForIdentity", warm),
    );
    runs.assume.push(await run(fedsim, () => assumeRole, "fedsim AssumeRole", warm));
    if (moto && motoCall) runs.moto.push(await run(moto, motoCall, "moto GetCredentialsForIdentity", warm));
  }
  const credentials = meanOf(runs.credentials);
  const assume = meanOf(runs.assume);
  const line = (name: string, f: Figures, all: readonly Figures[]) =>
    console.log(
      `  ${name.padEnd(34)} ${fmt(f.perSecond).padStart(7)} req/s (${all.map((r) => fmt(r.perSecond)).join(", ")})` +
        (f.cpuMicros === undefined ? "" : `  ${fmt(f.cpuMicros).padStart(6)} us server CPU a request`),
    );
  line("fedsim GetCredentialsForIdentity", credentials, runs.credentials);
  line("fedsim AssumeRole", assume, runs.assume);
  const share = credentials.perSecond / assume.perSecond;
  console.log(
    `  GetCredentialsForIdentity / AssumeRole = ${(100 * share).toFixed(0)}% (target: at least 70%)`,
  );
  if (runs.moto.length > 0) {
    const m = meanOf(runs.moto);
    line("moto GetCredentialsForIdentity", m, runs.moto);
    const cpu =
      m.cpuMicros !== undefined && credentials.cpuMicros !== undefined
        ? `; per request, fedsim uses ${(m.cpuMicros / credentials.cpuMicros).toFixed(1)}x less server CPU`
        : "";
    console.log(
      `  fedsim / moto GetCredentialsForIdentity = ${(credentials.perSecond / m.perSecond).toFixed(1)}x (target: at least 10x)${cpu}`,
    );
  }
  await fedsim.stop();
  await moto?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
