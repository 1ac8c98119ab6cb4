/**
 * Issue 12 §1: a captured change is never stranded. A run that fails after the capture (Batch refusing the
 * key) leaves the changes in the outbox, and the view stream is then empty; once the cause is fixed, the next
 * run sends them without any new change (the pending-changes marker keeps the task's WHEN true), and
 * `status` is healthy again. A truly empty run is still skipped before any job starts. Both stand-ins, the
 * worker as a process, the real CLI; waits use the stand-in's task events, never sleeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATE_EXIT_CODES } from '../../src/operate/verdict.js';
import { cli, count, install, type Installed } from './helpers/installed.js';

const OUTBOX = 'SELECT COUNT(*) AS N FROM DEMO_DB.BATCH_SYNC.BATCH_SYNC_OUTBOX';
const SECRET = 'DEMO_DB.BATCH_SYNC.BATCH_API_KEY_SECRET';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
  expect((await cli(inst, ['run', '--timeout', '120'])).code).toBe(0);
}, 120_000);
afterAll(async () => inst?.close());

const email = (id: string) => (inst.sandbox.batch.profile(id)?.attributes as Record<string, { value?: unknown }> | undefined)?.email?.value;

describe('changes left in the outbox by a failed run', () => {
  it('are sent by the next run once the cause is fixed, with no new change, and status goes healthy', async () => {
    await inst.admin.query(`ALTER SECRET ${SECRET} SET SECRET_STRING = 'wrong-key'`);
    await inst.admin.query("UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'redelivered@example.com' WHERE ID <= 2");
    const failed = await cli(inst, ['run', '--timeout', '120']);
    expect(failed.code).toBe(OPERATE_EXIT_CODES.failing);
    expect(failed.stdout).toContain('HTTP 401');
    expect(await count(inst.admin, OUTBOX)).toBe(2);
    // The capture consumed the view stream: only the marker can start the next run.
    const { rows } = await inst.admin.query<{ HAS: unknown }>("SELECT SYSTEM$STREAM_HAS_DATA('DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM') AS HAS");
    expect(rows[0]?.HAS).toBe(false);
    expect(email('1')).not.toBe('redelivered@example.com');

    await inst.admin.query(`ALTER SECRET ${SECRET} SET SECRET_STRING = '${inst.sandbox.connection.batch.restApiKey}'`);
    const redelivered = await cli(inst, ['run', '--timeout', '120', '--json']);
    expect(redelivered.code, redelivered.stdout).toBe(0);
    const { result } = redelivered.json();
    expect(result.skipped ?? false).toBe(false);
    expect(result.run).toMatchObject({ outcome: 'succeeded', taskState: 'SUCCEEDED' });
    expect(email('1')).toBe('redelivered@example.com');
    expect(email('2')).toBe('redelivered@example.com');
    expect(await count(inst.admin, OUTBOX)).toBe(0);

    const status = await cli(inst, ['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json().result.verdict.level).toBe('healthy');
  });

  it('a truly empty run is still skipped by the WHEN condition: no job starts', async () => {
    const skipped = await cli(inst, ['run', '--json']);
    expect(skipped.code).toBe(0);
    expect(skipped.json().result).toMatchObject({ skipped: true, run: { state: 'SKIPPED' } });
    const { rows } = await inst.admin.query<{ SPCS_JOB_ID: unknown; STATE: unknown }>(
      "SELECT STATE, SPCS_JOB_ID FROM TABLE(DEMO_DB.INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => 'BATCH_SYNC_TASK', RESULT_LIMIT => 10)) WHERE STATE <> 'SCHEDULED' ORDER BY SCHEDULED_TIME DESC LIMIT 1",
    );
    expect(rows[0]).toEqual({ STATE: 'SKIPPED', SPCS_JOB_ID: null });
  });
});
