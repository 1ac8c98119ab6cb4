/**
 * The operate commands on what the real `init` set up (account profile `full`, --skip-image): status reads
 * the install init recorded, pause/resume act on its task, uninstall drops exactly the objects init listed in
 * batch-snowflake.json `created` and keeps the user's view and data. (The job is not run here: the task init
 * renders targets https://api.batch.com; runs are covered by status-run-logs.test.ts.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { adminSession, cli, count, TASK } from './helpers/installed.js';

let sandbox: Sandbox;
let admin: SnowflakeSession;
let dir: string;
const run = (argv: string[], env: NodeJS.ProcessEnv = {}) => cli({ sandbox, dir }, argv, env);

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo', snowflake: { profile: 'full' } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'operate-init-'));
  admin = await adminSession(sandbox);
  await admin.query('CREATE SCHEMA DEMO_DB.BATCH_SYNC');
}, 60_000);
afterAll(async () => {
  await admin?.destroy();
  await sandbox?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('after `batch-snowflake init`', () => {
  it('init sets up the sync (non-interactive)', async () => {
    const { code } = await run(
      ['init', '--yes', '--view', 'DEMO_DB.PUBLIC.CUSTOMER_PROFILES', '--id-column', 'CUSTOMER_ID', '--project-key', sandbox.connection.batch.projectKey, '--target', 'DEMO_DB.BATCH_SYNC', '--skip-image', '--image-tag', '0.1.0', '--role', sandbox.connection.snowflake.role],
      { BATCH_REST_API_KEY: sandbox.connection.batch.restApiKey },
    );
    expect(code).toBe(0);
  });

  it('status: healthy, waiting for the first run, every pending row counted', async () => {
    const { code, json } = await run(['status', '--json']);
    expect(code).toBe(0);
    const { result } = json();
    expect(result.verdict).toMatchObject({ level: 'healthy', next: 'batch-snowflake run' });
    expect(result).toMatchObject({ task: { name: TASK, state: 'started' }, pending: { streamRows: 1000 }, missing: [], image: { deployedTag: '0.1.0', taskTag: '0.1.0' } });
  });

  it('pause then resume act on the task init created', async () => {
    expect((await run(['pause', '--json'])).json().result).toMatchObject({ state: 'suspended', changed: true });
    expect((await run(['resume', '--json'])).json().result).toMatchObject({ state: 'started', changed: true });
  });

  it('uninstall --yes drops every object init recorded and keeps the view and its data', async () => {
    const recorded = JSON.parse(await readFile(path.join(dir, 'batch-snowflake.json'), 'utf8')).created as Array<{ type: string; name: string }>;
    expect(recorded.map((o) => o.type).sort()).toEqual(['COMPUTE POOL', 'IMAGE REPOSITORY', 'INTEGRATION', 'NETWORK RULE', 'SECRET', 'STREAM', 'STREAM', 'TABLE', 'TABLE', 'TABLE', 'TABLE', 'TABLE', 'TASK']);
    const { code, json } = await run(['uninstall', '--yes', '--json']);
    expect(code).toBe(0);
    const { result } = json();
    // The worker's tables (outbox, runs, rejected, control) were never created (no run): reported as already gone.
    expect(result.alreadyGone).toHaveLength(4);
    // + the pending-changes marker table and its stream, which init creates.
    expect(result.dropped).toHaveLength(9);
    for (const show of ['SHOW TASKS IN SCHEMA DEMO_DB.BATCH_SYNC', 'SHOW STREAMS IN SCHEMA DEMO_DB.BATCH_SYNC', 'SHOW SECRETS IN SCHEMA DEMO_DB.BATCH_SYNC', "SHOW INTEGRATIONS LIKE 'BATCH_API_INTEGRATION'", "SHOW COMPUTE POOLS LIKE 'BATCH_SYNC_POOL'"]) {
      expect((await admin.query(show)).rows).toEqual([]);
    }
    expect(await count(admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMER_PROFILES')).toBe(1000);
    expect(JSON.parse(await readFile(path.join(dir, 'batch-snowflake.json'), 'utf8')).created).toEqual([]);
  });
});
