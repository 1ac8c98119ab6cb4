/**
 * Snowflake-side faults during real worker runs (issue 21), through the real driver:
 *  - the outbox's streamed result breaks mid-way (a result chunk cannot be downloaded): the run fails with a
 *    clear error in BATCH_SYNC_RUNS, and the next run delivers the rest from the outbox, nothing lost;
 *  - a chunk download dropped once is retried by the driver: the run does not even notice;
 *  - a capture longer than STATEMENT_TIMEOUT_IN_SECONDS fails with Snowflake's 000630 at the timeout, the run
 *    records what happened and the ALTER that fixes it, nothing is consumed, and the next run delivers; the same
 *    when the timeout is the worker's user's (ALTER USER … SET, the worker's session sets none of its own).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView, lastRun, outboxCount, pendingInStream } from './helpers/expected-profiles.js';

let env: WorkerEnvironment;
beforeAll(async () => {
  // 100-row chunks: the outbox's 1 000 rows come as an inline first chunk and 9 downloaded ones.
  env = await startWorkerEnvironment({}, { chunkRows: 100 });
});
afterAll(() => env?.close());

const summaryOf = (lines: Array<Record<string, unknown>>) => lines.find((l) => l.event === 'run.summary');
const receivedIds = () => new Set(env.batch.profiles().flatMap((p) => ('custom_id' in p.identifiers ? [p.identifiers.custom_id] : [])));

it('a result stream that breaks after 500 rows fails the run with a clear error; the next run delivers the rest, nothing lost', async () => {
  env.snowflake.setFaults({ resultChunk: { afterRows: 500, mode: 'not-found' } });
  const failed = await env.run();
  expect(failed.code).not.toBe(0);
  expect(summaryOf(failed.lines), failed.output).toMatchObject({ status: 'ERROR', code: 'RESULT_DOWNLOAD_FAILED' });
  const run = await lastRun(env);
  expect(run).toMatchObject({ STATUS: 'ERROR', ERROR_MESSAGE: expect.stringContaining('a result chunk could not be downloaded') });
  expect(String(run?.ERROR_MESSAGE)).toContain('nothing is lost');
  const firstDelivered = receivedIds().size;
  expect(firstDelivered).toBeLessThan(1000); // the break stopped it: the rest waits in the outbox
  expect(await outboxCount(env)).toBeGreaterThanOrEqual(1000 - firstDelivered);
  expect(await pendingInStream(env)).toBe(0); // captured before the break

  env.snowflake.setFaults({});
  const resumed = await env.run();
  expect(resumed.code, resumed.output).toBe(0);
  expect(summaryOf(resumed.lines)).toMatchObject({ status: 'SUCCESS', rowsCaptured: 0 });
  expect(receivedIds().size).toBe(1000);
  expect(await outboxCount(env)).toBe(0);
  await expectSandboxMatchesView(env);
}, 120_000);

it('a chunk download whose connection drops once is retried by the driver: the run succeeds', async () => {
  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Dropped' WHERE ID <= 400`);
  const fault = { afterRows: 200, mode: 'drop' as const, times: 1 };
  env.snowflake.setFaults({ resultChunk: fault });
  const run = await env.run('--endpoint', 'update');
  expect(run.code, run.output).toBe(0);
  expect(fault.times).toBe(0); // the fault did fire
  expect(summaryOf(run.lines)).toMatchObject({ status: 'SUCCESS', rowsCaptured: 400, profilesSent: 400 });
  env.snowflake.setFaults({});
  await expectSandboxMatchesView(env);
}, 120_000);

/**
 * A run whose capture the statement timeout canceled: it fails with STATEMENT_TIMEOUT, records the error with the
 * level that set the limit and the ALTER that raises it, and consumes nothing (the stream's offset did not move).
 */
