/**
 * Task semantics through both drivers: auto-suspension after SUSPEND_TASK_AFTER_NUM_FAILURES consecutive failed
 * runs, and TASK_HISTORY's RESULT_LIMIT / SCHEDULED_TIME_RANGE_* arguments. Runs are awaited on the stand-in's
 * run events (runtime.tasks.waitForRun), never with sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { DRIVERS, FidelityClient } from './clients.js';

let standin: SnowflakeStandin;
beforeAll(async () => {
  standin = await startSnowflakeStandin();
});
afterAll(async () => {
  await standin.close();
});

describe.each(DRIVERS)('tasks with %s', (driver) => {
  const suffix = driver.includes('1.x') ? 'V1' : 'V3';
  let client: FidelityClient;
  beforeAll(async () => {
    client = await FidelityClient.open(driver, standin);
  });
  afterAll(async () => {
    await client.close();
  });
  /** EXECUTE TASK, then waits for that run's end; returns its state. */
  const runOnce = async (task: string) => {
    const after = standin.runtime!.tasks.lastRunSeq();
    await client.run(`EXECUTE TASK ${task}`);
    return (await standin.runtime!.tasks.waitForRun(task, { after, timeoutMs: 10_000 })).state;
  };
  const showTask = async (task: string) => (await client.run(`SHOW TASKS LIKE '${task}'`, { native: true })).rows[0]!;
  const history = (args: string) => client.run(`SELECT STATE, SCHEDULED_TIME FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(${args})) ORDER BY SCHEDULED_TIME DESC`);

  it('a task is suspended after SUSPEND_TASK_AFTER_NUM_FAILURES consecutive failed runs: SHOW TASKS says suspended, SUSPENDED_DUE_TO_ERRORS; the last run is FAILED_AND_AUTO_SUSPENDED (https://docs.snowflake.com/en/sql-reference/parameters#suspend-task-after-num-failures, https://docs.snowflake.com/en/release-notes/bcr-bundles/2023_08/bcr-1385-1414, https://docs.snowflake.com/en/release-notes/bcr-bundles/2023_01/bcr-899)', async () => {
    const task = `FID_FAILING_${suffix}`;
    await client.run(`CREATE OR REPLACE TASK ${task} WAREHOUSE = ${standin.defaultUser.warehouse} SCHEDULE = '1440 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 3 AS SELECT 1/0`);
    await client.run(`ALTER TASK ${task} RESUME`);
    expect(await runOnce(task)).toBe('FAILED');
    expect(await runOnce(task)).toBe('FAILED');
    expect(await showTask(task)).toMatchObject({ state: 'started', last_suspended_reason: null });
    expect(await runOnce(task)).toBe('FAILED_AND_AUTO_SUSPENDED');
    expect(await showTask(task)).toMatchObject({ state: 'suspended', last_suspended_reason: 'SUSPENDED_DUE_TO_ERRORS' });
    const errors = await history(`TASK_NAME => '${task}', ERROR_ONLY => TRUE`);
    expect(errors.rows.map((r) => r.STATE)).toEqual(['FAILED_AND_AUTO_SUSPENDED', 'FAILED', 'FAILED']);
  });

  it('a successful run resets the count; RESUME after a user SUSPEND keeps counting from zero (https://docs.snowflake.com/en/sql-reference/parameters#suspend-task-after-num-failures)', async () => {
    const task = `FID_FLAKY_${suffix}`;
    await client.run(`CREATE OR REPLACE TABLE FID_FLAKY_GATE_${suffix} (D NUMBER)`);
    await client.run(`INSERT INTO FID_FLAKY_GATE_${suffix} VALUES (0)`);
    await client.run(`CREATE OR REPLACE TASK ${task} WAREHOUSE = ${standin.defaultUser.warehouse} SCHEDULE = '1440 MINUTE' SUSPEND_TASK_AFTER_NUM_FAILURES = 2 AS SELECT 1/D FROM FID_FLAKY_GATE_${suffix}`);
    await client.run(`ALTER TASK ${task} RESUME`);
    expect(await runOnce(task)).toBe('FAILED');
    await client.run(`UPDATE FID_FLAKY_GATE_${suffix} SET D = 1`);
    expect(await runOnce(task)).toBe('SUCCEEDED');
    await client.run(`UPDATE FID_FLAKY_GATE_${suffix} SET D = 0`);
    expect(await runOnce(task)).toBe('FAILED');
    expect(await showTask(task)).toMatchObject({ state: 'started' });
    expect(await runOnce(task)).toBe('FAILED_AND_AUTO_SUSPENDED');
  });

  it('the account-level SUSPEND_TASK_AFTER_NUM_FAILURES applies to a task that does not set it; SHOW PARAMETERS IN TASK shows its level (https://docs.snowflake.com/en/sql-reference/sql/show-parameters, https://docs.snowflake.com/en/sql-reference/sql/alter-account)', async () => {
    const task = `FID_ACCOUNT_LIMIT_${suffix}`;
    await client.run(`CREATE OR REPLACE TASK ${task} WAREHOUSE = ${standin.defaultUser.warehouse} SCHEDULE = '1440 MINUTE' AS SELECT 1/0`);
    const before = await client.run(`SHOW PARAMETERS LIKE 'SUSPEND_TASK_AFTER_NUM_FAILURES' IN TASK ${task}`);
    expect(before.rows).toEqual([expect.objectContaining({ key: 'SUSPEND_TASK_AFTER_NUM_FAILURES', value: '10', default: '10', level: '', type: 'NUMBER' })]);
    expect(await client.fail('ALTER ACCOUNT SET SUSPEND_TASK_AFTER_NUM_FAILURES = 1')).toMatchObject({ code: '003001' });
    await client.run('USE ROLE ACCOUNTADMIN');
    await client.run('ALTER ACCOUNT SET SUSPEND_TASK_AFTER_NUM_FAILURES = 1');
    await client.run(`USE ROLE ${standin.defaultUser.role}`);
    try {
      const set = await client.run(`SHOW PARAMETERS LIKE 'suspend_task%' IN TASK ${task}`);
      expect(set.rows).toEqual([expect.objectContaining({ value: '1', level: 'ACCOUNT' })]);
      await client.run(`ALTER TASK ${task} RESUME`);
      expect(await runOnce(task)).toBe('FAILED_AND_AUTO_SUSPENDED');
      expect(await showTask(task)).toMatchObject({ state: 'suspended' });
    } finally {
      await client.run('USE ROLE ACCOUNTADMIN');
      await client.run('ALTER ACCOUNT UNSET SUSPEND_TASK_AFTER_NUM_FAILURES');
      await client.run(`USE ROLE ${standin.defaultUser.role}`);
    }
  });

  it('TASK_HISTORY: RESULT_LIMIT keeps the newest runs, range 1–10000; SCHEDULED_TIME_RANGE_* filter by scheduled time within the last 7 days (https://docs.snowflake.com/en/sql-reference/functions/task_history)', async () => {
    const task = `FID_HISTORY_${suffix}`;
    await client.run(`CREATE OR REPLACE TASK ${task} WAREHOUSE = ${standin.defaultUser.warehouse} SCHEDULE = '1440 MINUTE' AS SELECT 1`);
    await client.run(`ALTER TASK ${task} RESUME`);
    for (let k = 0; k < 3; k++) expect(await runOnce(task)).toBe('SUCCEEDED');
    const all = await history(`TASK_NAME => '${task}'`);
    expect(all.rows.map((r) => r.STATE)).toEqual(['SCHEDULED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const two = await history(`TASK_NAME => '${task}', RESULT_LIMIT => 2`);
    expect(two.rows).toEqual(all.rows.slice(0, 2));
    // An end of CURRENT_TIMESTAMP leaves out the run scheduled in the future.
    const done = await history(`SCHEDULED_TIME_RANGE_END => CURRENT_TIMESTAMP(), TASK_NAME => '${task}'`);
    expect(done.rows.map((r) => r.STATE)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const before = await history(`SCHEDULED_TIME_RANGE_START => DATEADD('day', -2, CURRENT_TIMESTAMP()), SCHEDULED_TIME_RANGE_END => DATEADD('hour', -1, CURRENT_TIMESTAMP()), TASK_NAME => '${task}'`);
    expect(before.rows).toEqual([]);
    const since = await history(`SCHEDULED_TIME_RANGE_START => DATEADD('hour', -1, CURRENT_TIMESTAMP()), TASK_NAME => '${task}'`);
    expect(since.rows).toEqual(all.rows);
    await expect(history(`RESULT_LIMIT => 0, TASK_NAME => '${task}'`)).rejects.toMatchObject({ code: '002031', message: expect.stringMatching(/RESULT_LIMIT/) });
    await expect(history(`RESULT_LIMIT => 10001`)).rejects.toMatchObject({ code: '002031' });
    await expect(history(`SCHEDULED_TIME_RANGE_START => DATEADD('day', -8, CURRENT_TIMESTAMP())`)).rejects.toMatchObject({ code: '002031', message: expect.stringMatching(/last 7 days/) });
    await client.run(`ALTER TASK ${task} SUSPEND`);
  });
});
