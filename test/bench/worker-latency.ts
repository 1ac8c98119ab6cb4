/**
 * bench:worker at real-Snowflake statement latency: the same worker runs with the stand-in answering every
 * statement at once and with N ms added (a real warehouse: ~50–300 ms of round trip and compile time per
 * statement). Statements are counted by the stand-in, from outside the worker, login-time and bookkeeping
 * ones included; the worker's own summary says which were progress statements and how long it waited.
 */
import { estimateRunCost, poolRateNote } from '../../shared/cost/credits.js';
import { benchEnvironment, runWorkerProcess, type WorkerRun } from './worker-bench-env.js';

type Print = (line: string) => void;
const ratio = (value: number) => Math.round(value * 1000) / 1000;

export interface LatencyCase {
  kind: 'backfill' | 'incremental';
  rows: number;
  latencyMs: number;
  statements: number;
  progressStatements: number;
  fixedStatements: number;
  chunkDownloads: number;
  idealMs: number;
  sendMs: number;
  totalMs: number;
  sendRatioToIdeal: number;
  wholeRunRatioToIdeal: number;
  /** Share of the whole run the worker spent waiting on statements. */
  statementWaitShare: number;
  delivered: number;
  peakRssMb: number;
  /** CPU milliseconds of the worker process (user + system). */
  cpuMs: number;
  /** Send start -> the outbox read's first row (the query's run at the stand-in, then the first answer). */
  firstRowMs: number | null;
  firstStatementMs: number | null;
  loginMs: number | null;
}

function readDone(run: WorkerRun): number | null {
  const line = run.lines.find((l) => l.event === 'send.read_done');
  return typeof line?.firstRowMs === 'number' ? line.firstRowMs : null;
}

function describe(run: WorkerRun, kind: LatencyCase['kind'], rows: number, latencyMs: number, idealMs: number, delivered: number): LatencyCase {
  const progress = Number(run.summary.progressStatements ?? 0);
  return {
    kind, rows, latencyMs,
    statements: run.statements, progressStatements: progress, fixedStatements: run.statements - progress, chunkDownloads: run.chunkDownloads,
    idealMs: Math.round(idealMs), sendMs: run.sendMs, totalMs: run.totalMs,
    sendRatioToIdeal: ratio(run.sendMs / idealMs), wholeRunRatioToIdeal: ratio(run.totalMs / idealMs),
    statementWaitShare: ratio(Number(run.summary.statementWaitMs ?? 0) / run.totalMs),
    delivered, peakRssMb: run.peakRssMb, cpuMs: run.cpuMs, firstRowMs: readDone(run), firstStatementMs: run.firstStatementMs, loginMs: run.loginMs,
  };
}

function printCase(c: LatencyCase, print: Print): void {
  const what = c.kind === 'backfill' ? `mass-update backfill, ${c.rows} rows` : `incremental /profiles/update (300/s, burst 1000), ${c.rows} changes`;
  print(
    `  ${String(c.latencyMs).padStart(3)} ms/statement  ${what}: ${c.statements} statements (${c.fixedStatements} fixed + ${c.progressStatements} progress; goal fixed <= 12), ` +
      `send ${c.sendMs} ms = x${c.sendRatioToIdeal} of ideal ${c.idealMs} ms (goal <= 1.10; first outbox row after ${c.firstRowMs} ms), whole run ${c.totalMs} ms = x${c.wholeRunRatioToIdeal} (with process start, login and capture), ` +
      `waiting on statements ${Math.round(c.statementWaitShare * 100)}% of the run, delivered ${c.delivered}/${c.rows}, peak RSS ${c.peakRssMb} MB, worker CPU ${c.cpuMs} ms`,
  );
}

/** Initial backfill through mass-update at the documented 10 000/s; ideal N/10 000 s (the bench's bucket starts empty-handed: no free second). */
export async function backfillAtLatency(rows: number, latencyMs: number, print: Print): Promise<LatencyCase> {
  const env = await benchEnvironment(rows, { massRate: 10_000 });
  try {
    await env.snowflake.call('setStatementLatency', { ms: latencyMs });
    const run = await runWorkerProcess(env, '--mass-update-rate', '10000');
    const delivered = (await env.stats()).massUpdate.acceptedOperations;
    const result = describe(run, 'backfill', rows, latencyMs, (rows / 10_000) * 1000, delivered);
    printCase(result, print);
    return result;
  } finally {
    await env.close();
  }
}

/** `rows` changed rows after the backfill, through /profiles/update at the documented 300/s with its 1 000 burst. */
export async function incrementalAtLatency(rows: number, latencyMs: number, print: Print): Promise<LatencyCase> {
  const env = await benchEnvironment(rows, { updateRate: 300, updateBurst: 1_000 });
  try {
    await runWorkerProcess(env); // the initial backfill, at no latency
    await env.snowflake.call('query', { sql: `UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET LAST_NAME = COALESCE(LAST_NAME, '') || 'x'` });
    await env.batch.call('reset', null);
    await env.snowflake.call('setStatementLatency', { ms: latencyMs });
    const run = await runWorkerProcess(env, '--endpoint', 'update');
    const delivered = (await env.stats()).update.acceptedOperations;
    const result = describe(run, 'incremental', rows, latencyMs, (Math.max(0, rows - 1_000) / 300) * 1000, delivered);
    printCase(result, print);
    return result;
  } finally {
    await env.close();
  }
}

/**
 * Credits of each measured run as the hourly task would bill them (shared/cost/credits.ts): the run's whole
 * duration as the job's, plus the container's start on SPCS, which this bench cannot see (not included).
 */
export function printCost(cases: readonly LatencyCase[], print: Print, instanceFamily = 'CPU_X64_XS'): void {
  print(`estimated credits (${instanceFamily} pool, AUTO_SUSPEND_SECS 300; X-Small warehouse, AUTO_SUSPEND 600; hourly; job = whole measured run):`);
  const note = poolRateNote(instanceFamily);
  if (note) print(`  ${note}: warehouse credits only`);
  for (const c of cases) {
    const cost = estimateRunCost({ jobSeconds: c.totalMs / 1000, instanceFamily, poolAutoSuspendSecs: 300, warehouseSize: 'XSMALL', intervalSeconds: 3600 });
    const perRun = cost.totalCredits === null ? `no estimate per run (pool ?, warehouse ${cost.warehouseCredits})` : `${cost.totalCredits} credits/run (pool ${cost.poolCredits}, warehouse ${cost.warehouseCredits}), ${cost.perDayCredits} credits/day if every hourly run looks like this`;
    print(`  ${c.kind} ${c.rows} at ${c.latencyMs} ms: ${perRun}; an empty run: 0 (skipped by WHEN)`);
  }
  // The same run at 0 ms is this machine's baseline (the stand-ins and the worker share its cores): what the
  // statement latency itself costs, apart from how close the machine lets the 0 ms run get to the ideal.
  for (const slow of cases.filter((c) => c.latencyMs > 0)) {
    const base = cases.find((c) => c.kind === slow.kind && c.rows === slow.rows && c.latencyMs === 0);
    if (base) print(`  ${slow.kind} ${slow.rows}: at ${slow.latencyMs} ms/statement the whole run takes x${ratio(slow.totalMs / base.totalMs)} the same run at 0 ms (${base.totalMs} ms, x${base.wholeRunRatioToIdeal} of ideal)`);
  }
  const first = cases[0];
  if (first) print(`worker start: process start -> login answered ${first.loginMs} ms, -> first statement ${first.firstStatementMs} ms (goal <= 1000 ms)`);
}