async function expectTimedOutRun(expected: { pendingAtLeast: number; limitFrom: string; raise: string }): Promise<void> {
  const failed = await env.run('--endpoint', 'update');
  expect(failed.code).not.toBe(0);
  expect(summaryOf(failed.lines), failed.output).toMatchObject({ status: 'ERROR', code: 'STATEMENT_TIMEOUT' });
  const run = await lastRun(env);
  expect(run?.STATUS).toBe('ERROR');
  expect(String(run?.ERROR_MESSAGE)).toContain('Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.');
  expect(String(run?.ERROR_MESSAGE)).toContain(`The limit came from ${expected.limitFrom}`);
  expect(String(run?.ERROR_MESSAGE)).toContain(`Raise it: ${expected.raise}`);
  expect(await pendingInStream(env)).toBeGreaterThanOrEqual(expected.pendingAtLeast);
  expect(await outboxCount(env)).toBe(0);
}

it('a capture past STATEMENT_TIMEOUT_IN_SECONDS fails with 000630 and the ALTER to raise it; nothing is consumed; the next run delivers', async () => {
  const warehouse = env.snowflake.defaultUser.warehouse;
  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Slow' WHERE ID <= 200`);
  await env.admin.query(`ALTER WAREHOUSE ${warehouse} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
  // The capture (the MERGE into the outbox) would run 60 s on this warehouse.
  env.snowflake.setFaults({ slowStatements: [{ match: 'MERGE INTO DEMO_DB.PUBLIC.BATCH_SYNC_OUTBOX', ms: 60_000 }] });
  await expectTimedOutRun({ pendingAtLeast: 200, limitFrom: `the warehouse ${warehouse} (1 s);`, raise: `ALTER WAREHOUSE ${warehouse} SET STATEMENT_TIMEOUT_IN_SECONDS = 7200;` });

  await env.admin.query(`ALTER WAREHOUSE ${warehouse} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
  env.snowflake.setFaults({ slowStatements: [{ match: 'MERGE INTO DEMO_DB.PUBLIC.BATCH_SYNC_OUTBOX', ms: 200 }] });
  const recovered = await env.run('--endpoint', 'update');
  expect(recovered.code, recovered.output).toBe(0);
  expect(summaryOf(recovered.lines)).toMatchObject({ status: 'SUCCESS', rowsCaptured: 200, profilesSent: 200 });
  env.snowflake.setFaults({});
  await expectSandboxMatchesView(env);
}, 120_000);

it('a user-level STATEMENT_TIMEOUT_IN_SECONDS (ALTER USER) cancels the capture the same way: 000630, a clear run error, nothing consumed', async () => {
  const user = env.snowflake.defaultUser.user;
  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'SlowUser' WHERE ID <= 150`);
  await env.admin.query(`ALTER USER ${user} SET STATEMENT_TIMEOUT_IN_SECONDS = 1`);
  const shown = await env.admin.query<{ key: string; value: string; level: string }>(`SHOW PARAMETERS LIKE 'STATEMENT_TIMEOUT%' IN USER ${user}`);
  expect(shown.rows.find((r) => r.key === 'STATEMENT_TIMEOUT_IN_SECONDS')).toMatchObject({ value: '1', level: 'USER' });
  env.snowflake.setFaults({ slowStatements: [{ match: 'MERGE INTO DEMO_DB.PUBLIC.BATCH_SYNC_OUTBOX', ms: 60_000 }] });
  try {
    // Which level set it, read by the worker on this failure path (SHOW PARAMETERS), and the one ALTER that raises it.
    await expectTimedOutRun({ pendingAtLeast: 150, limitFrom: `the worker's user ${user} (1 s, ALTER USER);`, raise: `ALTER USER ${user} SET STATEMENT_TIMEOUT_IN_SECONDS = 7200;` });
  } finally {
    await env.admin.query(`ALTER USER ${user} UNSET STATEMENT_TIMEOUT_IN_SECONDS`);
    env.snowflake.setFaults({});
  }
  const recovered = await env.run('--endpoint', 'update');
  expect(recovered.code, recovered.output).toBe(0);
  expect(summaryOf(recovered.lines)).toMatchObject({ status: 'SUCCESS', rowsCaptured: 150, profilesSent: 150 });
  await expectSandboxMatchesView(env);
}, 120_000);
