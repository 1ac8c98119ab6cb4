/**
 * Where the worker's memory goes (issue 21): runs the compiled worker at `rows` changed rows (initial
 * mass-update backfill) once per probe, each with fresh stand-ins, and prints its peak RSS with the V8 heap,
 * external and array-buffer figures sampled every 50 ms. Probes vary node flags and worker env (driver
 * prefetch, send window). `node --import tsx test/bench/worker-memory.ts [rows] [probe names...]`; `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { benchEnvironment, WORKER_ENTRY } from './worker-bench-env.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLER = fileURLToPath(new URL('./memory-sampler.mjs', import.meta.url));

interface Probe { name: string; nodeFlags?: string[]; env?: NodeJS.ProcessEnv; args?: string[] }

export const PROBES: Probe[] = [
  { name: 'default' },
  { name: 'old-space-64', nodeFlags: ['--max-old-space-size=64'] },
  { name: 'semi-space-1', nodeFlags: ['--max-semi-space-size=1'] },
  { name: 'semi-1+old-64', nodeFlags: ['--max-semi-space-size=1', '--max-old-space-size=64'] },
  { name: 'semi-1+old-96', nodeFlags: ['--max-semi-space-size=1', '--max-old-space-size=96'] },
  { name: 'semi-2+old-96', nodeFlags: ['--max-semi-space-size=2', '--max-old-space-size=96'] },
  { name: 'optimize-for-size', nodeFlags: ['--optimize-for-size', '--max-semi-space-size=1'] },
  { name: 'semi-2+growing-10', nodeFlags: ['--max-semi-space-size=2', '--heap-growing-percent=10'] },
  { name: 'semi-1+growing-10', nodeFlags: ['--max-semi-space-size=1', '--heap-growing-percent=10'] },
];

const rows = Number(process.argv[2] ?? 100_000);
const wanted = new Set(process.argv.slice(3));
for (const probe of PROBES.filter((p) => wanted.size === 0 || wanted.has(p.name))) {
  const env = await benchEnvironment(rows, { massRate: 10_000 });
  try {
    const child = spawn(process.execPath, ['--import', SAMPLER, ...(probe.nodeFlags ?? []), WORKER_ENTRY, ...env.workerArgs, ...(probe.args ?? [])], {
      cwd: REPO, env: { ...env.workerEnv, ...probe.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const sample = /MEMSAMPLE (.*)/.exec(text)?.[1] ?? '{}';
    const summary = text.split('\n').find((l) => l.includes('"run.summary"')) ?? '';
    const sent = (await env.stats()).massUpdate.acceptedOperations;
    process.stdout.write(`${JSON.stringify({ probe: probe.name, rows, code, sent, ms: Date.now() - started, load: loadavg()[0]!.toFixed(1), ...JSON.parse(sample), summaryRss: JSON.parse(summary || '{}').peakRssMb })}\n`);
    if (code !== 0) process.stdout.write(text.slice(-1500));
  } finally {
    await env.close();
  }
}
process.exit(0);
