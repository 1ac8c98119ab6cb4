/**
 * pause / resume (idempotent, dry run sends nothing) and the states `status` must recognise: paused, stream
 * about to go stale, a created object gone, a stale stream, a missing task. One install, changed step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATE_EXIT_CODES } from '../../src/operate/verdict.js';
import { cli, install, TASK, type Installed } from './helpers/installed.js';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
}, 60_000);
afterAll(async () => inst?.close());

async function taskState(): Promise<string> {
  const { rows } = await inst.admin.query<{ state: string }>("SHOW TASKS LIKE 'BATCH_SYNC_TASK' IN SCHEMA DEMO_DB.BATCH_SYNC");
  return rows[0]!.state;
}

const alters = () => inst.statements.filter((s) => /^ALTER TASK/i.test(s));

describe('pause and resume', () => {
  it('pause --dry-run prints the statement and sends nothing at all', async () => {
    const before = inst.statements.length;
    const { code, stdout } = await cli(inst, ['pause', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toBe(`ALTER TASK ${TASK} SUSPEND;\n`);
    expect(inst.statements.length).toBe(before);
    expect(await taskState()).toBe('started');
  });

  it('pause suspends the task; a second pause changes nothing and sends no ALTER', async () => {
    const first = await cli(inst, ['pause', '--json']);
    expect(first.code).toBe(0);
    expect(first.json().result).toEqual({ task: TASK, state: 'suspended', changed: true, sql: `ALTER TASK ${TASK} SUSPEND` });
    expect(await taskState()).toBe('suspended');
    const again = await cli(inst, ['pause']);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`Task ${TASK} is already paused; nothing changed.\n`);
    expect(alters()).toEqual([`ALTER TASK ${TASK} SUSPEND`]);
  });

  it('status while paused: degraded, next `resume`, no next run', async () => {
    const { code, json } = await cli(inst, ['status', '--json']);
    expect(code).toBe(OPERATE_EXIT_CODES.degraded);
    const { result } = json();
    expect(result.verdict).toMatchObject({ level: 'degraded', next: 'batch-snowflake resume' });
    expect(result.task).toMatchObject({ state: 'suspended', autoSuspended: false, nextRun: null });
  });

  it('resume starts it again; a second resume changes nothing', async () => {
    const first = await cli(inst, ['resume']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`Task ${TASK} resumed. Runs every 60 MINUTE; \`batch-snowflake run\` runs it now.\n`);
    expect(await taskState()).toBe('started');
    const again = await cli(inst, ['resume']);
    expect(again.stdout).toBe(`Task ${TASK} is already running on its schedule; nothing changed.\n`);
    expect(alters()).toEqual([`ALTER TASK ${TASK} SUSPEND`, `ALTER TASK ${TASK} RESUME`]);
  });
});

describe('states status recognises', () => {
  it('stream about to go stale: degraded with a warning and next `run`', async () => {
    // Arrange "last consumed 13 days ago" (stale_after = last consumption + 14 days, reference §1.6).
    const catalog = (inst.sandbox.snowflake.engine as unknown as { core: { catalog: { object(d: string, s: string, n: string): { stream: { lastConsumedOn: Date } } } } }).core.catalog;
    const stream = catalog.object('DEMO_DB', 'BATCH_SYNC', 'BATCH_SYNC_STREAM').stream;
    const saved = stream.lastConsumedOn;
    stream.lastConsumedOn = new Date(Date.now() - 13 * 86_400_000);
    try {
      const { code, stdout } = await cli(inst, ['status']);
      expect(code).toBe(OPERATE_EXIT_CODES.degraded);
      expect(stdout.split('\n')[0]).toMatch(/^⚠ degraded — the stream goes stale at \d{4}-\d\d-\d\d \d\d:\d\d UTC unless a run consumes it$/);
      expect(stdout.split('\n')[1]).toBe('  next: batch-snowflake run');
      expect(stdout).toMatch(/stale after .* \(in 2\d h\) ⚠ soon/);
    } finally {
      stream.lastConsumedOn = saved;
    }
  });

  it('an object init created is gone: failing, next `init`', async () => {
    await inst.admin.query('DROP INTEGRATION BATCH_API_INTEGRATION');
    const { code, json } = await cli(inst, ['status', '--json']);
    expect(code).toBe(OPERATE_EXIT_CODES.failing);
    const { result } = json();
    expect(result.missing).toEqual(['integration BATCH_API_INTEGRATION']);
    expect(result.verdict).toMatchObject({ level: 'failing', reasons: ['integration BATCH_API_INTEGRATION is missing'], next: 'batch-snowflake init' });
  });

  it('a stale stream: failing, explains the full resend, next `init`', async () => {
    // Dropping a base table of the view makes the stream stale (stand-in, reference §1.3/§1.6).
    await inst.admin.query('CREATE TABLE DEMO_DB.PUBLIC.CUSTOMERS_BACKUP AS SELECT * FROM DEMO_DB.PUBLIC.CUSTOMERS');
    await inst.admin.query('DROP TABLE DEMO_DB.PUBLIC.CUSTOMERS');
    const { code, stdout } = await cli(inst, ['status']);
    expect(code).toBe(OPERATE_EXIT_CODES.failing);
    expect(stdout.split('\n')[0]).toBe('✖ failing — the stream DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM is stale: its changes can no longer be read; recreating it resends every row');
    expect(stdout).toContain('  next: batch-snowflake init');
    expect(stdout).toContain('Stream   DEMO_DB.BATCH_SYNC.BATCH_SYNC_STREAM: STALE');
  });

  it('a missing task: status failing; pause, resume and run fail with TASK_MISSING (exit 5) and the fix', async () => {
    await inst.admin.query(`DROP TASK ${TASK}`);
    const status = await cli(inst, ['status', '--json']);
    expect(status.code).toBe(OPERATE_EXIT_CODES.failing);
    expect(status.json().result.verdict.reasons[0]).toBe('the task is missing (or the role cannot see it)');
    for (const command of ['pause', 'resume', 'run']) {
      const { code, json } = await cli(inst, [command, '--json']);
      expect(code).toBe(5);
      expect(json()).toEqual({ ok: false, error: expect.objectContaining({ code: 'TASK_MISSING', kind: 'sql', message: expect.stringContaining(TASK), suggestion: expect.stringContaining('batch-snowflake init') }) });
    }
  });
});
