/**
 * Issue 20 (smaller things): `status` said "healthy … nothing to do" while the stream held changes. Now it
 * says how many wait and when the next run is due to send them (SPCS: the task's next scheduled run from
 * TASK_HISTORY; external: the user's scheduler), and offers the command that sends them now.
 * SPCS install on the stand-ins (operate helper: real CLI in-process, real driver); the verdict itself is pure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideVerdict, type VerdictFacts } from '../../src/operate/verdict.js';
import { cli, install, STREAM, type Installed } from '../operate/helpers/installed.js';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
  const first = await cli(inst, ['run', '--timeout', '120']);
  expect(first.code, first.stderr).toBe(0);
}, 120_000);
afterAll(async () => inst?.close());

describe('status while changes wait in the stream', () => {
  it('after a run with nothing left: healthy, nothing to do', async () => {
    const status = await cli(inst, ['status']);
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')[1]).toBe('  nothing to do');
  });

  it('2 changed rows: healthy, "2 change(s) wait", when the next run is due, and the command that sends them now', async () => {
    await inst.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET FIRST_NAME = 'Waiting' WHERE ID IN (1, 2)`);
    const status = await cli(inst, ['status']);
    expect(status.code).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines[0]).toMatch(/healthy/);
    expect(status.stdout).not.toContain('nothing to do');
    const json = (await cli(inst, ['status', '--json'])).json().result;
    expect(json.task.nextRun).toEqual(expect.any(String));
    const due = new Date(json.task.nextRun).toISOString().replace('T', ' ').slice(0, 16);
    expect(json.verdict).toMatchObject({ level: 'healthy', next: 'batch-snowflake run   # to send them now' });
    expect(json.verdict.reasons[1]).toBe(`2 change(s) wait in the stream ${STREAM}; the next run, due at ${due} UTC, sends them`);
    expect(status.stdout).toContain(`also: 2 change(s) wait in the stream ${STREAM}`);
    expect(status.stdout).toContain('next: batch-snowflake run   # to send them now');
  });
});

describe('the verdict (pure)', () => {
  const base: VerdictFacts = {
    task: null,
    external: { paused: false },
    stream: { name: 'DB.S.STREAM', exists: true, source: 'DB.S.V', stale: false, staleAfter: null, staleSoon: false, hasData: true, pendingRows: 5 },
    runs: [{ outcome: 'succeeded', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:01:00Z' } as never],
    outboxRows: 0,
    missing: [],
    now: new Date('2026-01-01T01:00:00Z'),
  };

  it('external runner: the scheduler\'s next `batch-snowflake sync` sends them', () => {
    expect(decideVerdict(base)).toEqual({
      level: 'healthy',
      reasons: ['last run succeeded at 2026-01-01 00:01 UTC', "5 change(s) wait in the stream DB.S.STREAM; your scheduler's next `batch-snowflake sync` sends them"],
      next: 'batch-snowflake sync   # to send them now',
    });
  });

  it('the stream has data but its rows could not be counted: "changes wait"; an empty stream: nothing to do', () => {
    expect(decideVerdict({ ...base, stream: { ...base.stream, pendingRows: null } }).reasons[1]).toMatch(/^changes wait in the stream/);
    expect(decideVerdict({ ...base, stream: { ...base.stream, hasData: false, pendingRows: 0 } })).toMatchObject({ reasons: ['last run succeeded at 2026-01-01 00:01 UTC'], next: null });
  });
});
