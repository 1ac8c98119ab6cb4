/** Environments and worker runs for bench:worker (the worker runs in its own process, like in SPCS). */
import type { BatchSandboxOptions } from '../standins/batch/index.js';
import { spawnWorker } from '../worker/helpers/child-worker.js';
import { startWorkerEnvironment, type WorkerEnvironment } from '../worker/helpers/e2e.js';

export const CUSTOMER_COLUMNS = 'EMAIL, FIRST_NAME, LAST_NAME, SIGNUP_DATE, LAST_LOGIN_AT, PROFILE_URL, LIFETIME_VALUE, IS_SUBSCRIBED, TAGS';

/** A demo environment whose stream holds `rows` INSERT changes (the demo table grown by doubling). */
export async function benchEnvironment(rows: number, batch: BatchSandboxOptions): Promise<WorkerEnvironment> {
  const env = await startWorkerEnvironment({ logBodies: false, latencyMs: 20, ...batch });
  let count = 1000;
  while (count < rows) {
    const add = Math.min(count, rows - count);
    await env.admin.query(
      `INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, ${CUSTOMER_COLUMNS}) SELECT ID + ${count}, ${CUSTOMER_COLUMNS} FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID <= ${add}`,
    );
    count += add;
  }
  if (rows < 1000) await env.admin.query(`DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID > ${rows}`);
  return env;
}

export interface WorkerRun {
  exitCode: number | null;
  summary: Record<string, unknown>;
  /** From the worker's own send.start → send.done log timestamps. */
  sendMs: number;
  totalMs: number;
  peakRssMb: number;
}

export async function runWorkerProcess(env: WorkerEnvironment, ...extra: string[]): Promise<WorkerRun> {
  const started = performance.now();
  const child = spawnWorker(env.args(...extra), env.env);
  const exit = await child.exited;
  const totalMs = Math.round(performance.now() - started);
  const at = (event: string) => Date.parse(String(child.lines.find((l) => l.event === event)?.ts));
  const summary = child.lines.find((l) => l.event === 'run.summary') ?? {};
  if (exit.code !== 0) throw new Error(`worker exited ${exit.code}: ${child.output().slice(-2000)}`);
  return { exitCode: exit.code, summary, sendMs: at('send.done') - at('send.start'), totalMs, peakRssMb: Number(summary.peakRssMb) };
}
