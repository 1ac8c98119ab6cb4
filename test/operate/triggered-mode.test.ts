/**
 * Schedule `triggered` (issue 17): init creates a task with no SCHEDULE whose WHEN checks the stream; the
 * stand-in starts it when the stream has data, never sooner than USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS
 * after the previous start (set low here through the stand-in's floor knob; a real account accepts 10-604800).
 * A change is delivered with no `run`; `pause` stops the triggering and `resume` delivers what waited;
 * TASK_HISTORY shows SCHEDULED_FROM = TRIGGER. Both stand-ins, the worker as a process, the real CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { cli, install, TASK, type Installed } from './helpers/installed.js';

const INTERVAL_S = 2;
let inst: Installed;

const email = (id: string) => (inst.sandbox.batch.profile(id)?.attributes as Record<string, { value?: unknown }> | undefined)?.email?.value;
const triggeredRuns = async () => (await inst.admin.query<{ STATE: string; SCHEDULED_TIME: Date; QUERY_START_TIME: Date | null }>(
  "SELECT STATE, SCHEDULED_TIME, QUERY_START_TIME FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'BATCH_SYNC_TASK', RESULT_LIMIT => 100)) WHERE SCHEDULED_FROM = 'TRIGGER' ORDER BY SCHEDULED_TIME",
)).rows;

beforeAll(async () => {
  inst = await install({ answers: { schedule: 'triggered' }, resume: false, sandbox: { snowflake: { triggerIntervalFloorSeconds: 1 } } });
  await inst.sandbox.snowflake.runtime!.runAsAdmin(`ALTER ACCOUNT SET USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = ${INTERVAL_S}`);
  expect((await cli(inst, ['resume'])).code).toBe(0);
}, 60_000);
afterAll(async () => inst?.close());

describe('triggered schedule', () => {
  it('the task has no schedule and its WHEN checks the stream', async () => {
    const { rows } = await inst.admin.query<{ schedule: unknown; condition: string; state: string }>("SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA DEMO_DB.BATCH_SYNC");
    expect(rows[0]).toMatchObject({ schedule: null, state: 'started' });
    expect(rows[0]!.condition).toContain("SYSTEM$STREAM_HAS_DATA('DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM')");
  });

  it('the initial rows and then a change arrive with no `run`, each from a TRIGGER run', async () => {
    await until('the initial profiles', () => inst.sandbox.batch.profiles().length >= 5, 90_000);
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'triggered@example.com' WHERE ID = 1");
    await until('the change in Batch', () => email('1') === 'triggered@example.com');
    // Batch accepts the change before the run records its end: wait for the run to finish.
    await until('two finished TRIGGER runs', async () => (await triggeredRuns()).filter((r) => r.STATE === 'SUCCEEDED').length >= 2);
    const runs = await triggeredRuns();
    // Never two starts closer than the minimum trigger interval.
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.SCHEDULED_TIME.getTime() - runs[i - 1]!.SCHEDULED_TIME.getTime()).toBeGreaterThanOrEqual(INTERVAL_S * 1000);
    }
  }, 120_000);

  it('pause stops the triggering (the change waits in the stream); resume delivers it', async () => {
    expect((await cli(inst, ['pause'])).code).toBe(0);
    // A run started before the pause may still be finishing: wait for it, then count.
    await until('no run in progress', async () => !(await triggeredRuns()).some((r) => r.STATE === 'EXECUTING'));
    const before = (await triggeredRuns()).length;
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'while-paused@example.com' WHERE ID = 2");
    const { rows } = await inst.admin.query<{ HAS: unknown }>("SELECT SYSTEM$STREAM_HAS_DATA('DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM') AS HAS");
    expect(rows[0]?.HAS).toBe(true);
    const resumed = await cli(inst, ['resume']);
    expect(resumed.stdout).toContain(`Task ${TASK} resumed. Runs when the stream has data (triggered)`);
    await until('the change made while paused', () => email('2') === 'while-paused@example.com');
    expect((await triggeredRuns()).length).toBeGreaterThan(before);
  }, 90_000);

  it('status names the triggered task as such', async () => {
    const { stdout } = await cli(inst, ['status']);
    expect(stdout).toContain(`${TASK}: started, triggered when the stream has data`);
  }, 60_000);
});
