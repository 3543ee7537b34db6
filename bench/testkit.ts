/**
 * What one fedsim per test file costs: startTestFedsim() to close(), in-process, keys reused (as every
 * start after the first). Prints figures; asserts nothing.
 *   npx tsx bench/testkit.ts [starts]
 */
import { startTestFedsim } from "../src/testing/index.js";

const STARTS = Number(process.argv[2] ?? 20);
const first = performance.now();
await (await startTestFedsim()).close(); // the first ever start may generate keys
const firstMs = performance.now() - first;
const times: number[] = [];
for (let i = 0; i < STARTS; i++) {
  const t = performance.now();
  const fedsim = await startTestFedsim();
  const ready = performance.now() - t;
  await fetch(`${fedsim.url}/_fedsim/health`);
  await fedsim.close();
  times.push(ready);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `startTestFedsim (pet-store demo, in memory): first ${firstMs.toFixed(0)} ms (module loading included), then median ${median.toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1)} ms over ${STARTS} starts`,
);
