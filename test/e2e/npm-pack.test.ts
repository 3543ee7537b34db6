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

  it("runs `fedsim start --port 0` from the installed bin and answers the AWS endpoint and a lazy room", async () => {
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
    const stopped = new Promise((done) => server!.on("exit", done));
    server.kill("SIGTERM");
    expect(await stopped).toBe(0);
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
