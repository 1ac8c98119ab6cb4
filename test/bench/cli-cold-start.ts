/**
 * Cold start of the built CLI: `batch-snowflake --help` vs bare `node -e 0`, interleaved runs (machine load
 * hits both alike), medians and their ratio. Goal (issue 5): ≤ 2×.
 */
import { spawnSync } from 'node:child_process';
import { BIN } from '../wizard-tty/wizard-tty.js';

export interface ColdStart {
  runs: number;
  nodeMs: number;
  helpMs: number;
  ratio: number;
}

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export function measureColdStart(runs: number): ColdStart {
  const node: number[] = [];
  const help: number[] = [];
  timeOnce(['-e', '0']);
  timeOnce([BIN, '--help']); // warm the file cache once; every measured run is a new process
  for (let i = 0; i < runs; i++) {
    node.push(timeOnce(['-e', '0']));
    help.push(timeOnce([BIN, '--help']));
  }
  const nodeMs = median(node);
  const helpMs = median(help);
  return { runs, nodeMs, helpMs, ratio: helpMs / nodeMs };
}
