/** `npm run bench`: every benchmark in turn. Each prints its own figures. */
import { spawnSync } from "node:child_process";

const benches = [
  "bench/sts.ts",
  "bench/cognito.ts",
  "bench/sigv4.ts",
  "bench/policy.ts",
  "bench/saml.ts",
  "bench/testkit.ts",
  "bench/gateway.ts",
];
for (const file of benches) {
  console.log(`\n== ${file}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", file, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  if (r.status !== 0) console.log(`(${file} exited with ${r.status})`);
}
