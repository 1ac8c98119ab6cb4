/**
 * SYNC_RUNS and REJECTED carry the sync name (issue 16 item 3): the worker writes its `--sync-name` in SYNC_NAME,
 * adds the column to tables made before it (ALTER TABLE … ADD COLUMN IF NOT EXISTS, once), and the CLI's readers
 * (status, logs, run: src/operate/run-records.ts) keep each sync's rows apart, legacy rows (NULL SYNC_NAME) by
 * their stream. Real driver against the Snowflake stand-in, real HTTP to the Batch sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRejections, readRunRecords } from '../../src/operate/run-records.js';
import type { ResolvedNames } from '../../src/plan/names.js';
import { runWorker } from '../../worker/main.js';
import { createJsonLogger } from '../../worker/sync/log.js';
import { STREAM, startWorkerEnvironment, type WorkerEnvironment } from '../worker/helpers/e2e.js';
import { EVENTS_STREAM, createEventSource, eventArgs, insertEvents, utcText } from './helpers/events-env.js';

/** The runs / rejected DDL of installs made before several syncs per project (no SYNC_NAME). */
const LEGACY_RUNS = `(RUN_ID VARCHAR NOT NULL, SOURCE_STREAM VARCHAR, STARTED_AT TIMESTAMP_LTZ, ENDED_AT TIMESTAMP_LTZ,
  STATUS VARCHAR, ENDPOINT VARCHAR, ROWS_CAPTURED NUMBER(38,0), PROFILES_SENT NUMBER(38,0), ROWS_REJECTED NUMBER(38,0),
  ATTRIBUTES_REJECTED NUMBER(38,0), REQUESTS NUMBER(38,0), RETRIES NUMBER(38,0), ERROR_MESSAGE VARCHAR)`;
const LEGACY_REJECTED = `(RUN_ID VARCHAR, SOURCE_STREAM VARCHAR, REJECTED_AT TIMESTAMP_LTZ, CUSTOM_ID VARCHAR, ATTRIBUTE VARCHAR,
  VALUE_EXCERPT VARCHAR, REASON VARCHAR, MESSAGE VARCHAR, ORIGIN VARCHAR)`;

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment();
  await createEventSource(env.admin);
  for (const schema of ['PUBLIC', 'LEGACY']) {
    if (schema === 'LEGACY') await env.admin.query('CREATE SCHEMA IF NOT EXISTS DEMO_DB.LEGACY');
    await env.admin.query(`CREATE TABLE DEMO_DB.${schema}.BATCH_SYNC_RUNS ${LEGACY_RUNS}`);
    await env.admin.query(`CREATE TABLE DEMO_DB.${schema}.BATCH_SYNC_REJECTED ${LEGACY_REJECTED}`);
    await env.admin.query(`INSERT INTO DEMO_DB.${schema}.BATCH_SYNC_RUNS (RUN_ID, SOURCE_STREAM, STARTED_AT, ENDED_AT, STATUS) VALUES ('legacy-run', '${EVENTS_STREAM}', DATEADD('hour', -2, CURRENT_TIMESTAMP()), DATEADD('hour', -2, CURRENT_TIMESTAMP()), 'SUCCESS')`);
    await env.admin.query(`INSERT INTO DEMO_DB.${schema}.BATCH_SYNC_REJECTED (RUN_ID, SOURCE_STREAM, REJECTED_AT, CUSTOM_ID, REASON, ORIGIN) VALUES ('legacy-run', '${EVENTS_STREAM}', CURRENT_TIMESTAMP(), 'old', 'too_old', 'transform')`);
  }
});
afterAll(() => env?.close());

const names = (schema: string, stream: string, sync: string) =>
  ({ schema: ['DEMO_DB', schema], stream: stream.split('.'), sync }) as unknown as ResolvedNames;

async function runEvents(...extra: string[]): Promise<Record<string, unknown>> {
  let output = '';
  const code = await runWorker(eventArgs(env, ...extra), { env: env.env, log: createJsonLogger((line) => (output += line)), signal: new AbortController().signal });
  expect(code).toBe(0);
  return output.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'run.summary')!;
}

