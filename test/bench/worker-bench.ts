/**
 * bench:worker — the compiled sync worker (dist/worker/main.js, what the image runs) against the Snowflake
 * stand-in and the Batch sandbox, three processes (see worker-bench-env.ts). Prints ratios:
 *  - /profiles/update throughput vs the sandbox's configured ceiling (1 000/s, burst 3 333: x3.3 the
 *    documented 300/1 000 to keep the run short; pacing does not depend on the rate);
 *  - mass-update backfill time vs ideal at the documented 10 000/s, and vs the ideal at this machine's
 *    measured ceiling (worker-ceilings.ts) when that is lower;
 *  - peak RSS of the worker at 100 000 and 1 000 000 rows;
 *  - worker vs Batch's job (1 000-op calls, sleep 1 s; and the same fixed to 200 ops) at documented limits.
 * `npm run bench:worker -- --quick` (or BENCH_WORKER_QUICK=1): smaller sizes, 300 000 rows for the RSS check.
 * `--no-build` skips `tsc` (dist/ must be current).
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureCeilings } from './worker-ceilings.js';
import { backfillAtLatency, incrementalAtLatency, printCost, type LatencyCase } from './worker-latency.js';
import { documentedLimitsComparison, massBackfill, updateThroughput } from './worker-scenarios.js';
import { imageFigures } from './worker-image.js';
import { eventBurst, eventThroughput } from './worker-events.js';

const args = new Set(process.argv.slice(2));
/** `--events-only`: only the event-sync cases (issue 16); `--latency-only`: only the statement-latency cases (issue 21). */
const EVENTS_ONLY = args.has('--events-only');
/** The pool's instance family the cost lines price (BENCH_INSTANCE_FAMILY, default CPU_X64_XS). */
const INSTANCE_FAMILY = process.env.BENCH_INSTANCE_FAMILY ?? 'CPU_X64_XS';
const QUICK = args.has('--quick') || process.env.BENCH_WORKER_QUICK === '1';
const print = (line: string) => process.stdout.write(`${line}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const ratio = (value: number) => Math.round(value * 1000) / 1000;

const started = performance.now();
if (!args.has('--no-build')) {
  print('building dist/ (tsc -p tsconfig.json) ...');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: 'inherit' });
}
print(`machine: ${cpus().length} cores, load average ${load()} (1/5/15 min) at start${QUICK ? '; --quick sizes' : ''}`);

if (EVENTS_ONLY) {
  const throughput = await eventThroughput(print);
  const burst = await eventBurst(print);
  print(`load average ${load()} at the end`);
  print(JSON.stringify({ bench: 'worker-events', durationS: Math.round((performance.now() - started) / 1000), events: { throughput, burst } }));
  process.exit(0);
}

if (args.has('--latency-only')) {
  // `--latency-only`: only the statement-latency cases (statements per run, time vs ideal, start, credits);
  // with --quick the backfill is 100 000 rows instead of 1 M.
  const cases: LatencyCase[] = [];
  for (const ms of [0, 150]) cases.push(await backfillAtLatency(QUICK ? 100_000 : 1_000_000, ms, print));
  for (const ms of [0, 150]) cases.push(await incrementalAtLatency(10_000, ms, print));
  printCost(cases, print, INSTANCE_FAMILY);
  print(`load average ${load()} at the end`);
  process.exit(0);
}

const ceilings = await measureCeilings(100_000);
print(
  `physical ceilings on this machine (each measured alone): the stand-in serves the outbox at ${ceilings.readRowsPerSecond} rows/s to a trivial ` +
    `consumer (same driver/pages/columns, ${ceilings.readConsumerCpuMs} ms CPU for ${ceilings.rows} rows); the sandbox accepts ${ceilings.massUpdateOpsPerSecond} mass-update ops/s.`,
);

const documented = await documentedLimitsComparison(QUICK ? 2_000 : 3_000, print);
const update = await updateThroughput(QUICK ? 10_000 : 20_000, 1_000, 3_333, print);
const small = await massBackfill(100_000, 10_000, ceilings, print);
const large = await massBackfill(QUICK ? 300_000 : 1_000_000, 10_000, ceilings, print);
const flatness = ratio(large.peakRssMb / small.peakRssMb);
print(
  `peak RSS of the worker: ${small.peakRssMb} MB at ${small.rows} rows, ${large.peakRssMb} MB at ${large.rows} rows ` +
    `(x${flatness}; goal <= 150 MB at 1 M rows and <= x1.10)`,
);
// Real-Snowflake statement latency (issue 21): the same runs at 0 and 150 ms per statement.
const STATEMENT_LATENCIES = [0, 150];
print('at real-Snowflake statement latency (statements counted by the stand-in, from outside the worker):');
const latency: LatencyCase[] = [];
for (const ms of STATEMENT_LATENCIES) latency.push(await backfillAtLatency(QUICK ? 300_000 : 1_000_000, ms, print));
for (const ms of STATEMENT_LATENCIES) latency.push(await incrementalAtLatency(10_000, ms, print));
printCost(latency, print, INSTANCE_FAMILY);
const events = { throughput: await eventThroughput(print), burst: await eventBurst(print) };
const image = imageFigures(print);
print(`load average ${load()} at the end`);
print(
  JSON.stringify({
    bench: 'worker',
    quick: QUICK,
    durationS: Math.round((performance.now() - started) / 1000),
    cores: cpus().length,
    loadAverageAtEnd: loadavg().map((l) => Math.round(l * 10) / 10),
    ceilings,
    documented,
    updateThroughput: update,
    massBackfill: [small, large],
    rss: { atRows: [small.rows, large.rows], peakMb: [small.peakRssMb, large.peakRssMb], ratio: flatness },
    latency,
    events,
    image,
  }),
);
process.exit(0);
