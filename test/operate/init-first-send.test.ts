/**
 * init's last step (issue 17): `init --first-send 3` (the built CLI, non-interactive) applies the plan
 * without resuming the task, sends 3 profiles with Batch's answers, then resumes the task; every other
 * change waits in the outbox for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { runCli } from '../init-bad-input/run-cli.js';
import { adminSession, count, TARGET } from './helpers/installed.js';

let sandbox: Sandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  dir = await mkdtemp(path.join(os.tmpdir(), 'init-first-send-'));
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

it('init --first-send 3: 3 profiles sent before the task is resumed, the rest left in the outbox', async () => {
  const s = sandbox.connection.snowflake;
  const b = sandbox.connection.batch;
  const result = await runCli(['init', '--no-interactive', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID',
    '--date-columns', 'SIGNUP_DATE,LAST_LOGIN_AT', '--url-columns', 'PROFILE_URL', '--project-key', b.projectKey, '--target', TARGET,
    '--skip-image', '--image-tag', '0.1.0', '--batch-api-url', b.apiUrl, '--first-send', '3',
    '--access-url', s.accessUrl, '--account', s.account, '--user', s.user, '--role', s.role, '--warehouse', s.warehouse], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, SNOWFLAKE_HOME: dir, SNOWFLAKE_DISABLE_PLATFORM_DETECTION: 'true', SNOWFLAKE_PASSWORD: s.password, BATCH_REST_API_KEY: b.restApiKey },
    timeoutMs: 180_000,
  });
  expect(result.code, result.stderr + result.stdout).toBe(0);
  expect(result.stdout).toContain('Sent 3 profile(s) to Batch, one /profiles/update request each');
  expect(result.stdout).toContain('→ Batch answered HTTP 202 SUCCESS');
  expect(sandbox.batch.profiles()).toHaveLength(3);
  const admin = await adminSession(sandbox);
  try {
    const total = await count(admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES');
    expect(await count(admin, `SELECT COUNT(*) AS N FROM ${TARGET}.BATCH_SYNC_OUTBOX`)).toBe(total - 3);
    // Resumed after the send: the task is started.
    const tasks = await admin.query<{ state: string }>(`SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA ${TARGET}`);
    expect(String(tasks.rows[0]?.state).toLowerCase()).toBe('started');
  } finally {
    await admin.destroy();
  }
  expect(result.stdout.indexOf('Sent 3 profile(s)')).toBeLessThan(result.stdout.lastIndexOf('resume'));
});
