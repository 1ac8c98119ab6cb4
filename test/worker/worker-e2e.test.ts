/**
 * The worker end to end through real parts: the real snowflake-sdk against the Snowflake stand-in (demo
 * view + stream, OAuth token file as in SPCS), real HTTP to the Batch sandbox. The steps build on each
 * other like hourly task runs: initial backfill, no-op run, inserts/updates/deletes, rejections, dry run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView, lastRun, outboxCount, pendingInStream } from './helpers/expected-profiles.js';

let env: WorkerEnvironment;
const outputs: string[] = [];
beforeAll(async () => {
  env = await startWorkerEnvironment();
});
afterAll(() => env?.close());

async function run(...extra: string[]) {
  const result = await env.run(...extra);
  outputs.push(result.output);
  return result;
}

const summaryOf = (lines: Array<Record<string, unknown>>) => lines.find((l) => l.event === 'run.summary');

describe('worker end to end', () => {
  it('backfills the whole view through mass-update on the first run and empties the stream', async () => {
    expect(await pendingInStream(env)).toBe(1000);
    const { code, lines } = await run();
    expect(code).toBe(0);
    expect(summaryOf(lines)).toMatchObject({ status: 'SUCCESS', endpoint: 'mass-update', rowsCaptured: 1000, profilesSent: 1000 });
    await expectSandboxMatchesView(env);
    expect(env.batch.stats().massUpdate.acceptedOperations).toBe(1000);
    expect(await pendingInStream(env)).toBe(0);
    expect(await outboxCount(env)).toBe(0);
    expect(await lastRun(env)).toMatchObject({ STATUS: 'SUCCESS', ROWS_CAPTURED: 1000, PROFILES_SENT: 1000, ENDPOINT: 'mass-update', REQUESTS: 1 });
  });

  it('sends nothing when nothing changed', async () => {
    const before = env.batch.requests().length;
    const { code, lines } = await run();
    expect(code).toBe(0);
    expect(summaryOf(lines)).toMatchObject({ status: 'SUCCESS', rowsCaptured: 0, profilesSent: 0, requests: 0 });
    expect(env.batch.requests().length).toBe(before);
  });

  it('sends inserts and updates through /profiles/update, latest change only, and ignores deletes', async () => {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Zoe' WHERE ID <= 300`);
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Zed', LIFETIME_VALUE = 12.30 WHERE ID <= 5`);
    await env.admin.query(`INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, EMAIL, FIRST_NAME, SIGNUP_DATE, PROFILE_URL, IS_SUBSCRIBED)
      VALUES (1001, 'new.one@example.com', 'Newt', '2026-01-02', 'https://example.com/customers/1001', TRUE)`);
    await env.admin.query(`DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID = 10`);
    const updatesOf = (id: string) => env.batch.profile(id)?.updates ?? 0;
    const before = { one: updatesOf('1'), ten: updatesOf('10'), last: updatesOf('999') };
    const { code, lines } = await run();
    expect(code).toBe(0);
    // 300 updated rows, minus ID 10 (updated then deleted: its net change is a DELETE), plus ID 1001.
    expect(summaryOf(lines)).toMatchObject({ status: 'SUCCESS', endpoint: 'update', rowsCaptured: 300, profilesSent: 300 });
    expect(env.batch.stats().update).toMatchObject({ accepted: 2, acceptedOperations: 300 });
    expect(env.batch.profile('1001')?.attributes.first_name).toEqual({ type: 'string', value: 'Newt' });
    expect(env.batch.profile('1')?.attributes.first_name).toEqual({ type: 'string', value: 'Zed' });
    expect(env.batch.profile('1')?.attributes.lifetime_value).toEqual({ type: 'number', value: 12.3 });
    expect(updatesOf('1')).toBe(before.one + 1);
    // Deleted from the view: ignored by default, Batch keeps the profile as it was.
    expect(updatesOf('10')).toBe(before.ten);
    expect(updatesOf('999')).toBe(before.last);
    await expectSandboxMatchesView(env, ['10']);
    expect(await pendingInStream(env)).toBe(0);
    expect(await outboxCount(env)).toBe(0);
  });

  it('unsets the mapped attributes of deleted rows with --delete-policy unset', async () => {
    await env.admin.query(`DELETE FROM DEMO_DB.PUBLIC.CUSTOMERS WHERE ID = 20`);
    const { code, lines } = await run('--delete-policy', 'unset');
    expect(code).toBe(0);
    expect(summaryOf(lines)).toMatchObject({ status: 'SUCCESS', profilesSent: 1 });
    expect(env.batch.profile('20')?.attributes).toEqual({});
  });

  it('drops a bad attribute alone, records it, and reports PARTIAL', async () => {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET LAST_NAME = REPEAT('x', 301), FIRST_NAME = 'Long' WHERE ID = 30`);
    const { code, lines } = await run();
    expect(code).toBe(0);
    expect(summaryOf(lines)).toMatchObject({ status: 'PARTIAL', profilesSent: 1, attributesRejected: 1 });
    const stored = env.batch.profile('30')?.attributes;
    expect(stored?.first_name).toEqual({ type: 'string', value: 'Long' });
    expect(stored?.last_name).not.toEqual({ type: 'string', value: 'x'.repeat(301) });
    const rejected = await env.admin.query('SELECT * FROM DEMO_DB.PUBLIC.BATCH_SYNC_REJECTED');
    expect(rejected.rows).toEqual([expect.objectContaining({ CUSTOM_ID: '30', ATTRIBUTE: 'last_name', REASON: 'string_too_long', ORIGIN: 'transform' })]);
    expect(await lastRun(env)).toMatchObject({ STATUS: 'PARTIAL', ATTRIBUTES_REJECTED: 1 });
  });

  it('--dry-run builds payloads but sends, writes and consumes nothing', async () => {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Dry' WHERE ID BETWEEN 40 AND 44`);
    const requestsBefore = env.batch.requests().length;
    const runsBefore = (await env.admin.query('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS')).rows[0]?.N;
    const { code, lines } = await run('--dry-run');
    expect(code).toBe(0);
    const summary = lines.find((l) => l.event === 'dry_run.summary');
    expect(summary).toMatchObject({ pendingChanges: 5, operations: 5, outboxLeftover: 0 });
    expect((summary?.sample as Array<{ attributes: Record<string, unknown> }>)[0]?.attributes.first_name).toBe('Dry');
    expect(env.batch.requests().length).toBe(requestsBefore);
    expect(await pendingInStream(env)).toBe(10); // 5 updates = 5 DELETE+INSERT pairs (snowflake-spcs.md §1.4)
    expect((await env.admin.query('SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.BATCH_SYNC_RUNS')).rows[0]?.N).toBe(runsBefore);
    await run();
    expect(env.batch.profile('42')?.attributes.first_name).toEqual({ type: 'string', value: 'Dry' });
  });

  it('reads the REST key from the credentials table with a bound project key', async () => {
    await env.admin.query('CREATE TABLE DEMO_DB.PUBLIC.BATCH_API_CREDENTIALS (PROJECT_KEY VARCHAR, REST_API_KEY VARCHAR)');
    await env.admin.query('INSERT INTO DEMO_DB.PUBLIC.BATCH_API_CREDENTIALS VALUES (?, ?)', [env.batch.projectKey, env.batch.restApiKey]);
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Cred' WHERE ID = 50`);
    const key = env.env.BATCH_REST_API_KEY;
    delete env.env.BATCH_REST_API_KEY;
    try {
      const { code } = await run('--api-credentials-table', 'DEMO_DB.PUBLIC.BATCH_API_CREDENTIALS');
      expect(code).toBe(0);
    } finally {
      env.env.BATCH_REST_API_KEY = key;
    }
    expect(env.batch.profile('50')?.attributes.first_name).toEqual({ type: 'string', value: 'Cred' });
  });

  it('fails with a non-zero exit code and an ERROR run when Batch refuses the key, keeping the changes', async () => {
    await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Kept' WHERE ID = 60`);
    const key = env.env.BATCH_REST_API_KEY;
    env.env.BATCH_REST_API_KEY = 'wrong-key-0000';
    try {
      const { code, lines } = await run();
      expect(code).toBe(7);
      expect(summaryOf(lines)).toMatchObject({ status: 'ERROR', code: 'BATCH_HTTP_401' });
    } finally {
      env.env.BATCH_REST_API_KEY = key;
    }
    expect(await lastRun(env)).toMatchObject({ STATUS: 'ERROR' });
    expect(await outboxCount(env)).toBe(1);
    expect((await run()).code).toBe(0);
    expect(env.batch.profile('60')?.attributes.first_name).toEqual({ type: 'string', value: 'Kept' });
    expect(await outboxCount(env)).toBe(0);
  });

  it('never prints a secret', () => {
    const all = outputs.join('');
    expect(all.length).toBeGreaterThan(1000);
    for (const secret of [env.batch.restApiKey, env.snowflake.defaultUser.password, 'wrong-key-0000']) expect(all).not.toContain(secret);
  });
});
