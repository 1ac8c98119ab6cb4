/**
 * bench:worker — the sync worker against the Batch sandbox and the Snowflake stand-in, figures as ratios.
 * /profiles/update runs at 1 000/s (x3.3 the documented 300/s, burst scaled alike) to keep the run short;
 * pacing ratios do not depend on the rate as long as the worker is not CPU-bound, which the documented rate
 * makes even less likely. Mass-update runs at the documented 10 000/s: on a 2-core machine that also hosts
 * the stand-ins, reading rows through snowflake-sdk (~5-7k rows/s, timestamp conversion) is the bound. The side-by-side with Batch's own job uses the documented
 * limits unscaled. Set BENCH_WORKER_QUICK=1 for smaller sizes.
 */
import { runBaselineJob } from './worker-baseline.js';
import { benchEnvironment, runWorkerProcess } from './worker-bench-env.js';

const QUICK = process.env.BENCH_WORKER_QUICK === '1';
const results: Record<string, unknown> = {};
const ratio = (value: number) => Math.round(value * 1000) / 1000;
const print = (line: string) => process.stdout.write(`${line}\n`);

async function documentedLimitsComparison(rows: number) {
  const env = await benchEnvironment(rows, { updateRate: 300, updateBurst: 1000 });
  try {
    const base = { session: env.admin, stream: 'DEMO_DB.PUBLIC.CUSTOMER_STREAM', idColumn: 'CUSTOMER_ID', dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN_AT'], urlColumns: ['PROFILE_URL'], apiUrl: env.batch.apiUrl, apiKey: env.batch.restApiKey, projectKey: env.batch.projectKey };
    const faithful = await runBaselineJob(base);
    const faithfulDelivered = env.batch.stats().update.acceptedOperations;
    env.batch.reset();
    const fixed200 = await runBaselineJob({ ...base, batchSize: 200 });
    const fixedDelivered = env.batch.stats().update.acceptedOperations;
    env.batch.reset();
    const worker = await runWorkerProcess(env, '--endpoint', 'update');
    const ideal = (Math.max(0, rows - 1000) / 300) * 1000;
    results.documented = { rows, idealSendMs: Math.round(ideal), worker: { sendMs: worker.sendMs, totalMs: worker.totalMs, delivered: env.batch.stats().update.acceptedOperations, rateLimited: env.batch.stats().rateLimited, ratioToIdeal: ratio(worker.sendMs / ideal) }, batchJob: { ...faithful, delivered: faithfulDelivered }, batchJobWith200: { ...fixed200, delivered: fixedDelivered, speedupOfWorker: ratio(fixed200.durationMs / worker.sendMs) } };
    print(`documented limits (300/s, burst 1000), ${rows} changes:`);
    print(`  worker              send ${worker.sendMs} ms (ideal ${Math.round(ideal)} ms, ${ratio(worker.sendMs / ideal)}x), delivered ${env.batch.stats().update.acceptedOperations}/${rows}, 429s ${env.batch.stats().rateLimited}`);
    print(`  Batch's job         ${faithful.durationMs} ms, delivered ${faithfulDelivered}/${rows} (statuses ${JSON.stringify(faithful.statuses)}; 1000-op calls exceed the 200 limit), stream offset never advanced`);
    print(`  Batch's job @200    ${fixed200.durationMs} ms, delivered ${fixedDelivered}/${rows} (sleep 1 s between calls): worker is ${ratio(fixed200.durationMs / worker.sendMs)}x faster`);
  } finally {
    await env.close();
  }
}

async function updateThroughput(rows: number, rate: number, burst: number) {
  const env = await benchEnvironment(rows, { updateRate: rate, updateBurst: burst });
  try {
    const run = await runWorkerProcess(env, '--endpoint', 'update', '--rate', String(rate), '--burst', String(burst), '--concurrency', '8');
    const sent = env.batch.stats().update.acceptedOperations;
    const achieved = ((sent - burst) / run.sendMs) * 1000;
    results.updateThroughput = { rows, rate, burst, sendMs: run.sendMs, achievedPerSecond: Math.round(achieved), ratioToCeiling: ratio(achieved / rate), rateLimited: env.batch.stats().rateLimited, retries: run.summary.retries, peakRssMb: run.peakRssMb };
    print(`/profiles/update at ${rate}/s (burst ${burst}), ${rows} changes: ${Math.round(achieved)} updates/s after the burst = ${ratio(achieved / rate)} of the ceiling (goal >= 0.95), 429s ${env.batch.stats().rateLimited}`);
  } finally {
    await env.close();
  }
}

async function massBackfill(rows: number, rate: number) {
  const env = await benchEnvironment(rows, { massRate: rate });
  try {
    const run = await runWorkerProcess(env, '--mass-update-rate', String(rate));
    const sent = env.batch.stats().massUpdate.acceptedOperations;
    const ideal = (Math.max(0, sent - rate) / rate) * 1000;
    const entry = { rows, rate, endpoint: run.summary.endpoint, sendMs: run.sendMs, totalMs: run.totalMs, idealSendMs: Math.round(ideal), ratioToIdeal: ideal > 0 ? ratio(run.sendMs / ideal) : null, rateLimited: env.batch.stats().rateLimited, peakRssMb: run.peakRssMb };
    (results.massBackfill ??= []) && (results.massBackfill as unknown[]).push(entry);
    print(`mass-update backfill at ${rate}/s, ${rows} rows: send ${run.sendMs} ms vs ideal ${Math.round(ideal)} ms (${entry.ratioToIdeal}x, goal <= 1.15), whole run ${run.totalMs} ms, peak RSS ${run.peakRssMb} MB`);
    return entry;
  } finally {
    await env.close();
  }
}

const started = performance.now();
await documentedLimitsComparison(QUICK ? 2000 : 3000);
await updateThroughput(QUICK ? 10_000 : 20_000, 1000, 3333);
const small = await massBackfill(100_000, 10_000);
const large = await massBackfill(QUICK ? 300_000 : 1_000_000, 10_000);
results.rssFlatness = ratio(large.peakRssMb / small.peakRssMb);
print(`peak RSS ${small.peakRssMb} MB at ${small.rows} rows, ${large.peakRssMb} MB at ${large.rows} rows: ratio ${results.rssFlatness} (goal <= 300 MB and flat)`);
print(JSON.stringify({ bench: 'worker', durationS: Math.round((performance.now() - started) / 1000), ...results }));
process.exit(0);
