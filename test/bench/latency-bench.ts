/**
 * bench:latency (issue 17): change-to-accepted latency of each schedule mode on the stand-ins. For each mode an
 * install as init makes it (planner + executor, the worker as a process run by the stand-in's job/service
 * runner), then CHANGES updates of distinct rows of the source table, one every PACE_MS; latency = the time the
 * UPDATE returned (autocommit: committed) → the time the Batch sandbox answered 202 to the /profiles/update call
 * carrying that profile (its request log: start time + duration, the sandbox's inspection hook). Prints p50 / p95 /
 * max per mode, the goals, and the floor each mode adds on a real account, from the docs.
 *   scheduled: '10 SECONDS' (a short interval)
 *   triggered: USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = 2 (below the documented minimum of 10, through the
 *              stand-in's floor knob, so the bench runs in minutes); goal p95 ≤ interval + 5 s
 *   continuous: the service's worker polls every LOOP_INTERVAL_SECONDS; goal p95 ≤ 3 s
 * The worker runs compiled (dist/, `npm run build` first, as in the image) as a process per job / per service.
 * Figures depend on machine load: the load average is printed with them.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOOP_INTERVAL_SECONDS } from '../../src/plan/schedule-modes.js';
import { install, type Installed } from '../operate/helpers/installed.js';
import { imageNodeFlags } from './worker-bench-env.js';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 150);
const TRIGGER_INTERVAL_S = 2;
/** The compiled worker with the image's node flags (worker/Dockerfile), as the job or service container runs it. */
const WORKER = [process.execPath, ...imageNodeFlags(), path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/worker/main.js')];

interface Mode {
  name: 'scheduled' | 'triggered' | 'continuous';
  schedule: string;
  goalMs: number | null;
  goal: string;
  floor: string;
}

const MODES: Mode[] = [
  {
    name: 'scheduled', schedule: '10 SECONDS', goalMs: null, goal: '—',
    floor: 'up to the interval (≥ 1 MINUTE in practice; SCHEDULE, https://docs.snowflake.com/en/sql-reference/sql/create-task) + job start (compute pool resume and image pull: not documented)',
  },
  {
    name: 'triggered', schedule: 'triggered', goalMs: (TRIGGER_INTERVAL_S + 5) * 1000, goal: `p95 ≤ ${TRIGGER_INTERVAL_S} + 5 s`,
    floor: 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS: default 30 s, minimum 10 s (https://docs.snowflake.com/en/sql-reference/parameters, https://docs.snowflake.com/en/user-guide/tasks-triggered) + job start (not documented)',
  },
  {
    name: 'continuous', schedule: 'continuous', goalMs: 3000, goal: 'p95 ≤ 3 s',
    floor: `the poll interval (${LOOP_INTERVAL_SECONDS} s) + one run; no job start (the service keeps running: https://docs.snowflake.com/en/developer-guide/snowpark-container-services/working-with-services)`,
  },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** custom_id → when the sandbox accepted its first operation after `since` (request start + duration). */
function acceptedTimes(inst: Installed): Map<string, number> {
  const accepted = new Map<string, number>();
  for (const entry of inst.sandbox.batch.requests()) {
    if (entry.status !== 202 || !Array.isArray(entry.body)) continue;
    const at = Date.parse(entry.time) + entry.durationMs;
    for (const op of entry.body as Array<{ identifiers?: { custom_id?: string } }>) {
      const id = op.identifiers?.custom_id;
      if (id !== undefined && !accepted.has(id)) accepted.set(id, at);
    }
  }
  return accepted;
}

async function measure(mode: Mode): Promise<{ mode: Mode; latencies: number[]; lost: number; seconds: number }> {
  const started = Date.now();
  const inst = await install({ answers: { schedule: mode.schedule, initialSync: false }, resume: mode.name !== 'triggered', sandbox: { snowflake: { triggerIntervalFloorSeconds: 1, jobRunner: 'process', processEntry: WORKER } } });
  try {
    if (mode.name === 'triggered') {
      await inst.sandbox.snowflake.runtime!.runAsAdmin(`ALTER ACCOUNT SET USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = ${TRIGGER_INTERVAL_S}`);
      await inst.admin.query('ALTER TASK DEMO_DB.BATCH_SYNC.BATCH_SYNC_TASK RESUME');
    }
    if (mode.name === 'continuous') {
      // Measure the running service, not its first container start: wait until the worker's loop is polling.
      const ready = Date.now() + 60_000;
      const logs = async () => String((await inst.admin.query<{ L: unknown }>("SELECT SYSTEM$GET_SERVICE_LOGS('DEMO_DB.BATCH_SYNC.BATCH_SYNC_SERVICE', 0, 'batch-sync') AS L")).rows[0]?.L ?? '');
      while (!(await logs()).includes('loop.start') && Date.now() < ready) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const committed = new Map<string, number>();
    for (let i = 1; i <= CHANGES; i++) {
      const tick = Date.now();
      await inst.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'bench-${mode.name}-${i}@example.com' WHERE ID = ${i}`);
      committed.set(String(i), Date.now());
      const wait = PACE_MS - (Date.now() - tick);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    // Bounded wait for the last deliveries (polling the sandbox's request log).
    const deadline = Date.now() + 90_000;
    let accepted = acceptedTimes(inst);
    while ([...committed.keys()].some((id) => !accepted.has(id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      accepted = acceptedTimes(inst);
    }
    const latencies = [...committed].flatMap(([id, at]) => (accepted.has(id) ? [accepted.get(id)! - at] : [])).sort((a, b) => a - b);
    return { mode, latencies, lost: committed.size - latencies.length, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await inst.close();
  }
}

async function main(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`bench:latency — ${CHANGES} changes per mode, one every ${PACE_MS} ms; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  const results = [];
  for (const mode of MODES) {
    const r = await measure(mode);
    results.push(r);
    print(`  ${mode.name}: ${r.latencies.length} delivered, ${r.lost} not delivered, ${r.seconds} s`);
  }
  print('');
  print('| mode | changes | p50 | p95 | max | goal (stand-in) | met | floor on a real account |');
  print('| --- | --- | --- | --- | --- | --- | --- | --- |');
  let failed = false;
  for (const { mode, latencies, lost } of results) {
    const p95 = quantile(latencies, 0.95);
    const met = mode.goalMs === null ? '—' : lost === 0 && p95 <= mode.goalMs ? 'yes' : 'NO';
    if (met === 'NO') failed = true;
    print(`| ${mode.name} (${mode.schedule}) | ${latencies.length}/${latencies.length + lost} | ${seconds(quantile(latencies, 0.5))} | ${seconds(p95)} | ${seconds(latencies.at(-1) ?? NaN)} | ${mode.goal} | ${met} | ${mode.floor} |`);
  }
  print(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
