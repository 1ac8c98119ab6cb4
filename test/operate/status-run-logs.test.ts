import { answersOf } from '../../src/config/project-config.js';
/**
 * status / run / logs end to end: the real CLI and snowflake-sdk against the Snowflake stand-in, whose task
 * runs the real worker as the job container and sends to the Batch sandbox. One install, in order:
 * before the first run → healthy run → logs → rejected values → a failing run (wrong REST API key).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATE_EXIT_CODES } from '../../src/operate/verdict.js';
import { cli, count, install, STREAM, TASK, type Installed } from './helpers/installed.js';
import { resolveRunJob } from '../../src/operate/job-resolve.js';
import { resolveNames } from '../../src/plan/names.js';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
  // The documented way to let a role read SNOWFLAKE.ACCOUNT_USAGE (job by SERVICE_ID); without it, the run
  // window is the fallback (tested below with an id Account Usage does not have).
  await inst.admin.query('USE ROLE ACCOUNTADMIN');
  await inst.admin.query(`GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${inst.config.project.role}`);
  await inst.admin.query('USE ROLE SYSADMIN');
}, 60_000);
afterAll(async () => inst?.close());

describe('before the first run', () => {
  it('status: healthy, next `run`, 1000 pending changes counted without consuming the stream', async () => {
    const first = await cli(inst, ['status', '--json']);
    expect(first.code).toBe(0);
    const { result } = first.json();
    expect(result.verdict).toEqual({ level: 'healthy', reasons: ['installed; no finished run yet'], next: 'batch-snowflake run' });
    expect(result.task).toMatchObject({ name: TASK, exists: true, state: 'started', schedule: '60 MINUTE', autoSuspended: false });
    expect(Date.parse(result.task.nextRun)).toBeGreaterThan(Date.now());
    expect(result.pending).toEqual({ streamHasData: true, streamRows: 1000, outboxRows: null });
    expect(result.stream).toMatchObject({ name: STREAM, exists: true, stale: false, staleSoon: false });
    expect(result.runs).toEqual([]);
    // The stand-in does not implement SHOW IMAGES: the tag cannot be verified, and status says so.
    expect(result.image).toEqual({ deployedTag: '0.1.0', taskTag: '0.1.0', inRepository: null });
    expect(result.notes).toContain('Could not list the images of the repository (SHOW IMAGES): not verified that batch-snowflake-worker:0.1.0 in DEMO_DB.BATCH_SYNC.BATCH_SYNC_REPOSITORY was pushed.');
    // Counting twice gives the same answer, and the stream still holds every change: SELECT does not consume.
    expect((await cli(inst, ['status', '--json'])).json().result.pending.streamRows).toBe(1000);
    expect(await count(inst.admin, `SELECT COUNT(*) AS N FROM ${STREAM}`)).toBe(1000);
  });

  it('logs: nothing to show yet, with the command that makes a run', async () => {
    const { code, stderr } = await cli(inst, ['logs']);
    expect(code).toBe(5);
    expect(stderr).toContain('The task has not run yet');
    expect(stderr).toContain('batch-snowflake run');
  });
});

describe('a healthy run', () => {
  let runId: string;

  it('run: EXECUTE TASK, waits for the job, prints the summary from the runs table', async () => {
    const { code, stdout, stderr } = await cli(inst, ['run', '--timeout', '120']);
    expect(stderr).toContain(`Started ${TASK} (EXECUTE TASK)`);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^Run [0-9a-f-]{36}: succeeded in /);
    expect(stdout).toContain('rows captured 1000, profiles sent 1000, rejected 0');
    runId = /^Run ([0-9a-f-]{36})/.exec(stdout)![1]!;
    expect(inst.sandbox.batch.profiles()).toHaveLength(1000);
    expect(inst.statements.filter((s) => /^EXECUTE TASK/i.test(s))).toEqual([`EXECUTE TASK ${TASK}`]);
  });

  it('status: healthy, nothing to do, the run with its counts; the stream is consumed', async () => {
    const { code, stdout } = await cli(inst, ['status']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^✔ healthy — last run succeeded at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(stdout.split('\n')[1]).toBe('  nothing to do');
    expect(stdout).toMatch(new RegExp(`succeeded\\s+\\S+\\s+1000\\s+1000\\s+0\\s+${runId}`));
    expect(stdout).toContain('0 pending change(s)');
    expect(stdout).toContain('Outbox   0 captured change(s) not yet sent');
  });

  it('logs: the worker log of the last run, formatted; --run selects it by RUN ID; --json has the raw lines', async () => {
    const last = await cli(inst, ['logs']);
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(new RegExp(`INFO  run\\.start runId=${runId}`));
    expect(last.stdout).toMatch(/INFO  send\.done .*profilesSent=1000/);
    expect(last.stdout).not.toContain(inst.sandbox.connection.batch.restApiKey);
    const chosen = await cli(inst, ['logs', '--run', runId, '--lines', '2', '--json']);
    const { result } = chosen.json();
    expect(result.run).toMatchObject({ id: runId, outcome: 'succeeded' });
    // TASK_HISTORY.SPCS_JOB_ID is the job's numeric SERVICE_ID (bcr-2182), resolved to the job's name.
    expect(result.jobId).toMatch(/^\d+$/);
    expect(result.job).toMatch(/^DEMO_DB\.BATCH_SYNC\.JOB_/);
    expect(result.via).toBe('account-usage');
    expect(result.lines).toHaveLength(2);
    expect(JSON.parse(result.lines[1]).event).toBe('run.summary');
  });

  it('the job of a run: by SERVICE_ID, by the run window while Account Usage lags, else an error naming the GRANT', async () => {
    const { result } = (await cli(inst, ['logs', '--json'])).json();
    const names = resolveNames(answersOf(inst.config, 'default')!);
    const run = { spcsJobId: result.jobId as string, startedAt: result.run.taskStartedAt as string, endedAt: result.run.endedAt as string };
    expect(await resolveRunJob(inst.admin, names, run)).toEqual({ name: result.job, via: 'account-usage' });
    // An id Account Usage does not show yet: the one job created in our schema while the run ran.
    expect(await resolveRunJob(inst.admin, names, { ...run, spcsJobId: '999999999999' })).toEqual({ name: result.job, via: 'run-window' });
    const error = await resolveRunJob(inst.admin, names, { spcsJobId: '999999999999', startedAt: '2001-01-01T00:00:00Z', endedAt: '2001-01-01T00:05:00Z' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'JOB_NOT_RESOLVED' });
    expect((error as Error).message).toContain('ACCOUNT_USAGE.SERVICES has no service 999999999999 yet');
    expect((error as { suggestion: string }).suggestion).toContain('GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE');
  });

  it('logs --run with an unknown id: usage error that says how to list runs', async () => {
    const { code, json } = await cli(inst, ['logs', '--run', 'no-such-run', '--json']);
    expect(code).toBe(2);
    expect(json().error).toMatchObject({ code: 'RUN_NOT_FOUND', suggestion: expect.stringContaining('batch-snowflake status') });
  });
});

describe('rejected values', () => {
  it('run: partial (exit 10) and status: degraded with the rejections grouped by reason', async () => {
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET PROFILE_URL = 'not a url' WHERE ID <= 3");
    const ran = await cli(inst, ['run', '--timeout', '120', '--json']);
    expect(ran.code, ran.stdout).toBe(OPERATE_EXIT_CODES.degraded);
    expect(ran.json().result.run).toMatchObject({ outcome: 'partial', rowsCaptured: 3, profilesSent: 3, attributesRejected: 3 });

    const status = await cli(inst, ['status', '--json']);
    expect(status.code).toBe(OPERATE_EXIT_CODES.degraded);
    const { result } = status.json();
    expect(result.verdict.level).toBe('degraded');
    expect(result.verdict.reasons[0]).toContain('3 rejection(s)');
    expect(result.rejected).toEqual([
      { reason: 'invalid_url', count: 3, attributes: [expect.objectContaining({ count: 3, example: 'not a url', message: expect.stringContaining('URL') })] },
    ]);
  });
});

describe('a failing run', () => {
  it('run: failed (exit 11) with the cause and the last log lines of the job', async () => {
    await inst.admin.query("ALTER SECRET DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET SET SECRET_STRING = 'wrong-key'");
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'changed@example.com' WHERE ID <= 2");
    const { code, stdout, stderr } = await cli(inst, ['run', '--timeout', '120']);
    expect(code).toBe(OPERATE_EXIT_CODES.failing);
    // The step line of a failed run is not a success mark (issue 12, item 8).
    expect(stderr).toContain('✖ Run failed');
    expect(stderr).not.toContain('✔ Run failed');
    expect(stdout).toMatch(/^Run [0-9a-f-]{36}: failed in /);
    expect(stdout).toContain('error: Batch answered HTTP 401 AUTHENTICATION_INVALID');
    expect(stdout).toMatch(/log line\(s\) of job DEMO_DB\.BATCH_SYNC\.JOB_/);
    expect(stdout).toMatch(/WARN  batch\.rejected .*status=401/);
    expect(stdout).toContain('next: batch-snowflake logs');
    expect(stdout).not.toContain('wrong-key');
  });

  it('status: failing (exit 11), next `logs`, the unsent changes wait in the outbox', async () => {
    const { code, stdout, stderr } = await cli(inst, ['status']);
    expect(code).toBe(OPERATE_EXIT_CODES.failing);
    expect(stderr).toContain('✖ Sync is failing');
    expect(stderr).not.toContain('✔ Sync is failing');
    const [verdict, next] = stdout.split('\n');
    // BATCH_SYNC_RUNS.ERROR_MESSAGE holds what happened and, after "Fix:", what to do (worker/sync/run-sync.ts errorMessage).
    expect(verdict).toMatch(/^✖ failing — the last run failed: Batch answered HTTP 401 AUTHENTICATION_INVALID: Missing or invalid REST API key: send "Authorization: Bearer <REST API key>" Fix: \S/);
    expect(next).toBe('  next: batch-snowflake logs');
    expect(stdout).toContain('Outbox   2 captured change(s) not yet sent');
    expect(stdout).toMatch(/ failed\s+\S+\s+2\s+0\s+\d+\s+[0-9a-f-]{36}\n.* partial /);
  });

  it('status after Snowflake suspended the task on SUSPEND_TASK_AFTER_NUM_FAILURES: says so, next `logs` then `resume` (https://docs.snowflake.com/en/sql-reference/parameters#suspend-task-after-num-failures)', async () => {
    await inst.admin.query(`ALTER TASK ${TASK} SUSPEND`);
    await inst.admin.query(`ALTER TASK ${TASK} SET SUSPEND_TASK_AFTER_NUM_FAILURES = 1`);
    await inst.admin.query(`ALTER TASK ${TASK} RESUME`);
    expect((await cli(inst, ['run', '--timeout', '120'])).code).toBe(OPERATE_EXIT_CODES.failing);
    const [shown] = (await inst.admin.query(`SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA DEMO_DB.BATCH_SYNC`)).rows;
    expect(shown).toMatchObject({ state: 'suspended', last_suspended_reason: 'SUSPENDED_DUE_TO_ERRORS' });
    const { code, stdout } = await cli(inst, ['status']);
    expect(code).toBe(OPERATE_EXIT_CODES.failing);
    const [verdict, next] = stdout.split('\n');
    expect(verdict).toMatch(/^✖ failing — Snowflake suspended the task after repeated failures \(SUSPENDED_DUE_TO_ERRORS, \d{4}-\d\d-\d\d \d\d:\d\d UTC; last error: Batch answered HTTP 401/);
    expect(next).toBe('  next: batch-snowflake logs   # then fix the cause and: batch-snowflake resume');
  });
});
