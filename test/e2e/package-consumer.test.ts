import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const TSC = resolve("node_modules/typescript/bin/tsc");

function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, args, { cwd });
  let out = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c;
  });
  child.stderr.on("data", (c: Buffer) => {
    out += c;
  });
  return new Promise((done) => child.on("close", (code) => done({ code, out })));
}

describe("fedsim as a dependency of another project", () => {
  const dir = mkdtempSync(join(tmpdir(), "fedsim-consumer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks `import { startFedsim } from "fedsim"` through package.json\'s exports and types', async () => {
    // The package as installed: package.json and freshly built declarations, with this repo's dependencies.
    const pkg = join(dir, "node_modules", "fedsim");
    mkdirSync(pkg, { recursive: true });
    copyFileSync("package.json", join(pkg, "package.json"));
    symlinkSync(resolve("node_modules"), join(pkg, "node_modules"));
    const built = await run(
      [TSC, "-p", resolve("tsconfig.build.json"), "--outDir", join(pkg, "dist"), "--sourceMap", "false"],
      process.cwd(),
    );
    expect(built.code, built.out).toBe(0);
    writeFileSync(
      join(dir, "consumer.ts"),
      `import { startFedsim, type DecisionRecord, type FedsimServer, type StartOptions } from "fedsim";
const options: StartOptions = { port: 0, db: ":memory:" };
const server: FedsimServer = await startFedsim(options);
const url: string = server.url;
const records: DecisionRecord[] = [];
await server.close();
// @ts-expect-error the store is not part of the public surface
server.store;
export { url, records };
`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["consumer.ts"],
      }),
    );
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const checked = await run([TSC, "-p", join(dir, "tsconfig.json")], dir);
    expect(checked.code, checked.out).toBe(0);
  }, 120_000);
});
