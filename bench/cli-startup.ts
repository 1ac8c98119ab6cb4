/**
 * `npm run bench:startup`: cold-start cost of the CLI (goal from issue 5: `--help` ≤ 2× bare `node -e 0`)
 * and the one-time cost of loading snowflake-sdk, which client.ts defers to the first connect.
 * Runs are interleaved (so machine load hits every variant alike) and reported as medians and ratios.
 * Needs `npm run build` first (it runs the built bin, as users do).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(fileURLToPath(import.meta.url), '../..');
const bin = path.join(repo, 'bin/batch-snowflake.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);

const variants: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'batch-snowflake --help': [bin, '--help'],
  'batch-snowflake --version': [bin, '--version'],
};

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (const args of Object.values(variants)) timeOnce(args); // warm the file cache
for (let round = 0; round < rounds; round++) {
  for (const [name, args] of Object.entries(variants)) samples[name]!.push(timeOnce(args));
}

// Driver load as the client does it: import inside connect(); the refused port makes connect fail fast.
const driverScript = `
const client = await import(${JSON.stringify(path.join(repo, 'dist/src/snowflake/client.js'))});
await client.connect({ account: 'bench', username: 'u', password: 'p', accessUrl: 'http://127.0.0.1:1' }, { timeoutMs: 5000 }).catch(() => undefined);
process.stdout.write(String(client.driverLoadTimeMs()));`;
const driverLoads: number[] = [];
for (let i = 0; i < Math.min(rounds, 7); i++) {
  driverLoads.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', driverScript], { encoding: 'utf8' })));
}

const bare = median(samples['node -e 0']!);
console.log(`CLI startup, median of ${rounds} interleaved runs (Node ${process.version}):`);
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values);
  console.log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(5)} ms   ${(ms / bare).toFixed(2)}× bare node`);
}
console.log(`snowflake-sdk import inside connect(): median ${median(driverLoads).toFixed(0)} ms over ${driverLoads.length} processes (paid only by commands that connect)`);
