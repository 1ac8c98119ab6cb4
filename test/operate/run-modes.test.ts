/**
 * `run` beyond the plain success: a run skipped because the stream is empty, --no-wait, the --timeout
 * deadline (exit 12, the run goes on), a run that fails before its job starts (no container log), and
 * `status --runs N`. Waiting for stand-in runs uses its task runtime's events, never sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATE_EXIT_CODES } from '../../src/operate/verdict.js';
import { cli, install, TASK, type Installed } from './helpers/installed.js';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
  expect((await cli(inst, ['run', '--timeout', '120'])).code).toBe(0);
}, 90_000);
afterAll(async () => inst?.close());

const tasks = () => inst.sandbox.snowflake.runtime!.tasks;
const change = (id: number) => inst.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Changed${id}' WHERE ID = ${id}`);

describe('run', () => {
  it('with no changes in the stream the run is skipped (WHEN SYSTEM$STREAM_HAS_DATA), exit 0', async () => {
    const { code, stdout, json } = await cli(inst, ['run', '--json']);
    expect(code).toBe(0);
    expect(json().result).toMatchObject({ task: TASK, skipped: true, run: { state: 'SKIPPED' } });
    expect(stdout).not.toContain('"profilesSent"');
  });

  it('--no-wait returns once the run is started; the run then finishes on its own', async () => {
    await change(1);
    const after = tasks().lastRunSeq();
    const { code, stdout } = await cli(inst, ['run', '--no-wait']);
    expect(code).toBe(0);
    expect(stdout).toBe(`Started a run of ${TASK}. Follow it with \`batch-snowflake status\`.\n`);
    const finished = await tasks().waitForRun('BATCH_SYNC_TASK', { after, timeoutMs: 60_000 });
    expect(finished.state, finished.errorMessage ?? '').toBe('SUCCEEDED');
    expect(inst.sandbox.batch.profile('1')?.attributes).toMatchObject({ first_name: { value: 'Changed1' } });
  });

  it('--timeout: still running at the deadline → exit 12 with what to run next; the run goes on', async () => {
    await change(2);
    const after = tasks().lastRunSeq();
    const { code, stdout, json } = await cli(inst, ['run', '--timeout', '1', '--json']);
    expect(code).toBe(OPERATE_EXIT_CODES.timedOut);
    expect(json().result).toMatchObject({ task: TASK, timedOut: true, state: 'EXECUTING' });
    expect(stdout).not.toContain('profilesSent');
    const finished = await tasks().waitForRun('BATCH_SYNC_TASK', { after, timeoutMs: 60_000 });
    expect(finished.state, finished.errorMessage ?? '').toBe('SUCCEEDED');
    const text = await cli(inst, ['status']);
    expect(text.code).toBe(0);
  });

  it('a run that fails before its job starts: exit 11 with the task error, no log; `logs` explains and names an earlier run', async () => {
    await inst.admin.query('DROP SECRET DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET');
    await change(3);
    const ran = await cli(inst, ['run', '--json']);
    expect(ran.code).toBe(OPERATE_EXIT_CODES.failing);
    const { result } = ran.json();
    expect(result.run).toMatchObject({ outcome: 'failed', taskState: 'FAILED', spcsJobId: null, workerStatus: null });
    expect(result.run.error).toContain('BATCH_API_KEY_SECRET');
    expect(result.logLines).toEqual([]);

    const logs = await cli(inst, ['logs']);
    expect(logs.code).toBe(5);
    expect(logs.stderr).toMatch(/Run \S+ \(failed, .*\) did not start a container job \(.*BATCH_API_KEY_SECRET.*\), so it has no container logs\./);
    expect(logs.stderr).toMatch(/batch-snowflake logs --run [0-9a-f-]{36}/);

    const status = await cli(inst, ['status', '--runs', '2', '--json']);
    expect(status.code).toBe(OPERATE_EXIT_CODES.failing);
    expect(status.json().result.runs.map((r: { outcome: string }) => r.outcome)).toEqual(['failed', 'succeeded']);
    expect(status.json().result.missing).toEqual(['secret DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET']);
  });
});
