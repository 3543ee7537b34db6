/**
 * Cognito Identity throughput over loopback: GetCredentialsForIdentity for a signed-in identity beside
 * AssumeRole (the same trust evaluation and session issue, signed by an IAM user) and beside moto's
 * GetCredentialsForIdentity, in one run (ratios are what to read):
 *   npx tsx bench/cognito.ts [seconds]
 * fedsim verifies the login on every call (an RS512 developer-flow token: signature, issuer, audience, expiry),
 * checks it against the identity, maps the role, evaluates its trust policy and stores the session; moto
 * checks nothing and returns constant keys.
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

async function run(name: string, url: string, make: () => { headers: Record<string, string>; body: string }) {
  await closedLoop(url, make, { seconds: 0.5, connections: CONNECTIONS }); // warm-up
  const result = await closedLoop(url, make, { seconds: SECONDS, connections: CONNECTIONS });
  const errs = result.errors ? ` (${result.errors} errors: ${result.firstError})` : "";
  console.log(`  ${name.padEnd(32)} ${fmt(result.perSecond).padStart(8)} req/s${errs}`);
  return result.perSecond;
}

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
  console.log(`GetCredentialsForIdentity, authenticated (${CONNECTIONS} connections, ${SECONDS} s):`);
  // Interleaved, so that a noisy moment of the machine falls on both.
  const c1 = await run("fedsim GetCredentialsForIdentity", fedsim.url, credentialsCall(login));
  const a1 = await run("fedsim AssumeRole", fedsim.url, () => assumeRole);
  const c2 = await run("fedsim GetCredentialsForIdentity", fedsim.url, credentialsCall(login));
  const a2 = await run("fedsim AssumeRole", fedsim.url, () => assumeRole);
  const credentials = (c1 + c2) / 2;
  const assume = (a1 + a2) / 2;
  console.log(`  GetCredentialsForIdentity / AssumeRole = ${(100 * (credentials / assume)).toFixed(0)}%`);
  if (moto) {
    const m = await run(
      "moto GetCredentialsForIdentity",
      moto.url,
      credentialsCall(await motoLogin(moto.url)),
    );
    console.log(`  fedsim/moto = ${(credentials / m).toFixed(1)}x`);
  }
  await fedsim.stop();
  await moto?.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
