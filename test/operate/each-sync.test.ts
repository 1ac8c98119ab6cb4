/**
 * The pure parts of the operating commands over every sync (issue 16 §3): the worst exit code, the tables
 * `run`, `pause`/`resume` and `verify` print, `logs`' sections, a run's row from what `run --sync NAME`
 * returns (task path and external), and the per-sync loop that keeps one sync's error from stopping the next.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../shared/errors.js';
import { duration, forEachSync, renderTable, SharedSession, syncRequiredFor, worstExitCode } from '../../src/operate/each-sync.js';
import type { CommandContext } from '../../src/runtime/context.js';
import { renderRunTable, runRow } from '../../src/commands/run-all.js';
import { renderToggleTable, type ToggleRow } from '../../src/operate/toggle-all.js';
import { logsExitCode, renderAllLogs, type SyncLogsEntry } from '../../src/commands/logs-all.js';
import { renderVerifyTable } from '../../src/commands/verify-all.js';
import type { Installed } from '../../src/operate/installed.js';

const err = (code: string, exitCode: number, suggestion: string | null = null) => ({ code, kind: 'sql', message: `${code} happened`, suggestion, exitCode });

describe('worstExitCode', () => {
  it.each([
    [[0, 0], 0],
    [[0, 10], 10],
    [[10, 12, 0], 12],
    [[12, 13], 13],
    [[13, 11, 10], 11],
    [[11, 5], 5],
    [[5, 2], 5],
    [[2, 5], 2],
    [[14, 0], 14],
    [[5, 130, 11], 130],
    [[], 0],
  ])('%j → %i', (codes, worst) => expect(worstExitCode(codes)).toBe(worst));
});

describe('tables', () => {
  it('pads every column to its widest cell, a rule under the header, no trailing spaces', () => {
    expect(renderTable(['sync', 'n'], [['default', '1000'], ['orders', '']])).toBe('sync     n\n───────  ────\ndefault  1000\norders');
  });

  it('durations', () => {
    expect([duration(null), duration(1234), duration(59_949), duration(125_000)]).toEqual(['-', '1.2 s', '59.9 s', '2 min 5 s']);
  });

  it('SYNC_REQUIRED names the flag and the syncs', () => {
    const e = syncRequiredFor('--ids', ['a', 'b', 'c']);
    expect([e.code, e.exitCode, e.message, e.suggestion]).toEqual(['SYNC_REQUIRED', 2, '--ids applies to one sync, and this project has 3 (a, b, c): say which one.', 'Pass --sync NAME with --ids, e.g. --sync a.']);
  });
});

describe('run: a row from what run --sync NAME returned', () => {
  const id = { sync: 's', kind: 'profile' as const };
  const view = { outcome: 'partial', profilesSent: 40, rowsRejected: 1, attributesRejected: 2, durationMs: 1500 };
  it.each([
    [{ result: { task: 'T', run: view }, exitCode: 10 }, { outcome: 'partial', sent: 40, rejected: 3, durationMs: 1500, exitCode: 10 }],
    [{ result: { task: 'T', skipped: true, run: {} } }, { outcome: 'skipped', sent: 0, rejected: 0, durationMs: null, exitCode: 0 }],
    [{ result: { task: 'T', started: true, since: 'x' } }, { outcome: 'started', sent: null, rejected: null }],
    [{ result: { task: 'T', timedOut: true, state: 'EXECUTING' }, exitCode: 12 }, { outcome: 'still running', exitCode: 12 }],
    [{ result: { task: 'T', resync: { requestId: 'r', queued: true } } }, { outcome: 'resync queued' }],
    [{ result: { status: 'SUCCESS', summary: { profilesSent: 7, rowsRejected: 0, attributesRejected: 0, durationMs: 80 } } }, { outcome: 'succeeded', sent: 7, rejected: 0, durationMs: 80 }],
    [{ result: { status: 'PAUSED' } }, { outcome: 'paused', sent: null, rejected: null, durationMs: null }],
    [{ result: { status: 'ERROR', error: {} }, exitCode: 11 }, { outcome: 'failed', exitCode: 11 }],
  ])('%j', (outcome, expected) => expect(runRow(id, outcome)).toMatchObject({ ...id, error: null, ...expected }));

  it('the table, the summaries of the syncs that did not succeed, the errors and the next command', () => {
    const rows = [
      runRow({ sync: 'default', kind: 'profile' }, { result: { run: { ...view, outcome: 'succeeded', rowsRejected: 0, attributesRejected: 0 } }, text: 'fine' }),
      runRow({ sync: 'orders', kind: 'event' }, { result: { run: { outcome: 'failed', profilesSent: 0, rowsRejected: null, attributesRejected: null, durationMs: 61_000 } }, text: 'Run failed\n  next: batch-snowflake logs', exitCode: 11 }),
      { sync: 'x', kind: 'profile' as const, outcome: 'error', sent: null, rejected: null, durationMs: null, exitCode: 5, result: null, error: err('TASK_MISSING', 5, 'Run init') },
    ];
    expect(renderRunTable(rows)).toBe([
      'sync     kind     outcome    sent  rejected  duration',
      '───────  ───────  ─────────  ────  ────────  ─────────',
      'default  profile  succeeded  40    0         1.5 s',
      'orders   event    failed     0     -         1 min 1 s',
      'x        profile  error      -     -         -',
      '',
      'orders:',
      '  Run failed',
      '    next: batch-snowflake logs',
      '',
      'x: TASK_MISSING TASK_MISSING happened',
      '  → Run init',
      '',
      'next: batch-snowflake status   (one line per sync; then status --sync NAME)',
    ].join('\n'));
    expect(renderRunTable(rows.slice(0, 1))).not.toContain('next:');
  });
});

describe('pause / resume table', () => {
  const row = (over: Partial<ToggleRow>): ToggleRow => ({ sync: 'a', kind: 'profile', target: 'D.S.T', before: 'started', state: 'suspended', changed: true, sql: 'ALTER', error: null, ...over });
  it('what changed per sync, how many, the errors', () => {
    const text = renderToggleTable('suspend', [row({}), row({ sync: 'b', kind: 'event', before: 'suspended', changed: false }), row({ sync: 'c', before: null, state: null, changed: false, error: err('TASK_MISSING', 5) })]);
    expect(text.split('\n')).toEqual([
      'sync  kind     task   state                  changed',
      '────  ───────  ─────  ─────────────────────  ────────────',
      'a     profile  D.S.T  started → suspended    yes',
      'b     event    D.S.T  suspended → suspended  no (already)',
      'c     profile  D.S.T  error                  -',
      '',
      'Paused 1 of 3 sync(s). No scheduled runs until `batch-snowflake resume`.',
      '',
      'c: TASK_MISSING TASK_MISSING happened',
    ]);
    expect(renderToggleTable('resume', [row({ before: 'suspended', state: 'started' })])).toContain('Resumed 1 of 1 sync(s). `batch-snowflake run` runs every sync now.');
  });
});

describe('logs of every sync', () => {
  const logs = (job: string) => ({ header: `Run r (succeeded), job ${job}, last 1 line(s):`, text: `line of ${job}`, result: {} as never });
  const entries: SyncLogsEntry[] = [
    { sync: 'default', kind: 'profile', logs: logs('J1'), error: null },
    { sync: 'orders', kind: 'event', logs: null, error: err('NO_RUN_YET', 5, 'Run it now: batch-snowflake run') },
  ];
  it('one section per sync under its heading; a sync without a run yet is a note', () => {
    expect(renderAllLogs(entries)).toBe('══ sync default (profile) ══\nRun r (succeeded), job J1, last 1 line(s):\nline of J1\n\n══ sync orders (event) ══\n(NO_RUN_YET happened)\n  → Run it now: batch-snowflake run');
  });
  it('no run yet (or not installed) does not fail the command; another error does', () => {
    expect(logsExitCode(entries)).toBe(0);
    expect(logsExitCode([...entries, { sync: 'c', kind: 'profile', logs: null, error: err('LOGS_UNAVAILABLE', 5) }])).toBe(5);
  });
});

describe('verify table', () => {
  it('equal, mismatch with its lines, skipped with the reason', () => {
    const text = renderVerifyTable([
      { sync: 'a', kind: 'profile', outcome: 'mismatch', note: null, verified: { sampled: 5, attributes: ['x'], mismatches: [{ customId: '1', attribute: 'x', snowflake: 1, batch: 2 }] }, error: null, text: '1 mismatch(es)\n  ✗ 1.x' },
      { sync: 'b', kind: 'event', outcome: 'skipped', note: 'event sync', verified: null, error: null },
    ]);
    expect(text.split('\n')).toEqual([
      'sync  kind     outcome   sampled  mismatches  note',
      '────  ───────  ────────  ───────  ──────────  ──────────',
      'a     profile  mismatch  5        1',
      'b     event    skipped   -        -           event sync',
      '',
      'a: 1 mismatch(es)',
      '  ✗ 1.x',
    ]);
  });
});

describe('forEachSync', () => {
  const sync = (name: string) => ({ sync: name }) as Installed;
  it('keeps going after a sync\'s UserError, in order, and records it', async () => {
    const seen: string[] = [];
    const out = await forEachSync([sync('a'), sync('b')], new AbortController().signal, async (one) => {
      seen.push(one.sync);
      if (one.sync === 'a') throw new UserError('permission', 'ROLE_NOT_USABLE', 'no', { suggestion: 'GRANT' });
      return 1;
    });
    expect(seen).toEqual(['a', 'b']);
    expect(out.map((o) => [o.sync.sync, o.value, o.error])).toEqual([
      ['a', undefined, { code: 'ROLE_NOT_USABLE', kind: 'permission', message: 'no', suggestion: 'GRANT', exitCode: 4 }],
      ['b', 1, undefined],
    ]);
  });
  it('a bug or Ctrl-C stops the loop', async () => {
    await expect(forEachSync([sync('a'), sync('b')], new AbortController().signal, async () => { throw new TypeError('bug'); })).rejects.toThrow('bug');
    const abort = new AbortController();
    const seen: string[] = [];
    await expect(forEachSync([sync('a'), sync('b')], abort.signal, async (one) => { seen.push(one.sync); abort.abort(new Error('SIGINT')); })).rejects.toThrow('SIGINT');
    expect(seen).toEqual(['a']);
  });
  it('a session that cannot be opened ends the command after one attempt (the syncs share it)', async () => {
    let attempts = 0;
    const context = {
      output: { step: (_label: string, work: () => Promise<unknown>) => work() },
      snowflake: { connect: async () => { attempts++; throw new UserError('connection', 'LOGIN_FAILED', 'wrong password'); } },
    } as unknown as CommandContext;
    const shared = new SharedSession(context);
    const seen: string[] = [];
    await expect(forEachSync([sync('a'), sync('b')], new AbortController().signal, async (one) => { seen.push(one.sync); await shared.of(one); })).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
    expect([attempts, seen]).toEqual([1, ['a']]);
    await shared.close();
  });
});
