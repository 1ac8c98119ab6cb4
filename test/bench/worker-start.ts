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

/**
 * CPU milliseconds (user + system) a fresh `node` process spends running `code`, as it reports itself at the end:
 * on a loaded machine the wall clock swings with the other processes, the CPU a start costs much less.
 */
function nodeCpuMs(code: string): number {
  const report = 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000));';
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', `${code};\n${report}`], { cwd: REPO, env: { ...process.env, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true' }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`node -e failed: ${code}`);
  return Number(result.stdout);
}

console.log(`load average ${load()} (1/5/15 min) at start; ${RUNS} runs each; medians [min–max]`);
const range = (values: number[]) => `${Math.round(median(values))} ms [${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))}]`;
const bare: number[] = [];
const eager: number[] = [];
const lazy: number[] = [];
const zod: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(nodeCpuMs('0'));
  eager.push(nodeCpuMs("await import('snowflake-sdk')"));
  lazy.push(nodeCpuMs("(await import('./dist/shared/snowflake/lazy-deps.js')).deferUnusedDriverDependencies(); await import('snowflake-sdk')"));
  zod.push(nodeCpuMs("await import('zod')"));
}
console.log(`CPU of a bare node process: ${range(bare)}`);
console.log(`CPU of node + import snowflake-sdk: ${range(eager)} (all its dependencies, as before issue 21)`);
console.log(`CPU of node + import snowflake-sdk with the unused cloud SDKs deferred: ${range(lazy)} (what the worker does now)`);
console.log(`CPU of node + import zod: ${range(zod)} (the worker's options no longer import it)`);

const env = await benchEnvironment(1000, {});
try {
  await runWorkerProcess(env); // the backfill: state tables created
  const login: number[] = [];
  const first: number[] = [];
  const driver: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runWorkerProcess(env);
    if (run.loginMs !== null) login.push(run.loginMs);
    if (run.firstStatementMs !== null) first.push(run.firstStatementMs);
    const connected = run.lines.find((l) => l.event === 'snowflake.connected');
    driver.push(Number(connected?.driverLoadMs));
    cpu.push(Number(connected?.startCpuMs));
  }
  console.log(`worker: process start -> login answered ${range(login)}, -> first statement ${range(first)} (goal <= 1000 ms)`);
  console.log(`worker, up to its login: driver import ${range(driver)} wall, ${range(cpu)} of CPU in all (node start, modules, driver, login)`);
} finally {
  await env.close();
}
console.log(`load average ${load()} at the end`);
