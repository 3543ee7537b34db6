/**
 * What the decision log costs the thread that serves requests, side by side in one run (ratios are what to read):
 *   npx tsx bench/decisionLog.ts [seconds] [baselineCheckout]
 * Records gateway-like decisions (an allow with its deciding statement and the context keys read; one in ten a
 * denial with a trace) at a steady pace into a log on a database file, and reports per mode: the serving
 * thread's time per record (record() plus the batch flushes it triggers), the longest single record() call
 * (a flush that blocks the event loop), the event loop's busy time per record (perf_hooks
 * eventLoopUtilization: work done between requests counts; "no log" is the bench's own share), and its delay (perf_hooks) while it ran. Modes: the
 * writes on this thread, and on the writer thread; with a baseline checkout (its sources), its log too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { DecisionLog } from "../src/authz/decisionLog.js";
import type { NewDecision } from "../src/authz/decisionRecord.js";
import { InThreadDecisionWriter } from "../src/store/decisionWriter.js";
import { Store } from "../src/store/store.js";

const SECONDS = Number(process.argv[2] ?? 3);
const BASELINE = process.argv[3];
/** Decisions per second: about what the gateway serves on this machine. */
const RATE = 6000;
const settings = { enabled: true, maxRecords: 10_000, maxAgeSeconds: 86_400 };

function decision(i: number): NewDecision {
  const denied = i % 10 === 0;
  const context = {
    "aws:SourceIp": "127.0.0.1",
    "aws:userid": "AROAEXAMPLE:bench",
    "aws:PrincipalTag/team": "pets",
  };
  return {
    time: new Date(),
    requestId: `b1a2c3d4-0000-4000-8000-${String(i).padStart(12, "0")}`,
    door: "gateway",
    service: "execute-api",
    principal: "arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bench",
    action: "execute-api:Invoke",
    resource: `arn:aws:execute-api:us-east-1:123456789012:petstore/prod/GET/pets/${i % 512}`,
    decision: denied ? "implicit-deny" : "allow",
    reason: denied
      ? "User: arn:aws:sts::123456789012:assumed-role/PetStoreCustomer/bench is not authorized to perform: execute-api:Invoke"
      : "Allowed by arn:aws:iam::123456789012:policy/PetStoreCustomerAccess, statement ReadPets.",
    statements: [
      {
        policy: "arn:aws:iam::123456789012:policy/PetStoreCustomerAccess",
        sid: "ReadPets",
        index: 0,
        effect: "Allow",
      },
    ],
    details: () =>
      denied
        ? {
            context,
            trace: [
              {
                policy: "arn:aws:iam::123456789012:policy/PetStoreCustomerAccess",
                type: "Identity Policy",
                statements: [{ index: 0, sid: "ReadPets", effect: "Allow", outcome: "no-match" }],
              },
            ],
          }
        : { context },
  } as NewDecision;
}

interface Log {
  record(d: NewDecision): void;
  flush(): void;
  query(q: { limit: number }): unknown[];
}

async function run(name: string, make: (store: Store) => Log): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "fedsim-bench-declog-"));
  const store = Store.open(join(dir, "db.sqlite"));
  const log = make(store);
  // The log's own work off record(): a batch flush (the baseline's flush, this log's timer and its rows made
  // between requests), each a block of the event loop; timed from here, so that the log carries no probe.
  const blocks: number[] = [];
  const timed = (name: string) => {
    const target = log as unknown as Record<string, (...a: unknown[]) => unknown>;
    const fn = target[name];
    if (typeof fn !== "function") return;
    target[name] = function (this: unknown, ...a: unknown[]) {
      const t0 = performance.now();
      try {
        return fn.apply(log, a);
      } finally {
        if (measuring) blocks.push(performance.now() - t0);
      }
    };
  };
  let measuring = false;
  if (name === "baseline") timed("flush");
  else for (const n of ["onImmediate", "onTimer"]) timed(n);
  // Warm up: the JIT, the table at its retention size, the writer thread started.
  for (let i = 0; i < settings.maxRecords; i++) log.record(decision(i));
  log.flush();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let busy = 0n;
  let longest = 0n;
  let count = 0;
  const began = performance.now();
  const elu = performance.eventLoopUtilization();
  delay.enable();
  measuring = true;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.floor(((performance.now() - began) / 1000) * RATE);
      while (count < due) {
        const d = decision(count);
        const t0 = process.hrtime.bigint();
        log.record(d);
        const took = process.hrtime.bigint() - t0;
        busy += took;
        if (took > longest) longest = took;
        count++;
      }
      if (performance.now() - began < SECONDS * 1000) setTimeout(tick, 1);
      else done();
    };
    tick();
  });
  delay.disable();
  measuring = false;
  blocks.sort((x, y) => x - y);
  const at = (q: number) => blocks[Math.min(blocks.length - 1, Math.floor(q * blocks.length))] ?? 0;
  const active = performance.eventLoopUtilization(elu).active;
  const t0 = process.hrtime.bigint();
  log.flush();
  const settle = Number(process.hrtime.bigint() - t0) / 1e6;
  const stored = log.query({ limit: settings.maxRecords }).length;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const ms = (n: number) => (n / 1e6).toFixed(2);
  console.log(
    `  ${name.padEnd(22)} ${((active * 1000) / count).toFixed(2).padStart(8)} ${(Number(busy) / 1000 / count).toFixed(2).padStart(8)} ${(Number(longest) / 1e6).toFixed(2).padStart(9)} ${at(0.5).toFixed(3).padStart(8)} ${at(0.99).toFixed(2).padStart(8)} ${(blocks.at(-1) ?? 0).toFixed(2).padStart(8)} ${ms(delay.percentile(99)).padStart(8)} ${ms(delay.max).padStart(8)} ${settle.toFixed(2).padStart(8)} ${String(stored).padStart(7)}`,
  );
}

async function main(): Promise<void> {
  console.log(
    `decision log, ${RATE} decisions/s for ${SECONDS} s per mode, database file, ${settings.maxRecords} kept`,
  );
  console.log(
    "  mode                   loop µs  rec() µs worst ms  blk p50  blk p99  blk max  ELD p99  ELD max flush ms  stored",
  );
  const modes: [string, (s: Store) => Log][] = [
    ["no log (the bench)", () => ({ record() {}, flush() {}, query: () => [] })],
    [
      "this thread",
      (s) =>
        new DecisionLog(s.decisions, settings, () => new Date(), new InThreadDecisionWriter(s.decisions)),
    ],
    ["writer thread", (s) => new DecisionLog(s.decisions, settings, () => new Date())],
  ];
  if (BASELINE) {
    const { DecisionLog: Old } = (await import(join(BASELINE, "src/authz/decisionLog.ts"))) as {
      DecisionLog: new (...a: unknown[]) => Log;
    };
    const { DecisionRepository: OldRepo } = (await import(join(BASELINE, "src/store/decisions.ts"))) as {
      DecisionRepository: new (db: unknown) => unknown;
    };
    modes.unshift(["baseline", (s) => new Old(new OldRepo(s.db), settings, () => new Date())]);
  }
  for (let round = 0; round < 2; round++) for (const [name, make] of modes) await run(name, make);
}

await main();
