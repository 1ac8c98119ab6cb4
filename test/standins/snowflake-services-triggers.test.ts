/**
 * Long-running services and triggered tasks in the stand-in, through the real snowflake-sdk (containers as child
 * processes running the probe job): CREATE SERVICE starts the container, a container that exits is restarted
 * (restart_count, SYSTEM$GET_SERVICE_STATUS), ALTER SERVICE SUSPEND/RESUME, SHOW JOB SERVICES vs EXCLUDE JOBS,
 * DROP SERVICE stops it. Triggered tasks: run when the stream has data, never sooner than the minimum interval,
 * TARGET_COMPLETION_INTERVAL required when serverless, no resume without a schedule or a stream, the account
 * parameter's documented range, and an account without the feature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/until.js';
import { startSnowflakeStandin, type SnowflakeStandin } from '../../standins/snowflake/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';
import { PROBE, SETUP } from '../../standins/snowflake/jobs/fixtures/job-fixtures.js';

let standin: SnowflakeStandin;
let conn: Connection;
const run = async (sql: string) => (await query(conn, sql)).rows;
function serviceSql(name: string, args: string[]): string {
  return `CREATE SERVICE DEMO_DB.PUBLIC.${name} IN COMPUTE POOL SYNC_POOL FROM SPECIFICATION $$
  spec:
    containers:
    - name: main
      image: /demo_db/public/repo/probe:1
      args: ${JSON.stringify(args)}
  $$
  EXTERNAL_ACCESS_INTEGRATIONS = (SYNC_EAI) QUERY_WAREHOUSE = SANDBOX_WH COMMENT = 'test'`;
}
const starts = async (note: string) => Number((await run(`SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.JOB_RUNS WHERE NOTE = '${note}'`))[0]!.N);

beforeAll(async () => {
  standin = await startSnowflakeStandin({ profile: 'full', jobRunner: 'process', processEntry: [process.execPath, PROBE], triggerIntervalFloorSeconds: 1 });
  conn = await connect(standinOptions(standin));
  for (const sql of SETUP) await run(sql);
});
afterAll(async () => {
  await destroy(conn);
  await standin.close();
});

describe('long-running services', () => {
  it('restarts a container that exits, counting restarts', async () => {
    await run(serviceSql('CRASHY', ['--sql', "INSERT INTO DEMO_DB.PUBLIC.JOB_RUNS SELECT 'crashy', CURRENT_ROLE()", '--exit', '3']));
    await until('the condition', async () => (await starts('crashy')) >= 2);
    const [status] = await run("SELECT SYSTEM$GET_SERVICE_STATUS('DEMO_DB.PUBLIC.CRASHY') AS S");
    const containers = JSON.parse(String(status!.S)) as Array<{ containerName: string; restartCount: number }>;
    expect(containers[0]!.containerName).toBe('main');
    expect(containers[0]!.restartCount).toBeGreaterThanOrEqual(1);
    const [row] = await run('SHOW SERVICE CONTAINERS IN SERVICE DEMO_DB.PUBLIC.CRASHY');
    expect(Number(row!.restart_count)).toBeGreaterThanOrEqual(1);
    await run('DROP SERVICE DEMO_DB.PUBLIC.CRASHY');
    const after = await starts('crashy');
    expect(await run("SHOW SERVICES LIKE 'CRASHY' IN SCHEMA DEMO_DB.PUBLIC")).toEqual([]);
    // Dropped: stopped for good (its restart loop ended before DROP returned).
    expect(await starts('crashy')).toBe(after);
  });

  it('suspends and resumes; SHOW JOB SERVICES leaves it out, EXCLUDE JOBS lists only it', async () => {
    await run(serviceSql('STEADY', ['--sql', "INSERT INTO DEMO_DB.PUBLIC.JOB_RUNS SELECT 'steady', CURRENT_ROLE()", '--hold']));
    await until('the condition', async () => (await starts('steady')) === 1);
    expect((await run("SHOW SERVICES EXCLUDE JOBS LIKE 'STEADY' IN SCHEMA DEMO_DB.PUBLIC"))[0]).toMatchObject({ status: 'RUNNING', is_job: 'false', comment: 'test' });
    expect(await run("SHOW JOB SERVICES LIKE 'STEADY' IN SCHEMA DEMO_DB.PUBLIC")).toEqual([]);
    await run('ALTER SERVICE DEMO_DB.PUBLIC.STEADY SUSPEND');
    expect((await run("SHOW SERVICES LIKE 'STEADY' IN SCHEMA DEMO_DB.PUBLIC"))[0]).toMatchObject({ status: 'SUSPENDED', current_instances: '0' });
    await run('ALTER SERVICE DEMO_DB.PUBLIC.STEADY RESUME');
    await until('the condition', async () => (await starts('steady')) === 2);
    expect((await run("SHOW SERVICES LIKE 'STEADY' IN SCHEMA DEMO_DB.PUBLIC"))[0]).toMatchObject({ status: 'RUNNING' });
    await expect(run(serviceSql('STEADY', ['--hold']))).rejects.toMatchObject({ code: '002002' });
    await run('DROP SERVICE DEMO_DB.PUBLIC.STEADY');
  });

  it('refuses OR REPLACE (not in the grammar) and properties out of the documented order', async () => {
    await expect(run(serviceSql('X', []).replace('CREATE SERVICE', 'CREATE OR REPLACE SERVICE'))).rejects.toBeTruthy();
    await expect(run(serviceSql('X', []).replace("QUERY_WAREHOUSE = SANDBOX_WH COMMENT = 'test'", "COMMENT = 'test' QUERY_WAREHOUSE = SANDBOX_WH"))).rejects.toMatchObject({ code: '001003' });
  });
});

describe('triggered tasks', () => {
  const body = "AS INSERT INTO DEMO_DB.PUBLIC.JOB_RUNS SELECT 'trig', CURRENT_ROLE() FROM DEMO_DB.PUBLIC.T_STREAM";

  it('needs TARGET_COMPLETION_INTERVAL when serverless; without a SCHEDULE or a stream it cannot be resumed', async () => {
    await run('CREATE TABLE DEMO_DB.PUBLIC.T (ID INT)');
    await run('CREATE STREAM DEMO_DB.PUBLIC.T_STREAM ON TABLE DEMO_DB.PUBLIC.T');
    await expect(run(`CREATE TASK DEMO_DB.PUBLIC.TRIG WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.T_STREAM') ${body}`)).rejects.toMatchObject({ code: '001003' });
    await run(`CREATE TASK DEMO_DB.PUBLIC.NOTHING ${body}`);
    await expect(run('ALTER TASK DEMO_DB.PUBLIC.NOTHING RESUME')).rejects.toThrow(/no SCHEDULE/);
  });

  it('the account parameter: documented default 30, range enforced', async () => {
    expect((await run("SHOW PARAMETERS LIKE 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS' IN ACCOUNT"))[0]).toMatchObject({ value: '30', default: '30' });
    await expect(run('ALTER ACCOUNT SET USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = 5')).rejects.toMatchObject({ code: '003001' }); // SYSADMIN
    await standin.runtime!.runAsAdmin('ALTER ACCOUNT SET USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = 2');
    await expect(standin.runtime!.runAsAdmin('ALTER ACCOUNT SET USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS = 0')).rejects.toThrow(/invalid value/);
    expect((await run("SHOW PARAMETERS LIKE 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS' IN ACCOUNT"))[0]).toMatchObject({ value: '2', level: 'ACCOUNT' });
  });

  it('runs when the stream has data, no sooner than the minimum interval after the previous start', async () => {
    // On a warehouse (the stand-in runs a DML body only there): no TARGET_COMPLETION_INTERVAL needed.
    await run(`CREATE TASK DEMO_DB.PUBLIC.TRIG WAREHOUSE = SANDBOX_WH WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.T_STREAM') ${body}`);
    await run('ALTER TASK DEMO_DB.PUBLIC.TRIG RESUME');
    await run('INSERT INTO DEMO_DB.PUBLIC.T VALUES (1)');
    await until('the condition', async () => (await starts('trig')) === 1);
    await run('INSERT INTO DEMO_DB.PUBLIC.T VALUES (2)');
    await until('the condition', async () => (await starts('trig')) === 2);
    const runs = await run("SELECT SCHEDULED_FROM, STATE, SCHEDULED_TIME FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'TRIG')) WHERE STATE = 'SUCCEEDED' ORDER BY SCHEDULED_TIME");
    expect(runs.map((r) => r.SCHEDULED_FROM)).toEqual(['TRIGGER', 'TRIGGER']);
    expect((runs[1]!.SCHEDULED_TIME as Date).getTime() - (runs[0]!.SCHEDULED_TIME as Date).getTime()).toBeGreaterThanOrEqual(2000);
    await run('ALTER TASK DEMO_DB.PUBLIC.TRIG SUSPEND');
  });
});

describe('an account without triggered tasks', () => {
  it('refuses a task with no SCHEDULE and a stream in WHEN, and has no such parameter', async () => {
    const off = await startSnowflakeStandin({ profile: 'full', triggeredTasks: false });
    const c = await connect(standinOptions(off));
    try {
      await query(c, 'CREATE TABLE DEMO_DB.PUBLIC.T (ID INT)');
      await query(c, 'CREATE STREAM DEMO_DB.PUBLIC.T_STREAM ON TABLE DEMO_DB.PUBLIC.T');
      await expect(query(c, `CREATE TASK DEMO_DB.PUBLIC.TRIG TARGET_COMPLETION_INTERVAL = '5 MINUTES' WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.T_STREAM') AS SELECT 1`)).rejects.toThrow(/Triggered tasks are not available/);
      expect((await query(c, "SHOW PARAMETERS LIKE 'USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS' IN ACCOUNT")).rows).toEqual([]);
    } finally {
      await destroy(c);
      await off.close();
    }
  });
});
