/**
 * `npm run bench`: every benchmark in turn, or those named (`npm run bench -- gateway cognito-idp`); each
 * prints its own figures. Arguments after `--` go to each benchmark.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const ALL = [
  "sts",
  "cognito",
  "cognito-idp",
  "sigv4",
  "policy",
  "saml",
  "sign",
  "testkit",
  "gateway",
  "startup",
];
const args = process.argv.slice(2);
const split = args.indexOf("--");
const names = split === -1 ? args : args.slice(0, split);
const passOn = split === -1 ? [] : args.slice(split + 1);
const chosen = names.length > 0 ? names : ALL.filter((n) => existsSync(`bench/${n}.ts`));
const unknown = chosen.filter((n) => !existsSync(`bench/${n}.ts`));
if (unknown.length > 0) {
  console.error(`no such benchmark: ${unknown.join(", ")} (known: ${ALL.join(", ")})`);
  process.exit(2);
}
for (const name of chosen) {
  const file = `bench/${name}.ts`;
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", file, ...passOn], { stdio: "inherit" });
  if (r.status !== 0) console.log(`(${file} exited with ${r.status})`);
}
