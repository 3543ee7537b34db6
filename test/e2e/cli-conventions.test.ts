import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { startTestFedsim, type TestFedsim } from "../helpers/fedsim.js";

/** What every command promises: an example in --help, colour only on a terminal, the default endpoint. */
describe("the CLI's conventions", () => {
  const COMMANDS = [
    ["start"],
    ["config", "validate"],
    ["saml", "assertion"],
    ["oidc", "token"],
    ["decisions"],
    ["explain"],
    ["login"],
    ["status"],
    ["reset"],
    ["demo"],
    ["curl"],
  ];

  it("shows at least one example and the exit codes in every command's --help", async () => {
    for (const command of COMMANDS) {
      const out = await runCli([...command, "--help"]);
      expect(out.code, command.join(" ")).toBe(0);
      expect(out.stdout, command.join(" ")).toMatch(/\nExamples?:\n {2}(fedsim|eval|aws) /);
      expect(out.stdout, command.join(" ")).toMatch(/Exit codes?:/);
    }
  });

  let fedsim: TestFedsim;
  beforeAll(async () => {
    fedsim = await startTestFedsim();
  });
  afterAll(() => fedsim.stop());

  it("writes no colour codes to a pipe, even without NO_COLOR", async () => {
    const out = await runCli(["status", "--endpoint", fedsim.url], { env: { NO_COLOR: undefined } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`fedsim at ${fedsim.url}`);
    expect(out.stdout).not.toContain("\u001b[");
  });

  it("colours on a terminal, and not there with NO_COLOR", async () => {
    // util-linux script(1) gives the command a pseudo-terminal; its output is the terminal's.
    const tsx = pathToFileURL(resolve("node_modules/tsx/dist/loader.mjs")).href;
    const line = `'${process.execPath}' --import '${tsx}' '${resolve("src/cli/index.ts")}' status --endpoint ${fedsim.url}`;
    // Asynchronously: the fedsim it asks runs in this process.
    const onTty = (extra: Record<string, string>) => {
      const env: Record<string, string | undefined> = { ...process.env, ...extra };
      if (!extra.NO_COLOR) delete env.NO_COLOR;
      return new Promise<string>((done, fail) =>
        execFile(
          "script",
          ["-qec", line, "/dev/null"],
          { encoding: "utf8", env, timeout: 20_000 },
          (e, out) => (e ? fail(e) : done(out)),
        ),
      );
    };
    expect(await onTty({})).toContain(`\u001b[1mfedsim at ${fedsim.url}\u001b[0m`);
    expect(await onTty({ NO_COLOR: "1" })).not.toContain("\u001b[");
  });

  it("exits 2 without a password and no terminal to ask on, for every command that signs a person in", async () => {
    for (const args of [
      ["login", "alice"],
      ["oidc", "token", "--user", "alice"],
      ["curl", "--as", "alice", `${fedsim.url}/restapis/petstore/prod/_user_request_/pets`],
    ]) {
      const out = await runCli([...args, "--endpoint", fedsim.url], { env: { FEDSIM_PASSWORD: undefined } });
      expect(out.code, args.join(" ")).toBe(2);
      expect(out.stderr, args.join(" ")).toBe(
        "fedsim: no password for alice: pass --password, set FEDSIM_PASSWORD, or run in a terminal to be asked\n",
      );
    }
  });

  it("talks to AWS_ENDPOINT_URL without --endpoint, else to http://127.0.0.1:4566", async () => {
    const viaEnv = await runCli(["status"], { env: { AWS_ENDPOINT_URL: fedsim.url } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stdout).toContain(`fedsim at ${fedsim.url}`);
    // Whatever answers on 4566 here (another fedsim, or nothing), it is that URL the command used.
    const fallback = await runCli(["status", "--json"], { env: { AWS_ENDPOINT_URL: undefined } });
    if (fallback.code === 0) expect(JSON.parse(fallback.stdout).url).toMatch(/:4566$/);
    else expect(fallback.stderr).toMatch(/^fedsim: cannot reach fedsim at http:\/\/127\.0\.0\.1:4566 /);
  });
});
