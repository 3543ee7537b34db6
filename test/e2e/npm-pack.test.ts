import { type ChildProcess, spawn } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedFetchAt } from "../../src/testing/signedFetch.js";
import { ADMIN, REGION } from "../helpers/petstore.js";

/**
 * What a user gets from the tarball: `npm pack` (its prepare script builds dist/, the bundle included), installed
 * into an empty folder, runs `fedsim start` and answers. Dependencies come from the npm registry through the
 * local cache. better-sqlite3's install script is skipped and its native module copied from this checkout
 * (the same version, pinned with overrides): compiling it from source, where no prebuilt binary can be fetched,
 * takes over a minute and proves nothing about fedsim's package.
 */
const root = resolve(".");
const nativeModule = join(root, "node_modules/better-sqlite3/build/Release/better_sqlite3.node");
const sqliteVersion = (createRequire(import.meta.url)("better-sqlite3/package.json") as { version: string })
  .version;

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000) {
  const child = spawn(command, args, { cwd, env: { ...process.env, npm_config_loglevel: "warn" } });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c;
  });
  return new Promise<{ code: number | null; out: string }>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      fail(new Error(`${command} ${args.join(" ")} took over ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

describe("the npm pack tarball", () => {
  let dir: string;
  let app: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fedsim-pack-"));
    const packed = await run("npm", ["pack", "--pack-destination", dir], root);
    expect(packed.code, packed.out).toBe(0);
    const tarball = readdirSync(dir).find((f) => /^fedsim-.*\.tgz$/.test(f));
    expect(tarball, packed.out).toBeDefined();
    app = join(dir, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "uses-fedsim", private: true, overrides: { "better-sqlite3": sqliteVersion } }),
    );
    const installed = await run(
      "npm",
      ["install", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball!)],
      app,
    );
    expect(installed.code, installed.out).toBe(0);
    const release = join(app, "node_modules/better-sqlite3/build/Release");
    mkdirSync(release, { recursive: true });
    copyFileSync(nativeModule, join(release, "better_sqlite3.node"));
  }, 180_000);

  afterAll(() => {
    if (server?.exitCode === null) server.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("ships the bundle, the library, the demo config and nothing of the sources or tests", () => {
    const pkg = join(app, "node_modules/fedsim");
    const shipped = readdirSync(pkg).sort();
    expect(shipped).toEqual(["README.md", "certs", "data", "dist", "package.json"]);
    expect(readdirSync(join(pkg, "data"))).toEqual(["petstore.yaml"]);
    const bin = readFileSync(join(app, "node_modules/.bin/fedsim"), "utf8");
    expect(bin.startsWith("#!/usr/bin/env node")).toBe(true);
  });

  it("runs `fedsim start --port 0` from the installed bin: the AWS endpoint, every lazily loaded room, and the decision log under load", async () => {
    server = spawn(join(app, "node_modules/.bin/fedsim"), ["start", "--port", "0"], { cwd: app });
    let out = "";
    const url = await new Promise<string>((done, fail) => {
      server!.stdout!.on("data", (c: Buffer) => {
        out += c;
        const m = /fedsim listening on (http:\/\/\S+)/.exec(out);
        if (m) done(m[1]!);
      });
      server!.stderr!.on("data", (c: Buffer) => {
        out += c;
      });
      server!.on("exit", (code) => fail(new Error(`fedsim exited ${code}:\n${out}`)));
    });
    const health = await fetch(`${url}/_fedsim/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: "ok",
      service: "fedsim",
      accounts: ["123456789012"],
      region: "us-east-1",
    });
    const sts = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(sts.status).toBe(403);
    expect(await sts.text()).toContain(
      "<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message>",
    );
    // The built-in IdP's page: Express and the IdP room, each its own chunk of the bundle, load now.
    const page = await fetch(`${url}/idp/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<form");
    // The gateway's backend hop (undici, a chunk of its own, loaded on the first forwarded request).
    const pets = await signedFetchAt(
      () => new Date(),
      REGION,
      ADMIN,
      `${url}/restapis/petstore/prod/_user_request_/pets`,
    );
    expect(pets.status).toBe(200);
    expect(Array.isArray(await pets.json())).toBe(true);
    // The built-in OpenID issuer, the Cognito user pools (a sign-in and the pool's keys) and the console.
    const discovery = await fetch(`${url}/oidc/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(`${url}/oidc`);
    const signIn = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: "petstorewebclient000000001",
        AuthParameters: { USERNAME: "alice", PASSWORD: "alice-password" },
      }),
    });
    expect(signIn.status).toBe(200);
    const tokens = (await signIn.json()) as { AuthenticationResult: { IdToken: string } };
    expect(tokens.AuthenticationResult.IdToken.split(".")).toHaveLength(3);
    const poolKeys = await fetch(`${url}/us-east-1_PetStore1/.well-known/jwks.json`);
    expect(poolKeys.status).toBe(200);
    expect(((await poolKeys.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    const consolePage = await fetch(`${url}/_fedsim/console`);
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain("</html>");
    // Decisions faster than a batch's 50 ms (the database is a file in the installation's data/, so its
    // writer thread writes them): the decision log and `fedsim decisions` see every one just answered.
    const refused = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const res = await fetch(`${url}/restapis/petstore/prod/_user_request_/pets`, { method: "POST" });
        await res.arrayBuffer();
        expect(res.status).toBe(403);
        return res.headers.get("x-amzn-requestid")!;
      }),
    );
    const logged = (await (await fetch(`${url}/_fedsim/decisions?limit=1000`)).json()) as {
      decisions: { requestId: string }[];
    };
    const inLog = new Set(logged.decisions.map((d) => d.requestId));
    expect(refused.filter((id) => !inLog.has(id))).toEqual([]);
    const more = await Promise.all(
      Array.from({ length: 300 }, async () => {
        const res = await fetch(`${url}/restapis/petstore/prod/_user_request_/pets`, { method: "POST" });
        await res.arrayBuffer();
        return res.headers.get("x-amzn-requestid")!;
      }),
    );
    const listed = await run(
      join(app, "node_modules/.bin/fedsim"),
      ["decisions", "--json", "--limit", "1000", "--endpoint", url],
      app,
      60_000,
    );
    expect(listed.code, listed.out).toBe(0);
    const printed = new Set(
      (JSON.parse(listed.out) as { decisions: { requestId: string }[] }).decisions.map((d) => d.requestId),
    );
    expect(more.filter((id) => !printed.has(id))).toEqual([]);
    const stopped = new Promise((done) => server!.on("exit", done));
    server.kill("SIGTERM");
    expect(await stopped).toBe(0);
  }, 60_000);

  it("starts on an installed better-sqlite3 other than the bundled version, by require()ing it", async () => {
    const installed = join(app, "node_modules/better-sqlite3");
    const manifest = readFileSync(join(installed, "package.json"), "utf8");
    const entry = readFileSync(join(installed, "lib/index.js"), "utf8");
    const other = JSON.parse(manifest) as { version: string };
    other.version = "12.999.0";
    writeFileSync(join(installed, "package.json"), JSON.stringify(other));
    // Says, when the installed package's JavaScript is what runs, that it is.
    writeFileSync(
      join(installed, "lib/index.js"),
      `process.stderr.write("installed better-sqlite3\\n");\n${entry}`,
    );
    const home = join(dir, "mismatch-home");
    try {
      const child = spawn(join(app, "node_modules/.bin/fedsim"), ["start", "--port", "0", "--home", home], {
        cwd: app,
      });
      let out = "";
      const url = await new Promise<string>((done, fail) => {
        child.stdout.on("data", (c: Buffer) => {
          out += c;
          const m = /fedsim listening on (http:\/\/\S+)/.exec(out);
          if (m) done(m[1]!);
        });
        child.stderr.on("data", (c: Buffer) => {
          out += c;
        });
        child.on("exit", (code) => fail(new Error(`fedsim exited ${code}:\n${out}`)));
      });
      const pets = await signedFetchAt(
        () => new Date(),
        REGION,
        ADMIN,
        `${url}/restapis/petstore/prod/_user_request_/pets`,
      );
      expect(pets.status).toBe(200);
      const logged = (await (await fetch(`${url}/_fedsim/decisions?limit=1`)).json()) as {
        decisions: { requestId: string }[];
      };
      expect(logged.decisions[0]!.requestId).toBe(pets.headers.get("x-amzn-requestid"));
      const stopped = new Promise((done) => child.on("exit", done));
      child.kill("SIGTERM");
      expect(await stopped).toBe(0);
      expect(out).toContain("installed better-sqlite3\n");
    } finally {
      writeFileSync(join(installed, "package.json"), manifest);
      writeFileSync(join(installed, "lib/index.js"), entry);
    }
  }, 60_000);

  it("runs `fedsim config validate` on the shipped demo config (zod, YAML and the IAM action catalogue)", async () => {
    const checked = await run(
      join(app, "node_modules/.bin/fedsim"),
      ["config", "validate", join(app, "node_modules/fedsim/data/petstore.yaml")],
      app,
      60_000,
    );
    expect(checked.code, checked.out).toBe(0);
  }, 60_000);
});
