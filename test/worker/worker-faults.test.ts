/**
 * Batch sandbox faults during real worker runs (5xx, 429, timeouts, connection resets, and requests applied
 * but never answered): every change still arrives, nothing is left behind, retries are counted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWorkerEnvironment, type WorkerEnvironment } from './helpers/e2e.js';
import { expectSandboxMatchesView, lastRun, outboxCount, pendingInStream } from './helpers/expected-profiles.js';

let env: WorkerEnvironment;
beforeAll(async () => {
  env = await startWorkerEnvironment({ faultSeed: 4242 });
  env.env.BATCH_REQUEST_TIMEOUT_MS = '400';
  // 4 000 more customers so that /profiles/update needs 25 requests per full pass.
  await env.admin.query(`INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, EMAIL, FIRST_NAME, SIGNUP_DATE, PROFILE_URL, IS_SUBSCRIBED)
    SELECT ID + 1000, 'c' || (ID + 1000) || '@example.com', FIRST_NAME, SIGNUP_DATE, PROFILE_URL, IS_SUBSCRIBED FROM DEMO_DB.PUBLIC.CUSTOMERS`);
  await env.admin.query(`INSERT INTO DEMO_DB.PUBLIC.CUSTOMERS (ID, EMAIL, FIRST_NAME, SIGNUP_DATE, PROFILE_URL, IS_SUBSCRIBED)
    SELECT ID + 2000, 'c' || (ID + 2000) || '@example.com', FIRST_NAME, SIGNUP_DATE, PROFILE_URL, IS_SUBSCRIBED FROM DEMO_DB.PUBLIC.CUSTOMERS`);
});
afterAll(() => env?.close());

it('loses nothing through 5xx, 429, timeouts, resets and unanswered-but-applied requests', async () => {
  env.batch.configure({ faults: { serverError: 0.1, tooManyRequests: 0.1, timeout: 0.08, connectionReset: 0.08, timeoutAfterProcessing: 0.04 } });
  const { code, lines, output } = await env.run('--endpoint', 'update', '--concurrency', '6');
  expect(code, output).toBe(0);
  const summary = lines.find((l) => l.event === 'run.summary');
  expect(summary).toMatchObject({ status: 'SUCCESS', rowsCaptured: 4000, profilesSent: 4000 });
  const injected = env.batch.stats().injectedFaults;
  for (const kind of ['serverError', 'tooManyRequests', 'timeout', 'connectionReset'] as const) expect(injected[kind], kind).toBeGreaterThan(0);
  expect(Number(summary?.retries)).toBeGreaterThanOrEqual(Object.values(injected).reduce((a, b) => a + b, 0));
  expect(lines.filter((l) => l.event === 'batch.retry').length).toBe(summary?.retries);
  expect(await lastRun(env)).toMatchObject({ STATUS: 'SUCCESS', RETRIES: summary?.retries });

  env.batch.configure({ faultRate: 0 });
  await expectSandboxMatchesView(env);
  expect(await pendingInStream(env)).toBe(0);
  expect(await outboxCount(env)).toBe(0);
}, 240_000);

it('keeps the outbox when Batch stays down, and delivers it on the next run', async () => {
  await env.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Outage' WHERE ID <= 1000`);
  env.batch.configure({ faults: { serverError: 1 } });
  env.env.BATCH_MAX_ATTEMPTS = '3';
  const failed = await env.run('--endpoint', 'update');
  delete env.env.BATCH_MAX_ATTEMPTS;
  expect(failed.code).not.toBe(0);
  expect(failed.lines.find((l) => l.event === 'run.summary')).toMatchObject({ status: 'ERROR', errorName: 'BatchTransientError', profilesSent: 0 });
  expect(await lastRun(env)).toMatchObject({ STATUS: 'ERROR', ERROR_MESSAGE: expect.stringContaining('after 3 attempts') });
  expect(await pendingInStream(env)).toBe(0); // captured: the changes now wait in the outbox
  expect(await outboxCount(env)).toBe(1000);

  env.batch.configure({ faultRate: 0 });
  const recovered = await env.run();
  expect(recovered.code).toBe(0);
  expect(await outboxCount(env)).toBe(0);
  await expectSandboxMatchesView(env);
}, 240_000);
