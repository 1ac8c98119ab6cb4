/**
 * `npm run bench:worker-start`: the worker's start (issue 21, goal <= 1.0 s from process start to its first
 * statement), as medians of several runs of the compiled worker against the stand-ins, with what it is made of:
 * a bare `node` start, the import of snowflake-sdk with and without the deferred cloud SDKs
 * (shared/snowflake/lazy-deps.ts), and the login. On a loaded machine single figures swing by 2x: read medians.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchEnvironment, runWorkerProcess } from './worker-bench-env.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_START_RUNS ?? 7);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const load = () => loadavg().map((n) => n.toFixed(1)).join(' / ');

/** Milliseconds a fresh `node` process needs to run `code` (wall clock, spawn to exit). */
function nodeMs(code: string, env: NodeJS.ProcessEnv = {}): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO, env: { ...process.env, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', ...env }, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node -e failed: ${code}`);
  return performance.now() - started;
}

console.log(`load average ${load()} (1/5/15 min) at start; ${RUNS} runs each; medians [min–max]`);
const range = (values: number[]) => `${Math.round(median(values))} ms [${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}]`;
const bare: number[] = [];
const eager: number[] = [];
const lazy: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(nodeMs('0'));
  eager.push(nodeMs("await import('snowflake-sdk')"));
  lazy.push(nodeMs("(await import('./dist/shared/snowflake/lazy-deps.js')).deferUnusedDriverDependencies(); await import('snowflake-sdk')"));
}
console.log(`bare node process: ${range(bare)}`);
console.log(`node + import snowflake-sdk: ${range(eager)} (all its dependencies, as before issue 21)`);
console.log(`node + import snowflake-sdk with the unused cloud SDKs deferred: ${range(lazy)} (what the worker does now)`);

const env = await benchEnvironment(1000, {});
try {
  await runWorkerProcess(env); // the backfill: state tables created
  const login: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runWorkerProcess(env);
    if (run.loginMs !== null) login.push(run.loginMs);
    if (run.firstStatementMs !== null) first.push(run.firstStatementMs);
  }
  console.log(`worker: process start -> login answered ${range(login)}, -> first statement ${range(first)} (goal <= 1000 ms)`);
} finally {
  await env.close();
}
console.log(`load average ${load()} at the end`);
