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
  return countedRunIn(env, ...extra);
}

async function countedRunIn(env: WorkerEnvironment, ...extra: string[]) {
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
  // lock (1 request) · stream columns · state tables probe · their creation (1 request) · run start · capture ·
  // outbox state · outbox read · run end · release = 10; the incremental run creates nothing: 9.
  expect(backfill.statements - backfill.progress).toBe(10);
  expect(backfill.progress).toBeGreaterThanOrEqual(1); // the final prefix DELETE
  // The lock's four statements (create-if-missing, row, compare-and-set, read) travel in the run's first request.
  expect(backfill.heads[0]).toMatch(/^CREATE TABLE IF NOT EXISTS \S+BATCH_SYNC_CONTROL/);

  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Counted' WHERE ID <= 300`);
  const incremental = await countedRun('--endpoint', 'update');
  expect(incremental.summary).toMatchObject({ status: 'SUCCESS', endpoint: 'update', profilesSent: 300 });
  expect(incremental.statements - incremental.progress, incremental.heads.join('\n')).toBeLessThanOrEqual(12);
  expect(incremental.statements - incremental.progress).toBe(9);
  await expectSandboxMatchesView(env);
}, 120_000);

it('with the pending marker of SPCS installs (--pending-marker): at most 12 besides progress, the marker cleared', async () => {
  const marked = await startWorkerEnvironment();
  try {
    // What init creates for it (templates/pending-table.sql.hbs, pending-stream.sql.hbs).
    await marked.admin.query('CREATE TABLE DEMO_DB.PUBLIC.BATCH_SYNC_PENDING (RUN_ID VARCHAR, MARKED_AT TIMESTAMP_LTZ)');
    await marked.admin.query('CREATE STREAM DEMO_DB.PUBLIC.BATCH_SYNC_PENDING_STREAM ON TABLE DEMO_DB.PUBLIC.BATCH_SYNC_PENDING APPEND_ONLY = TRUE');
    const backfill = await countedRunIn(marked, '--pending-marker');
    expect(backfill.summary).toMatchObject({ status: 'SUCCESS', profilesSent: 1000 });
    expect(backfill.statements - backfill.progress, backfill.heads.join('\n')).toBeLessThanOrEqual(12);
    // lock (1 request) · stream columns · state tables probe · their creation (1 request) · run start + marker (1) ·
    // capture · outbox state · outbox read · marker check + clear (2) · run end · release = 12.
    expect(backfill.statements - backfill.progress).toBe(12);
    await marked.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Marked' WHERE ID <= 100`);
    const incremental = await countedRunIn(marked, '--pending-marker', '--endpoint', 'update');
    expect(incremental.summary).toMatchObject({ status: 'SUCCESS', profilesSent: 100 });
    expect(incremental.statements - incremental.progress, incremental.heads.join('\n')).toBeLessThanOrEqual(12);
    expect(incremental.statements - incremental.progress).toBe(11); // no table to create
    // The marker is cleared at the end (the task's WHEN sees no pending change): its stream is empty.
    const left = await marked.admin.query<{ N: unknown }>('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_PENDING_STREAM');
    expect(Number(left.rows[0]?.N)).toBe(0);
  } finally {
    await marked.close();
  }
}, 120_000);