describe('SYNC_NAME in the shared runs and rejected tables', () => {
  it('the worker adds the column to legacy tables and writes its --sync-name on its run and rejections', async () => {
    await insertEvents(env.admin, [
      { user: 'u1', name: 'purchase', time: utcText(-60_000) },
      { user: 'u2', name: 'Bad Name', time: utcText(-60_000) },
    ]);
    const summary = await runEvents('--sync-name', 'orders');
    expect(summary).toMatchObject({ status: 'PARTIAL', eventsSent: 1, eventsRejected: 1 });
    const runs = await env.admin.query<{ RUN_ID: string; SYNC_NAME: string | null }>('SELECT RUN_ID, SYNC_NAME FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS ORDER BY STARTED_AT');
    expect(runs.rows).toEqual([{ RUN_ID: 'legacy-run', SYNC_NAME: null }, { RUN_ID: summary.runId, SYNC_NAME: 'orders' }]);
    const rejected = await env.admin.query<{ CUSTOM_ID: string; SYNC_NAME: string | null }>('SELECT CUSTOM_ID, SYNC_NAME FROM DEMO_DB.PUBLIC.BATCH_SYNC_REJECTED ORDER BY CUSTOM_ID');
    expect(rejected.rows).toEqual([{ CUSTOM_ID: 'old', SYNC_NAME: null }, { CUSTOM_ID: 'u2', SYNC_NAME: 'orders' }]);
  });

  it('a profile sync of the same project writes its own name (default); each sync reads only its runs and rejections', async () => {
    const { code, lines } = await env.run();
    expect(code).toBe(0);
    const profileRun = String(lines.find((l) => l.event === 'run.summary')!.runId);
    const sync = await env.admin.query<{ SYNC_NAME: string }>(`SELECT SYNC_NAME FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS WHERE RUN_ID = '${profileRun}'`);
    expect(sync.rows).toEqual([{ SYNC_NAME: 'default' }]);

    const orders = await readRunRecords(env.admin, names('PUBLIC', EVENTS_STREAM, 'orders'), 10);
    // The legacy run (NULL SYNC_NAME) is the orders sync's by its stream.
    expect(orders!.map((r) => r.runId).sort()).toEqual(['legacy-run', (await lastRun('orders'))].sort());
    const customers = await readRunRecords(env.admin, names('PUBLIC', STREAM, 'default'), 10);
    expect(customers!.map((r) => r.runId)).toEqual([profileRun]);
    // The name decides, not the stream: with another stream, orders still reads its run (not the legacy one).
    expect((await readRunRecords(env.admin, names('PUBLIC', STREAM, 'orders'), 10))!.map((r) => r.runId)).toEqual([await lastRun('orders')]);

    const rejections = await readRejections(env.admin, names('PUBLIC', EVENTS_STREAM, 'orders'));
    expect(rejections!.map((g) => `${g.reason}:${g.count}`).sort()).toEqual(['invalid_event_name:1', 'too_old:1']);
    expect(await readRejections(env.admin, names('PUBLIC', STREAM, 'default'))).toEqual([]);
  });

  it('a runs table the worker has not given the column yet is read by SOURCE_STREAM (no error)', async () => {
    const runs = await readRunRecords(env.admin, names('LEGACY', EVENTS_STREAM, 'orders'), 10);
    expect(runs!.map((r) => r.runId)).toEqual(['legacy-run']);
    const rejections = await readRejections(env.admin, names('LEGACY', EVENTS_STREAM, 'orders'));
    expect(rejections!.map((g) => g.reason)).toEqual(['too_old']);
  });
});

async function lastRun(sync: string): Promise<string> {
  const { rows } = await env.admin.query<{ RUN_ID: string }>(`SELECT RUN_ID FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS WHERE SYNC_NAME = '${sync}' ORDER BY STARTED_AT DESC LIMIT 1`);
  return rows[0]!.RUN_ID;
}
