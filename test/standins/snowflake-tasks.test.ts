/**
 * Job services and tasks through the real snowflake-sdk, containers run as child processes (the process runner):
 * EXECUTE JOB SERVICE (synchronous, §3.1), logs (§3.4), SHOW TASKS, EXECUTE TASK, WHEN conditions, schedules with
 * accelerated time, TASK_HISTORY columns and states (§5.3). The job is standins/snowflake/jobs/fixtures/
 * job-probe.mjs, which logs back in with its session token file over OAuth.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';
import { jobSql, PROBE, SECRET_VALUE, SETUP } from '../../standins/snowflake/jobs/fixtures/job-fixtures.js';

let standin: SnowflakeStandin;
let conn: Connection;
const run = async (sql: string) => (await query(conn, sql)).rows;
const history = (task: string) => run(`SELECT * FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => '${task}', RESULT_LIMIT => 10)) ORDER BY SCHEDULED_TIME DESC`);

beforeAll(async () => {
  standin = await startSnowflakeStandin({ profile: 'full', jobRunner: 'process', processEntry: [process.execPath, PROBE], taskTimeScale: 600 });
  conn = await connect(standinOptions(standin));
  for (const sql of SETUP) await run(sql);
});

afterAll(async () => {
  await destroy(conn);
  await standin.close();
});

describe('EXECUTE JOB SERVICE', () => {
  it('waits for the job, which logs back in with its token as the owner role; logs keep its output, never the secret', async () => {
    expect(await run(jobSql({ name: 'PROBE_JOB', note: 'direct' }))).toEqual([{ status: 'Job PROBE_JOB completed successfully with status: DONE.' }]);
    expect(await run("SELECT ROLE_NAME FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'direct'")).toEqual([{ ROLE_NAME: 'SYSADMIN' }]);
    const [logs] = await run("SELECT SYSTEM$GET_SERVICE_LOGS('PROBE_JOB', 0, 'main') AS LOGS");
    expect(logs!.LOGS).toContain('connected as role SYSADMIN');
    expect(logs!.LOGS).toContain(`env API_KEY: set (${SECRET_VALUE.length} chars)`);
    expect(logs!.LOGS).not.toContain(SECRET_VALUE);
    const [last] = await run("SELECT SYSTEM$GET_SERVICE_LOGS('DEMO_DB.PUBLIC.PROBE_JOB', 0, 'main', 1) AS LOGS");
    expect(last!.LOGS).toMatch(/^INSERT INTO .* -> /);
    expect((await run("SHOW JOB SERVICES LIKE 'PROBE_JOB'"))[0]).toMatchObject({ status: 'DONE', compute_pool: 'SYNC_POOL', owner: 'SYSADMIN', is_job: 'true', external_access_integrations: '["SYNC_EAI"]', query_warehouse: 'SANDBOX_WH' });
    expect(await run('SHOW SERVICE CONTAINERS IN SERVICE PROBE_JOB')).toEqual([expect.objectContaining({ container_name: 'main', status: 'DONE', message: 'Completed successfully' })]);
  });

  it('refuses a second job with the same name until it is dropped', async () => {
    await expect(run(jobSql({ name: 'PROBE_JOB', note: 'again' }))).rejects.toMatchObject({ code: '002002' });
    await run('DROP SERVICE PROBE_JOB');
    await expect(run('DESCRIBE SERVICE PROBE_JOB')).rejects.toMatchObject({ code: '002003' });
    await run(jobSql({ name: 'PROBE_JOB', note: 'again' }));
    expect(await run("SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'again'")).toEqual([{ N: 1 }]);
  });

  it('fails with the container error when the job exits non-zero', async () => {
    await expect(run(jobSql({ name: 'FAILING_JOB', exit: 3, note: 'bad input' }))).rejects.toMatchObject({
      code: '100357',
      message: expect.stringMatching(/Job FAILING_JOB completed with status: FAILED\. Container 'main' exited with code 3\.[\s\S]*boom: bad input/),
    });
    expect((await run("SHOW JOB SERVICES LIKE 'FAILING_JOB'"))[0]).toMatchObject({ status: 'FAILED' });
    expect((await run("SELECT SYSTEM$GET_SERVICE_LOGS('FAILING_JOB', 0, 'main') AS L"))[0]!.L).toContain('boom: bad input');
  });

  it('SHOW JOB SERVICES IN SCHEMA / DATABASE / COMPUTE POOL lists only the jobs there; a missing scope is an error', async () => {
    const names = async (sql: string) => (await run(sql)).map((r) => r.name).filter((n) => n === 'PROBE_JOB' || n === 'FAILING_JOB').sort();
    expect(await names('SHOW JOB SERVICES IN SCHEMA DEMO_DB.PUBLIC')).toEqual(['FAILING_JOB', 'PROBE_JOB']);
    expect(await names('SHOW SERVICES IN DATABASE DEMO_DB')).toEqual(['FAILING_JOB', 'PROBE_JOB']);
    expect(await names('SHOW JOB SERVICES IN COMPUTE POOL SYNC_POOL')).toEqual(['FAILING_JOB', 'PROBE_JOB']);
    expect(await names("SHOW JOB SERVICES LIKE 'PROBE%' IN ACCOUNT")).toEqual(['PROBE_JOB']);
    expect(await names('SHOW SERVICES EXCLUDE JOBS IN ACCOUNT')).toEqual([]);
    await run('CREATE SCHEMA IF NOT EXISTS DEMO_DB.NO_JOBS_HERE');
    await run('USE SCHEMA DEMO_DB.PUBLIC'); // CREATE SCHEMA made the new one current
    expect(await run('SHOW JOB SERVICES IN SCHEMA DEMO_DB.NO_JOBS_HERE')).toEqual([]);
    await expect(run('SHOW JOB SERVICES IN SCHEMA DEMO_DB.NO_SUCH_SCHEMA')).rejects.toMatchObject({ code: '002003' });
    await expect(run('SHOW JOB SERVICES IN COMPUTE POOL NO_SUCH_POOL')).rejects.toMatchObject({ code: '002003' });
  });

  it('ALTER COMPUTE POOL … STOP ALL stops the running jobs on that pool (CANCELLED), finished ones keep their status', async () => {
    expect(await run(jobSql({ name: 'HELD_JOB', note: 'held', hold: true, async: true }))).toEqual([{ status: 'Job HELD_JOB started.' }]);
    const status = async (name: string) => (await run(`SHOW JOB SERVICES LIKE '${name}'`))[0]?.status;
    // Running once its row is written (the probe then holds until it is killed).
    await until('the condition', async () => (await run("SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'held'"))[0]?.N === 1);
    expect(await status('HELD_JOB')).toBe('RUNNING');
    await run('ALTER COMPUTE POOL SYNC_POOL STOP ALL');
    await until('the condition', async () => (await status('HELD_JOB')) === 'CANCELLED');
    expect(await run('SHOW SERVICE CONTAINERS IN SERVICE HELD_JOB')).toEqual([expect.objectContaining({ status: 'CANCELLED' })]);
    expect(await status('PROBE_JOB')).toBe('DONE');
    expect(await status('FAILING_JOB')).toBe('FAILED');
    await run('DROP SERVICE HELD_JOB');
  });

  it('follows the documented parameter order and needs existing objects', async () => {
    const misplaced = jobSql({ note: 'x' }).replace('EXTERNAL_ACCESS_INTEGRATIONS = (SYNC_EAI)', '') + ' EXTERNAL_ACCESS_INTEGRATIONS = (SYNC_EAI)';
    await expect(run(misplaced)).rejects.toMatchObject({ code: '001003' });
    // The grammar block's order (specification right after the pool, properties after it) is not what the usage
    // note, the examples and the tutorial write; the stand-in takes the note's order only (job-spec.ts).
    const spec = /FROM SPECIFICATION \$\$[\s\S]*\$\$/.exec(jobSql({ note: 'x' }))![0];
    const grammarOrder = `EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL ${spec} QUERY_WAREHOUSE = SANDBOX_WH EXTERNAL_ACCESS_INTEGRATIONS = (SYNC_EAI)`;
    await expect(run(grammarOrder)).rejects.toMatchObject({ code: '001003' });
    await expect(run(jobSql({ note: 'x' }).replace('QUERY_WAREHOUSE', 'ASYNC = MAYBE QUERY_WAREHOUSE'))).rejects.toMatchObject({ code: '001003' });
    await expect(run(jobSql({ note: 'x' }).replace('QUERY_WAREHOUSE', 'QUERY_WAREHOUS'))).rejects.toMatchObject({ code: '001003' });
    await expect(run(jobSql({ note: 'x' }).replace('SYNC_POOL', 'NO_POOL'))).rejects.toMatchObject({ code: '002003', message: expect.stringContaining("Compute pool 'NO_POOL' does not exist") });
    await expect(run(jobSql({ note: 'x', image: '/demo_db/public/no_repo/probe:1' }))).rejects.toMatchObject({ code: '002003' });
  });
});

describe('tasks', () => {
  it('stores a task suspended, EXECUTE TASK runs it now and TASK_HISTORY records success and failure', async () => {
    await run(`CREATE TASK DEMO_DB.PUBLIC.SYNC_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'task' })}`);
    const [shown] = await run("SHOW TASKS LIKE 'SYNC_TASK' IN SCHEMA DEMO_DB.PUBLIC");
    expect(shown).toMatchObject({ state: 'suspended', schedule: '60 MINUTE', warehouse: 'SANDBOX_WH', owner: 'SYSADMIN', condition: null });
    expect(String(shown!.definition)).toMatch(/^EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL/);
    const tasks = standin.runtime!.tasks;
    const after = tasks.lastRunSeq();
    expect(await run('EXECUTE TASK DEMO_DB.PUBLIC.SYNC_TASK')).toEqual([{ status: 'Task SYNC_TASK is scheduled to run immediately.' }]);
    expect(await tasks.waitForRun('SYNC_TASK', { after })).toMatchObject({ state: 'SUCCEEDED' });
    const [ok] = await history('SYNC_TASK');
    expect(ok).toMatchObject({ NAME: 'SYNC_TASK', DATABASE_NAME: 'DEMO_DB', SCHEMA_NAME: 'PUBLIC', STATE: 'SUCCEEDED', ERROR_CODE: null, SCHEDULED_FROM: 'EXECUTE TASK', ATTEMPT_NUMBER: 1 });
    // SPCS_JOB_ID is a NUMBER, the job's SERVICE_ID in ACCOUNT_USAGE.SERVICES (bcr-2182, 2026_02).
    expect(typeof ok!.SPCS_JOB_ID).toBe('number');
    const byId = `SELECT SERVICE_CATALOG, SERVICE_SCHEMA, SERVICE_NAME, IS_JOB FROM SNOWFLAKE.ACCOUNT_USAGE.SERVICES WHERE SERVICE_ID = ${ok!.SPCS_JOB_ID}`;
    // The SNOWFLAKE database is ACCOUNTADMIN's unless IMPORTED PRIVILEGES were granted.
    await expect(run(byId)).rejects.toThrow(/SNOWFLAKE.ACCOUNT_USAGE.SERVICES' does not exist or not authorized/);
    await run('USE ROLE ACCOUNTADMIN');
    try {
      expect(await run(byId)).toEqual([{ SERVICE_CATALOG: 'DEMO_DB', SERVICE_SCHEMA: 'PUBLIC', SERVICE_NAME: expect.stringMatching(/^JOB_[0-9A-F]{32}$/), IS_JOB: true }]);
    } finally {
      await run('USE ROLE SYSADMIN');
    }
    expect(ok!.QUERY_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok!.COMPLETED_TIME).toBeInstanceOf(Date);
    expect(Object.keys(ok!).slice(0, 13)).toEqual(['QUERY_ID', 'NAME', 'DATABASE_NAME', 'SCHEMA_NAME', 'QUERY_TEXT', 'CONDITION_TEXT', 'STATE', 'ERROR_CODE', 'ERROR_MESSAGE', 'SCHEDULED_TIME', 'QUERY_START_TIME', 'NEXT_SCHEDULED_TIME', 'COMPLETED_TIME']);
    expect(await run("SELECT ROLE_NAME FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'task'")).toEqual([{ ROLE_NAME: 'SYSADMIN' }]);

    await run(`CREATE OR REPLACE TASK DEMO_DB.PUBLIC.SYNC_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'task failure', exit: 5 })}`);
    const before = tasks.lastRunSeq();
    await run('EXECUTE TASK SYNC_TASK');
    expect(await tasks.waitForRun('SYNC_TASK', { after: before })).toMatchObject({ state: 'FAILED' });
    const [failed] = await history('SYNC_TASK');
    expect(failed).toMatchObject({ STATE: 'FAILED', ERROR_CODE: '100357' });
    expect(failed!.ERROR_MESSAGE).toMatch(/exited with code 5\.[\s\S]*boom: task failure/);
    expect((await history('SYNC_TASK')).map((r) => r.STATE)).toEqual(['FAILED', 'SUCCEEDED']);
  });

  it('skips a run whose WHEN condition is false, as Snowflake does', async () => {
    await run('CREATE TABLE DEMO_DB.PUBLIC.SOURCE (ID INT)');
    await run('CREATE STREAM DEMO_DB.PUBLIC.SOURCE_STREAM ON TABLE DEMO_DB.PUBLIC.SOURCE');
    await run(`CREATE TASK DEMO_DB.PUBLIC.WHEN_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = 'USING CRON 7 * * * * UTC'
      WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.SOURCE_STREAM') AS ${jobSql({ note: 'when' })}`);
    expect((await run("SHOW TASKS LIKE 'WHEN_TASK'"))[0]!.condition).toBe("SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.SOURCE_STREAM')");
    const tasks = standin.runtime!.tasks;
    let after = tasks.lastRunSeq();
    await run('EXECUTE TASK WHEN_TASK');
    expect(await tasks.waitForRun('WHEN_TASK', { after })).toMatchObject({ state: 'SKIPPED', spcsJobId: null });
    await run('INSERT INTO DEMO_DB.PUBLIC.SOURCE VALUES (1)');
    after = tasks.lastRunSeq();
    await run('EXECUTE TASK WHEN_TASK');
    expect(await tasks.waitForRun('WHEN_TASK', { after })).toMatchObject({ state: 'SUCCEEDED' });
    expect((await history('WHEN_TASK')).map((r) => r.STATE)).toEqual(['SUCCEEDED', 'SKIPPED']);
  });

  it('runs a serverless job task (no WAREHOUSE, the documented form); its owner needs EXECUTE MANAGED TASK', async () => {
    // https://docs.snowflake.com/en/developer-guide/snowpark-container-services/jobs-as-tasks: "Snowflake job tasks
    // supports the Serverless model, so you don't specify a warehouse"; the job's own queries use QUERY_WAREHOUSE.
    await run(`CREATE TASK DEMO_DB.PUBLIC.SERVERLESS_TASK SCHEDULE = '60 MINUTE' AS ${jobSql({ note: 'serverless' })}`);
    expect((await run("SHOW TASKS LIKE 'SERVERLESS_TASK' IN SCHEMA DEMO_DB.PUBLIC"))[0]).toMatchObject({ warehouse: null, schedule: '60 MINUTE' });
    const tasks = standin.runtime!.tasks;
    const after = tasks.lastRunSeq();
    await run('EXECUTE TASK DEMO_DB.PUBLIC.SERVERLESS_TASK');
    expect(await tasks.waitForRun('SERVERLESS_TASK', { after })).toMatchObject({ state: 'SUCCEEDED' });
    expect(await run("SELECT ROLE_NAME FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = 'serverless'")).toEqual([{ ROLE_NAME: 'SYSADMIN' }]);
    await run('USE ROLE ACCOUNTADMIN');
    await run('REVOKE EXECUTE MANAGED TASK ON ACCOUNT FROM ROLE SYSADMIN');
    await run('USE ROLE SYSADMIN');
    try {
      await expect(run('EXECUTE TASK DEMO_DB.PUBLIC.SERVERLESS_TASK')).rejects.toThrow(/EXECUTE MANAGED TASK privilege must be granted to owner role/);
      await expect(run('ALTER TASK DEMO_DB.PUBLIC.SERVERLESS_TASK RESUME')).rejects.toThrow(/EXECUTE MANAGED TASK/);
    } finally {
      await run('USE ROLE ACCOUNTADMIN');
      await run('GRANT EXECUTE MANAGED TASK ON ACCOUNT TO ROLE SYSADMIN');
      await run('USE ROLE SYSADMIN');
    }
  });

  it('runs when either of two streams has data (WHEN … OR …, the documented example), skips when neither has', async () => {
    await run('CREATE TABLE DEMO_DB.PUBLIC.SOURCE_A (ID INT)');
    await run('CREATE TABLE DEMO_DB.PUBLIC.MARKER_B (ID INT)');
    await run('CREATE STREAM DEMO_DB.PUBLIC.A_STREAM ON TABLE DEMO_DB.PUBLIC.SOURCE_A');
    await run('CREATE STREAM DEMO_DB.PUBLIC.B_STREAM ON TABLE DEMO_DB.PUBLIC.MARKER_B APPEND_ONLY = TRUE');
    await run(`CREATE TASK DEMO_DB.PUBLIC.OR_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = 'USING CRON 7 * * * * UTC'
      WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.A_STREAM') OR SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.B_STREAM') AS SELECT 1`);
    const tasks = standin.runtime!.tasks;
    const runOnce = async () => {
      const after = tasks.lastRunSeq();
      await run('EXECUTE TASK OR_TASK');
      return (await tasks.waitForRun('OR_TASK', { after })).state;
    };
    expect(await runOnce()).toBe('SKIPPED');
    await run('INSERT INTO DEMO_DB.PUBLIC.MARKER_B VALUES (1)');
    expect(await runOnce()).toBe('SUCCEEDED');
    // Consumed (a DML that reads the stream, writing nothing), then the marker rows deleted: an append-only
    // stream does not record the delete, so the condition is false again.
    await run('INSERT INTO DEMO_DB.PUBLIC.MARKER_B SELECT ID FROM DEMO_DB.PUBLIC.B_STREAM WHERE FALSE');
    await run('DELETE FROM DEMO_DB.PUBLIC.MARKER_B');
    expect(await runOnce()).toBe('SKIPPED');
  });

  it('refuses a WHEN condition outside the documented subset (a subquery needs a warehouse)', async () => {
    await run('CREATE TABLE DEMO_DB.PUBLIC.OUTBOX_X (ID INT)');
    await expect(run(`CREATE TASK DEMO_DB.PUBLIC.BAD_WHEN_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE'
      WHEN (SELECT COUNT(*) FROM DEMO_DB.PUBLIC.OUTBOX_X) > 0 AS SELECT 1`)).rejects.toThrow(/not supported in a task's WHEN clause/);
    await expect(run(`CREATE TASK DEMO_DB.PUBLIC.BAD_WHEN_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE'
      WHEN PARSE_JSON('{}') IS NOT NULL AS SELECT 1`)).rejects.toThrow(/'PARSE_JSON' is not supported/);
    expect(await run("SHOW TASKS LIKE 'BAD_WHEN_TASK'")).toEqual([]);
    await run(`CREATE TASK DEMO_DB.PUBLIC.CAST_WHEN_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '60 MINUTE'
      WHEN NOT SYSTEM$GET_PREDECESSOR_RETURN_VALUE('T')::BOOLEAN AS SELECT 1`);
  });

  it('shows the next run of a started task as SCHEDULED in TASK_HISTORY', async () => {
    await run("CREATE TASK DEMO_DB.PUBLIC.DAILY_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '1440 MINUTE' AS SELECT 1");
    // Accelerated time (×600) runs on while RESUME travels: the resume instant lies between these two readings.
    const before = standin.runtime!.tasks.scheduler.now().getTime();
    await run('ALTER TASK DEMO_DB.PUBLIC.DAILY_TASK RESUME');
    const after = standin.runtime!.tasks.scheduler.now().getTime();
    const [next] = await history('DAILY_TASK');
    expect(next).toMatchObject({ STATE: 'SCHEDULED', QUERY_ID: null, COMPLETED_TIME: null, SCHEDULED_FROM: 'SCHEDULE' });
    const due = (next!.SCHEDULED_TIME as Date).getTime();
    expect(due).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
    expect(due).toBeLessThanOrEqual(after + 86_400_000 + 1000);
    await run('ALTER TASK DEMO_DB.PUBLIC.DAILY_TASK SUSPEND');
    expect(await history('DAILY_TASK')).toEqual([]);
  });

  it('runs a started task on its schedule (accelerated time) until it is suspended', async () => {
    await run(`CREATE TASK DEMO_DB.PUBLIC.TIMED_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = '1 MINUTE' AS ${jobSql({ note: 'timed' })}`);
    const tasks = standin.runtime!.tasks;
    const after = tasks.lastRunSeq();
    await run('ALTER TASK DEMO_DB.PUBLIC.TIMED_TASK RESUME');
    expect((await run("SHOW TASKS LIKE 'TIMED_TASK'"))[0]).toMatchObject({ state: 'started' });
    const done = await tasks.waitForRun('TIMED_TASK', { after });
    expect(done).toMatchObject({ state: 'SUCCEEDED', scheduledFrom: 'SCHEDULE' });
    await run('ALTER TASK TIMED_TASK SUSPEND');
    expect((await run("SHOW TASKS LIKE 'TIMED_TASK'"))[0]).toMatchObject({ state: 'suspended' });
    const rows = await history('TIMED_TASK');
    expect(rows.some((r) => r.STATE === 'SUCCEEDED' && r.SCHEDULED_FROM === 'SCHEDULE')).toBe(true);
    expect(rows.some((r) => r.STATE === 'SCHEDULED')).toBe(false);
  });
});
