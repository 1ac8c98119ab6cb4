/**
 * The real sync worker as an SPCS job (process runner, default entry worker/main.ts): a task with the wizard's
 * shape (WHEN SYSTEM$STREAM_HAS_DATA, EXECUTE JOB SERVICE with a secret for the REST API key) runs it; the worker
 * authenticates back with the token file through shared/snowflake/client.ts, reads the stream and pushes the
 * profiles to the Batch sandbox; the next run is SKIPPED because the stream was consumed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../standins/index.js';
import { connect, destroy, query, standinOptions, type Connection } from '../../standins/snowflake/driver-helpers.js';

let sandbox: Sandbox;
let conn: Connection;
const run = async (sql: string) => (await query(conn, sql)).rows;

beforeAll(async () => {
  sandbox = await startSandbox({ snowflake: { profile: 'full', jobRunner: 'process' } });
  conn = await connect(standinOptions(sandbox.snowflake));
  const { projectKey, restApiKey, apiUrl } = sandbox.batch;
  for (const sql of [
    'CREATE COMPUTE POOL SYNC_POOL MIN_NODES = 1 MAX_NODES = 1 INSTANCE_FAMILY = CPU_X64_XS INITIALLY_SUSPENDED = TRUE',
    'CREATE IMAGE REPOSITORY DEMO_DB.PUBLIC.REPO',
    'CREATE STREAM DEMO_DB.PUBLIC.PROFILE_STREAM ON VIEW DEMO_DB.PUBLIC.CUSTOMER_PROFILES SHOW_INITIAL_ROWS = TRUE',
    `CREATE SECRET DEMO_DB.PUBLIC.BATCH_KEY TYPE = GENERIC_STRING SECRET_STRING = '${restApiKey}'`,
    `CREATE TASK DEMO_DB.PUBLIC.SYNC_TASK WAREHOUSE = SANDBOX_WH SCHEDULE = 'USING CRON 7 * * * * UTC'
      WHEN SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.PROFILE_STREAM')
    AS EXECUTE JOB SERVICE IN COMPUTE POOL SYNC_POOL QUERY_WAREHOUSE = SANDBOX_WH FROM SPECIFICATION $$
    spec:
      containers:
      - name: batch-sync
        image: /demo_db/public/repo/batch-sync:1
        args: ["--project-key", "${projectKey}", "--source-stream", "DEMO_DB.PUBLIC.PROFILE_STREAM", "--id-column", "CUSTOMER_ID"]
        env:
          BATCH_API_URL: ${apiUrl}
        secrets:
        - snowflakeSecret:
            objectName: DEMO_DB.PUBLIC.BATCH_KEY
          secretKeyRef: secret_string
          envVarName: BATCH_REST_API_KEY
    $$`,
  ]) await run(sql);
}, 60_000);

afterAll(async () => {
  await destroy(conn);
  await sandbox.close();
});

describe('the sync worker as a job service run by a task', () => {
  it('syncs the stream to Batch, then skips while the stream is empty', async () => {
    const tasks = sandbox.snowflake.runtime!.tasks;
    let after = tasks.lastRunSeq();
    await run('EXECUTE TASK DEMO_DB.PUBLIC.SYNC_TASK');
    const first = await tasks.waitForRun('SYNC_TASK', { after, timeoutMs: 90_000 });
    // SPCS_JOB_ID is the job's SERVICE_ID (a NUMBER, bcr-2182).
    const job = first.spcsJobId === null ? '' : (sandbox.snowflake.runtime!.jobs.byId(first.spcsJobId)?.name ?? '');
    const logs = job ? String((await run(`SELECT SYSTEM$GET_SERVICE_LOGS('${job}', 0, 'batch-sync') AS L`))[0]!.L) : '';
    expect(first.state, `${first.errorMessage ?? ''}\n${logs}`).toBe('SUCCEEDED');
    expect(sandbox.batch.profiles()).toHaveLength(1000);
    expect(logs).toContain('SPCS OAuth session token');
    expect(logs).not.toContain(sandbox.batch.restApiKey);
    expect(await run("SELECT SYSTEM$STREAM_HAS_DATA('DEMO_DB.PUBLIC.PROFILE_STREAM') AS D")).toEqual([{ D: false }]);

    after = tasks.lastRunSeq();
    await run('EXECUTE TASK DEMO_DB.PUBLIC.SYNC_TASK');
    expect(await tasks.waitForRun('SYNC_TASK', { after })).toMatchObject({ state: 'SKIPPED' });
    const states = await run("SELECT STATE FROM TABLE(INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'SYNC_TASK')) ORDER BY SCHEDULED_TIME DESC");
    expect(states.map((r) => r.STATE)).toEqual(['SKIPPED', 'SUCCEEDED']);
  }, 120_000);
});
