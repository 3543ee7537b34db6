import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { GetCallerIdentityCommand, GetSessionTokenCommand } from "@aws-sdk/client-sts";
import Database from "better-sqlite3";
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

// Absolute paths, so that the CLI also runs from another working directory.
const TSX = pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href;
const CLI = resolve("src/cli/index.ts");
const cli = (args: string[], cwd?: string) =>
  spawnSync(process.execPath, ["--import", TSX, CLI, ...args], { encoding: "utf8", cwd, timeout: 30_000 });

/** Starts `fedsim start` as a user would and waits for its one ready line. */
function startCli(args: string[], cwd?: string): Promise<Running> {
  const child = spawn(process.execPath, ["--import", TSX, CLI, "start", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    cwd,
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

/** Waits (bounded) until the child has printed what is expected: log lines may trail the response. */
async function waitForOutput(running: Running, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!pattern.test(running.output()) && Date.now() < deadline) {
    await new Promise<void>((r) => running.child.stdout!.once("data", () => r()));
  }
}

function stop(running: Running, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    running.child.removeAllListeners("exit");
    running.child.on("exit", (code) => resolve(code));
    running.child.kill(signal);
  });
}

describe("fedsim start", () => {
  it("prints the ready line and what it uses, answers health, and keeps issued sessions across a restart", async () => {
    const db = join(dir, "restart.sqlite");
    const certs = join(dir, "certs");
    const first = await startCli(["--db", db, "--certs", certs]);
    await waitForOutput(first, /admin: /);
    const url = first.url.replace(/[.]/g, "\\.");
    expect(first.output()).toMatch(
      new RegExp(
        `^fedsim: first start: making the built-in IdP's signing key and certificate in ${certs}\n` +
          `fedsim listening on ${url}\n  config: +\\S+data/petstore\\.yaml\n  database: +${db.replace(/[.]/g, "\\.")}\n` +
          `  certs: +${certs}\n  state: +the installation's data/ and certs/\n  sign in: +${url}/idp/login\n  console: +${url}/_fedsim/console\n  admin: +/_fedsim/\\* open to loopback, or with Authorization: Bearer [\\w-]{24}\n$`,
      ),
    );
    const health = await fetch(`${first.url}/_fedsim/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const { Credentials } = await stsClient(first, ADMIN).send(new GetSessionTokenCommand({}));
    expect(await stop(first, "SIGTERM")).toBe(0);

    const second = await startCli(["--db", db, "--certs", certs]);
    try {
      // The keys are there now: no progress line.
      expect(second.output()).toMatch(/^fedsim listening on /);
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

  it("loses no decision answered before a SIGTERM that arrives under load", async () => {
    const db = join(dir, "sigterm.sqlite");
    const certs = join(dir, "certs");
    const first = await startCli(["--db", db, "--certs", certs]);
    const answered: string[] = [];
    let sent = false;
    const stopped = new Promise<number | null>((done) => first.child.on("exit", done));
    // Unsigned calls to a signed route: each is refused and recorded, hundreds within one 50 ms batch.
    await Promise.all(
      Array.from({ length: 400 }, async () => {
        try {
          const res = await fetch(`${first.url}/restapis/petstore/prod/_user_request_/pets`, {
            method: "POST",
          });
          await res.arrayBuffer();
          answered.push(res.headers.get("x-amzn-requestid")!);
        } catch {
          return; // refused or cut off by the shutdown: never answered, so nothing is owed
        }
        if (answered.length === 200 && !sent) {
          sent = true;
          first.child.kill("SIGTERM");
        }
      }),
    );
    expect(await stopped).toBe(0);
    const second = await startCli(["--db", db, "--certs", certs]);
    try {
      const res = await fetch(`${second.url}/_fedsim/decisions?limit=1000`);
      const logged = new Set(
        ((await res.json()) as { decisions: { requestId: string }[] }).decisions.map((d) => d.requestId),
      );
      expect(answered.length).toBeGreaterThanOrEqual(200);
      expect(answered.filter((id) => !logged.has(id))).toEqual([]);
    } finally {
      await stop(second, "SIGTERM");
    }
  });

  it("shuts down cleanly on SIGTERM after whoever read its output went away (`fedsim start | head`)", async () => {
    const running = await startCli(["--db", ":memory:", "--certs", join(dir, "certs")]);
    await waitForOutput(running, /admin: /);
    running.child.stdout!.destroy();
    expect(await stop(running, "SIGTERM")).toBe(0);
    expect(running.output()).not.toMatch(/EPIPE/);
  });

  it("starts three at the same moment on one new database file: each migrates or waits its turn, none fails", async () => {
    const certs = join(dir, "certs");
    // The keys made once first (their own first start is another matter): only the database is new.
    const once = await startCli(["--db", join(dir, "keys-first.sqlite"), "--certs", certs]);
    expect(await stop(once, "SIGTERM")).toBe(0);
    const db = join(dir, "together.sqlite");
    const all = await Promise.allSettled([1, 2, 3].map(() => startCli(["--db", db, "--certs", certs])));
    const started = all.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    try {
      expect(all.map((r) => (r.status === "rejected" ? String(r.reason) : "started"))).toEqual([
        "started",
        "started",
        "started",
      ]);
      for (const running of started) expect((await fetch(`${running.url}/_fedsim/health`)).status).toBe(200);
    } finally {
      for (const running of started) expect(await stop(running, "SIGTERM")).toBe(0);
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
      await waitForOutput(running, /sts:AssumeRole 403/);
      expect(running.output()).toMatch(
        /sts:AssumeRole 403 AccessDenied by arn:aws:iam::123456789012:user\/auditor\n/,
      );
      // The refusal's reason, from the decision log, in one line a person can act on.
      expect(running.output()).toMatch(
        /aws-api sts:AssumeRole implicit-deny for arn:aws:iam::123456789012:user\/auditor: User: arn:aws:iam::123456789012:user\/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/PetStoreAdmin because no identity-based policy allows the sts:AssumeRole action\n/,
      );
    } finally {
      await stop(running, "SIGTERM");
    }
  });

  it("starts from any directory on the shipped demo config, creating its database directory", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "fedsim-cwd-"));
    try {
      const running = await startCli(["--db", "state/fedsim.sqlite", "--certs", "keys"], elsewhere);
      try {
        expect((await stsClient(running, ADMIN).send(new GetCallerIdentityCommand({}))).Arn).toBe(ADMIN_ARN);
      } finally {
        expect(await stop(running, "SIGTERM")).toBe(0);
      }
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("explains a database it cannot open in one line, without a stack trace", () => {
    const notAFile = join(dir, "a-directory");
    mkdirSync(notAFile, { recursive: true });
    const out = cli(["start", "--port", "0", "--db", notAFile, "--certs", join(dir, "certs")]);
    expect(out.status).toBe(1);
    // The last line (a first start says it makes the IdP's keys before it opens the database).
    expect(out.stderr.split("\n").at(-2)).toBe(
      `fedsim: cannot use the database ${notAFile}: unable to open database file`,
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a database it may read but not write, without a stack trace", () => {
    // SQLite opens a file whose header asks for a newer writer read-only: what a read-only file is to a
    // user who is not root (tests may run as root, for whom file modes change nothing).
    const readOnly = join(dir, "read-only.sqlite");
    const db = new Database(readOnly);
    db.exec("CREATE TABLE t (x)");
    db.close();
    const fd = openSync(readOnly, "r+");
    writeSync(fd, Buffer.from([3]), 0, 1, 18);
    closeSync(fd);
    const out = cli(["start", "--port", "0", "--db", readOnly, "--certs", join(dir, "certs")]);
    expect(out.status).toBe(1);
    expect(out.stderr.split("\n").at(-2)).toBe(
      `fedsim: cannot use the database ${readOnly}: attempt to write a readonly database`,
    );
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses an empty --port (an unset variable) instead of listening on a random one", () => {
    const out = cli(["start", "--port=", "--db", ":memory:"]);
    expect(out.status).toBe(1);
    expect(out.stderr).toBe("error: option '-p, --port <n>' argument '' is invalid. a port number 0-65535\n");
    expect(out.stdout).toBe("");
  });

  it("refuses an empty --host instead of listening on every interface", () => {
    const out = cli(["start", "--port", "0", "--host", "", "--db", ":memory:"]);
    expect(out.status).toBe(1);
    expect(out.stderr).toBe(
      "error: option '-H, --host <host>' argument '' is invalid. a host name or address\n",
    );
    expect(out.stdout).toBe("");
  });
});

describe("fedsim config validate", () => {
  it("accepts the demo config", () => {
    const out = cli(["config", "validate", "data/petstore.yaml"]);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(
      /^data\/petstore\.yaml: valid \(123456789012: 2 users, 3 roles, 3 policies\)\n$/,
    );
  });

  it("prints warnings with their paths and still exits 0 when there are only warnings", () => {
    const file = join(dir, "warnings.yaml");
    writeFileSync(
      file,
      [
        "accounts:",
        "  - id: '111122223333'",
        "    roles:",
        "      - name: Api",
        "        assumeRolePolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Federated: 'arn:aws:iam::111122223333:saml-provider/nowhere'}, Action: 'sts:AssumeRoleWithSAML'}]}",
        "        inlinePolicies:",
        "          invoke: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'execute-api:Invoek', Resource: '*'}]}",
        "",
      ].join("\n"),
    );
    const out = cli(["config", "validate", file]);
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(`${file}: valid (111122223333: 0 users, 1 roles, 0 policies)\n`);
    expect(out.stderr.split("\n").filter(Boolean)).toEqual([
      "warning: accounts[0].roles[0].assumeRolePolicy.Statement[0].Principal.Federated: no SAML provider named nowhere in accounts[0].samlProviders",
      "warning: accounts[0].roles[0].inlinePolicies.invoke.Statement[0].Action: no AWS service defines the action execute-api:Invoek (did you mean execute-api:Invoke?)",
    ]);
  });

  it("makes the checks start-up makes: a bad policy document and an attachment to a missing policy", () => {
    const file = join(dir, "bad-policies.yaml");
    writeFileSync(
      file,
      [
        "accounts:",
        "  - id: '111122223333'",
        "    roles:",
        "      - name: Broken",
        "        assumeRolePolicy: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {AWS: '111122223333'}, Action: 'sts:AssumeRole'}]}",
        "        inlinePolicies:",
        "          p: {Version: '2012-10-17', Statement: [{Effect: Maybe, Action: 's3:*', Resource: '*'}]}",
        "        attachedPolicies: ['arn:aws:iam::111122223333:policy/Nowhere']",
        "",
      ].join("\n"),
    );
    const out = cli(["config", "validate", file]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("invalid config");
    expect(out.stderr).toMatch(/accounts\[0\]\.roles\[0\]\.inlinePolicies\.p: .*Invalid effect: Maybe/);
    expect(out.stderr).toMatch(/accounts\[0\]\.roles\[0\]\.attachedPolicies.*policy\/Nowhere/);
  });
});
