import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { afterAll, describe, expect, it } from "vitest";
import { stsClient } from "../helpers/fedsim.js";
import { ADMIN, ADMIN_ARN } from "../helpers/petstore.js";

const dir = mkdtempSync(join(tmpdir(), "fedsim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `fedsim start` as a user would and waits for its one ready line. */
function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "start", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fedsim did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /fedsim listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`fedsim exited with ${code}:\n${output}`));
    });
  });
}

function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners("exit");
    running.child.on("exit", (code) => resolve(code));
    running.child.kill(signal);
  });
}

describe("fedsim start", () => {
  it("prints one ready line, answers health, and keeps issued sessions across a restart", async () => {
    const db = join(dir, "restart.sqlite");
    const certs = join(dir, "certs");
    const first = await startCli(["--db", db, "--certs", certs]);
    expect(first.output()).toMatch(/^fedsim listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const health = await fetch(`${first.url}/_fedsim/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const { Credentials } = await stsClient(first, ADMIN).send(new GetSessionTokenCommand({}));
    expect(await stop(first, "SIGTERM")).toBe(0);

    const second = await startCli(["--db", db, "--certs", certs]);
    try {
      const session = stsClient(second, {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      });
      expect((await session.send(new GetCallerIdentityCommand({}))).Arn).toBe(ADMIN_ARN);
    } finally {
      expect(await stop(second, "SIGINT")).toBe(0);
    }
  });

  it("refuses to start on an invalid config, naming the field", async () => {
    await expect(startCli(["--db", ":memory:", "--config", "package.json"])).rejects.toThrow(
      /exited with 1[\s\S]*accounts: /,
    );
  });

  it("logs each request's outcome with --verbose, including why a call was denied", async () => {
    const running = await startCli(["--db", ":memory:", "--certs", join(dir, "certs"), "--verbose"]);
    try {
      const { STSClient, AssumeRoleCommand } = await import("@aws-sdk/client-sts");
      const auditor = new STSClient({
        region: "us-east-1",
        endpoint: running.url,
        credentials: {
          accessKeyId: "AKIAI44QH8DHBEXAMPLE",
          secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        },
        maxAttempts: 1,
      });
      await auditor
        .send(
          new AssumeRoleCommand({
            RoleArn: "arn:aws:iam::123456789012:role/PetStoreAdmin",
            RoleSessionName: "denied-session",
          }),
        )
        .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      expect(running.output()).toMatch(
        /sts:AssumeRole 403 AccessDenied by arn:aws:iam::123456789012:user\/auditor: User: arn:aws:iam::123456789012:user\/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/PetStoreAdmin because no identity-based policy allows the sts:AssumeRole action\n/,
      );
    } finally {
      await stop(running, "SIGTERM");
    }
  });
});
