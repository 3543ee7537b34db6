// InitiateAuth calls per second against a started fedsim: USER_PASSWORD_AUTH (one scrypt N=2^15, r=8, p=1
// per call) and USER_SRP_AUTH (InitiateAuth + RespondToAuthChallenge through amazon-cognito-identity-js).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { startFedsim } from "../src/server/start.js";

const POOL = "us-east-1_PetStore1";
const CLIENT = "petstorewebclient000000001";
const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-"));
const server = await startFedsim({ db: join(dir, "db.sqlite"), certsDir: join(dir, "certs"), port: 0 });
const idp = new CognitoIdentityProviderClient({
  region: "us-east-1",
  endpoint: server.url,
  maxAttempts: 1,
  credentials: {
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  },
});
const pool = new CognitoUserPool({ UserPoolId: POOL, ClientId: CLIENT, endpoint: server.url });

async function rate(name: string, n: number, once: () => Promise<unknown>) {
  await once();
  const start = performance.now();
  for (let i = 0; i < n; i++) await once();
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `${name}: ${(n / seconds).toFixed(1)} sign-ins/s (${((seconds / n) * 1000).toFixed(1)} ms each)`,
  );
}

await rate("USER_PASSWORD_AUTH", 40, () =>
  idp.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: CLIENT,
      AuthParameters: { USERNAME: "alice", PASSWORD: "alice-password" },
    }),
  ),
);
await rate(
  "USER_SRP_AUTH (both round trips, client SRP included)",
  40,
  () =>
    new Promise((resolve, reject) =>
      new CognitoUser({ Username: "alice", Pool: pool }).authenticateUser(
        new AuthenticationDetails({ Username: "alice", Password: "alice-password" }),
        { onSuccess: resolve, onFailure: reject },
      ),
    ),
);
await server.close();
rmSync(dir, { recursive: true, force: true });
