/**
 * `npm run bench:cli` (needs `npm run build`): figures for issue 5, printed as ratios, never asserted.
 * 1. Cold start: `batch-snowflake --help` vs `node -e 0` (goal ≤ 2×).
 * 2. Queries of `init --dry-run` against the Snowflake stand-in with 100 ms added per query: how many, how
 *    many in flight at once, and the time spent waiting on Snowflake vs the same queries run one by one.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSnowflakeStandin } from '../../standins/snowflake/index.js';
import { BIN } from '../wizard-tty/wizard-tty.js';
import { measureColdStart } from './cli-cold-start.js';
import { startQueryCounter } from './cli-query-counter.js';

const LATENCY_MS = 100;
const runs = Number(process.env.BENCH_RUNS ?? 21);

/** Length of the union of [start, end] intervals: the time at least one query was waiting. */
function covered(spans: Array<[number, number]>): number {
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, ms: performance.now() - started }));
  });
}

async function measureDryRunQueries(): Promise<void> {
  const standin = await startSnowflakeStandin({ seed: 'demo', profile: 'full', latencyMs: LATENCY_MS });
  const counter = await startQueryCounter(standin.accessUrl);
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'bs-bench-cli-'));
  try {
    const env = { PATH: process.env.PATH, HOME: cwd, SNOWFLAKE_ACCOUNT: standin.account, SNOWFLAKE_USER: standin.defaultUser.user, SNOWFLAKE_PASSWORD: standin.defaultUser.password, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', NO_COLOR: '1' };
    const args = ['init', '--dry-run', '--no-interactive', '--verbose', '--access-url', counter.url, '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', 'project_bench', '--skip-image', '--image-tag', '0.1.0'];
    const run = await runCli(args, cwd, env);
    if (run.code !== 0) throw new Error(`init --dry-run exited ${run.code}:\n${run.stderr}`);
    const waited = covered(counter.spans);
    const sequential = counter.count * LATENCY_MS;
    console.log(`init --dry-run, ${LATENCY_MS} ms added per query (stand-in, profile full):`);
    console.log(`  queries sent            ${counter.count} (up to ${counter.maxInFlight} in flight at once)`);
    console.log(`  waiting on Snowflake    ${waited.toFixed(0)} ms vs ${sequential} ms one by one (${(waited / sequential).toFixed(2)}×)`);
    console.log(`  whole run               ${run.ms.toFixed(0)} ms wall (incl. node start, driver load, login)`);
    const phase = /Introspection: (\d+) queries, up to (\d+) at once/.exec(run.stderr);
    if (phase) {
      console.log(`  introspection phase     ${phase[1]} queries, up to ${phase[2]} at once (the CLI's own count; ${Number(phase[1]) * LATENCY_MS} ms one by one)`);
    } else {
      console.log('  introspection phase     (no "Introspection:" line in --verbose output)');
    }
  } finally {
    await counter.close();
    await standin.close();
  }
}

const cold = measureColdStart(runs);
console.log(`cold start, median of ${cold.runs} interleaved runs:`);
console.log(`  node -e 0               ${cold.nodeMs.toFixed(1)} ms`);
console.log(`  batch-snowflake --help  ${cold.helpMs.toFixed(1)} ms`);
console.log(`  ratio                   ${cold.ratio.toFixed(2)}× (goal ≤ 2×)`);
await measureDryRunQueries();
