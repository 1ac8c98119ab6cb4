/**
 * Fixed overhead per run (issue 21): every query request the worker sends is counted by the stand-in, from
 * outside the worker, login-time and bookkeeping ones included. Besides the progress statements (outbox
 * deletes beside sending, counted by the worker itself), a run sends at most 12 — each costs 50–300 ms on a
 * real warehouse and keeps it awake.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView } from './helpers/expected-profiles.js';

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment();
});
afterAll(() => env?.close());

/** The worker's session is the one opened last; its statements as the stand-in counted them. */
async function countedRun(...extra: string[]) {
  const before = env.snowflake.observed.statements.length;
  const run = await env.run(...extra);
  expect(run.code, run.output).toBe(0);
  const sessions = env.snowflake.observed.statements.slice(before);
  expect(sessions).toHaveLength(1);
  const summary = run.lines.find((l) => l.event === 'run.summary')!;
  const counts = sessions[0]!;
  return { summary, statements: counts.statements, progress: Number(summary.progressStatements), heads: counts.heads ?? [] };
}

it('a first run (backfill, state tables created) and an incremental run each send at most 12 statements besides progress', async () => {
  const backfill = await countedRun();
  expect(backfill.summary).toMatchObject({ status: 'SUCCESS', endpoint: 'mass-update', profilesSent: 1000 });
  expect(backfill.statements - backfill.progress, backfill.heads.join('\n')).toBeLessThanOrEqual(12);
  expect(backfill.progress).toBeGreaterThanOrEqual(1); // the final prefix DELETE
  // The lock's four statements (create-if-missing, row, compare-and-set, read) travel in the run's first request.
  expect(backfill.heads[0]).toMatch(/^CREATE TABLE IF NOT EXISTS \S+BATCH_SYNC_CONTROL/);

  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Counted' WHERE ID <= 300`);
  const incremental = await countedRun('--endpoint', 'update');
  expect(incremental.summary).toMatchObject({ status: 'SUCCESS', endpoint: 'update', profilesSent: 300 });
  expect(incremental.statements - incremental.progress, incremental.heads.join('\n')).toBeLessThanOrEqual(12);
  await expectSandboxMatchesView(env);
}, 120_000);
