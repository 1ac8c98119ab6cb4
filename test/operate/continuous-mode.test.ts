/**
 * Schedule `continuous` (issue 17): init creates a long-running service (no task) that runs the worker with
 * --loop-interval-seconds; a change in the source table reaches Batch without any `run`. `status` shows the
 * service, `pause` / `resume` suspend and resume it (ALTER SERVICE), `logs` reads its container log, and
 * `uninstall` drops it. Both stand-ins, the worker as a process, the real CLI and driver; waits poll state with
 * a bound, never sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { cli, install, type Installed } from './helpers/installed.js';

const SERVICE = 'DEMO_DB.BATCH_SYNC.BATCH_SYNC_SERVICE';
let inst: Installed;

const email = (id: string) => (inst.sandbox.batch.profile(id)?.attributes as Record<string, { value?: unknown }> | undefined)?.email?.value;
const serviceStatus = async () => (await inst.admin.query<{ status: string }>(`SHOW SERVICES LIKE 'BATCH_SYNC_SERVICE' IN SCHEMA DEMO_DB.BATCH_SYNC`)).rows[0]?.status;

beforeAll(async () => {
  inst = await install({ answers: { schedule: 'continuous' } });
}, 60_000);
afterAll(async () => inst?.close());

describe('continuous schedule', () => {
  it('creates a service and no task; the initial rows arrive with no `run`', async () => {
    const tasks = await inst.admin.query("SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA DEMO_DB.BATCH_SYNC");
    expect(tasks.rows).toEqual([]);
    expect(await serviceStatus()).toBe('RUNNING');
    await until('the initial profiles', () => inst.sandbox.batch.profiles().length >= 5, 90_000);
  }, 100_000);

  it('a change in the source table is delivered by the running service', async () => {
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'live@example.com' WHERE ID = 1");
    await until('the change in Batch', () => email('1') === 'live@example.com');
  }, 70_000);

  it('status shows the running service, healthy', async () => {
    // Batch accepts a change before the run empties the outbox: wait for that run to end.
    await until('the outbox emptied', async () => Number((await inst.admin.query<{ N: unknown }>('SELECT COUNT(*) AS N FROM DEMO_DB.BATCH_SYNC.BATCH_SYNC_OUTBOX')).rows[0]?.N) === 0);
    const { code, json } = await cli(inst, ['status', '--json']);
    const { result } = json();
    expect(result.service).toMatchObject({ name: SERVICE, status: 'RUNNING', container: { status: 'READY', restarts: 0 } });
    expect(result.verdict.level, JSON.stringify(result.verdict)).toBe('healthy');
    expect(code).toBe(0);
  });

  it('pause suspends the service (changes wait), resume delivers them', async () => {
    const paused = await cli(inst, ['pause', '--json']);
    expect(paused.json().result).toMatchObject({ service: SERVICE, state: 'SUSPENDED', changed: true, sql: `ALTER SERVICE ${SERVICE} SUSPEND` });
    expect(await serviceStatus()).toBe('SUSPENDED');
    const status = await cli(inst, ['status', '--json']);
    expect(status.json().result.verdict).toMatchObject({ level: 'degraded', next: 'batch-snowflake resume' });
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'after-pause@example.com' WHERE ID = 2");
    // Suspended: the container is stopped, so the change stays in the stream.
    const { rows } = await inst.admin.query<{ HAS: unknown }>("SELECT SYSTEM$STREAM_HAS_DATA('DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM') AS HAS");
    expect(rows[0]?.HAS).toBe(true);
    expect((await cli(inst, ['pause'])).stdout).toContain('already paused');
    const resumed = await cli(inst, ['resume']);
    expect(resumed.code).toBe(0);
    expect(await serviceStatus()).toBe('RUNNING');
    await until('the change made while paused', () => email('2') === 'after-pause@example.com');
  }, 70_000);

  it('logs shows the service loop', async () => {
    const { code, stdout } = await cli(inst, ['logs', '--lines', '200']);
    expect(code).toBe(0);
    expect(stdout).toContain('loop.start');
    expect(stdout).toContain('run.summary');
  });

  it('uninstall drops the service', async () => {
    const { code } = await cli(inst, ['uninstall', '--yes']);
    expect(code).toBe(0);
    expect(await serviceStatus()).toBeUndefined();
  }, 60_000);
});
