/**
 * The pure parts of status: matching TASK_HISTORY runs to the worker's run records, the verdict and its
 * next command, and the text rendering (verdict first). The end-to-end tests cover the same through the CLI.
 */
import { estimateRunCost } from '../../shared/cost/credits.js';
import { describe, expect, it } from 'vitest';
import { mergeRuns, type RunView } from '../../src/operate/merge-runs.js';
import { renderRunSummary, renderStatus } from '../../src/operate/render-status.js';
import type { RunRecord } from '../../src/operate/run-records.js';
import type { StatusReport } from '../../src/operate/status-report.js';
import type { StreamHealth } from '../../src/operate/stream-health.js';
import type { TaskRun } from '../../src/operate/task-history.js';
import type { TaskInfo } from '../../src/operate/task-state.js';
import { decideVerdict, type VerdictFacts } from '../../src/operate/verdict.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000);

function taskRun(minutesAgo: number, state: TaskRun['state'], extra: Partial<TaskRun> = {}): TaskRun {
  return { queryId: `q-${minutesAgo}`, state, scheduledTime: at(minutesAgo), queryStartTime: at(minutesAgo), completedTime: state === 'EXECUTING' ? null : at(minutesAgo - 2), errorCode: null, errorMessage: null, spcsJobId: `JOB_${minutesAgo}`, scheduledFrom: 'SCHEDULE', ...extra };
}

function record(minutesAgo: number, status: string, extra: Partial<RunRecord> = {}): RunRecord {
  return { runId: `r-${minutesAgo}`, status, startedAt: new Date(at(minutesAgo).getTime() + 3000), endedAt: status === 'RUNNING' ? null : at(minutesAgo - 1), endpoint: 'update', rowsCaptured: 10, profilesSent: 10, rowsRejected: 0, attributesRejected: 0, requests: 1, retries: 0, errorMessage: null, ...extra };
}

const task: TaskInfo = { name: 'DB.S.T', state: 'started', schedule: '60 MINUTE', condition: null, lastSuspendedOn: null, lastSuspendedReason: null, imageTag: '0.1.0', owner: 'R' };
const stream: StreamHealth = { name: 'DB.S.ST', exists: true, source: 'DB.S.V', stale: false, staleAfter: new Date(NOW.getTime() + 10 * 86_400_000), staleSoon: false, hasData: false, pendingRows: 0 };
const facts = (over: Partial<VerdictFacts>): VerdictFacts => ({ task, stream, runs: [], outboxRows: 0, missing: [], now: NOW, ...over });
const runsOf = (...pairs: Array<[TaskRun | undefined, RunRecord | undefined]>): RunView[] =>
  mergeRuns(pairs.flatMap(([t]) => (t ? [t] : [])), pairs.flatMap(([, r]) => (r ? [r] : [])), 10, NOW);

describe('mergeRuns', () => {
  it('pairs each record with the task run whose window contains its start, newest first', () => {
    const runs = mergeRuns([taskRun(60, 'SUCCEEDED'), taskRun(120, 'SUCCEEDED')], [record(120, 'SUCCESS', { profilesSent: 7 }), record(60, 'PARTIAL', { attributesRejected: 2 })], 10, NOW);
    expect(runs.map((r) => [r.id, r.outcome, r.profilesSent, r.spcsJobId])).toEqual([['r-60', 'partial', 10, 'JOB_60'], ['r-120', 'succeeded', 7, 'JOB_120']]);
    expect(runs[0]!.durationMs).toBe(60_000 - 3000);
  });

  it('a failed task run without a record is failed with the task error; an unmatched old record is kept', () => {
    const runs = mergeRuns([taskRun(30, 'FAILED', { errorMessage: 'image not found' })], [record(20_000, 'SUCCESS')], 10, NOW);
    expect(runs.map((r) => [r.id, r.outcome, r.error, r.taskState])).toEqual([['q-30', 'failed', 'image not found', 'FAILED'], ['r-20000', 'succeeded', null, null]]);
  });

  it('a record still RUNNING after its task run completed is a killed run; an executing run is running', () => {
    const [killed] = mergeRuns([taskRun(30, 'SUCCEEDED')], [record(30, 'RUNNING')], 10, NOW);
    expect(killed!.outcome).toBe('failed');
    expect(killed!.error).toMatch(/killed or timed out/);
    const [running] = mergeRuns([taskRun(1, 'EXECUTING')], [record(1, 'RUNNING')], 10, NOW);
    expect(running!.outcome).toBe('running');
  });

  it('a run that failed before its job started does not take the record of the run before it', () => {
    const earlier = taskRun(10, 'SUCCEEDED');
    const failed = taskRun(7, 'FAILED', { spcsJobId: null, errorMessage: 'secret missing', completedTime: at(7) });
    const runs = mergeRuns([failed, earlier], [record(10, 'SUCCESS')], 10, NOW);
    expect(runs.map((r) => [r.id, r.outcome, r.workerStatus])).toEqual([['q-7', 'failed', null], ['r-10', 'succeeded', 'SUCCESS']]);
  });

  it('limits the list', () => {
    expect(mergeRuns([1, 2, 3, 4].map((m) => taskRun(m * 60, 'SUCCEEDED')), [], 2, NOW).map((r) => r.id)).toEqual(['q-60', 'q-120']);
  });
});

describe('decideVerdict', () => {
  it('an image that could not be checked (SHOW IMAGES not readable) or is present does not change the verdict', () => {
    expect(decideVerdict(facts({ image: { reference: 'x', present: null } })).level).toBe('healthy');
    expect(decideVerdict(facts({ image: { reference: 'x', present: true } })).level).toBe('healthy');
  });

  it('healthy after a successful run, nothing to do; healthy with `run` before the first run', () => {
    expect(decideVerdict(facts({ runs: runsOf([taskRun(30, 'SUCCEEDED'), record(30, 'SUCCESS')]) }))).toMatchObject({ level: 'healthy', next: null });
    expect(decideVerdict(facts({}))).toMatchObject({ level: 'healthy', next: 'batch-snowflake run' });
  });

  it.each([
    ['missing task', { task: null }, /task is missing/, 'batch-snowflake init'],
    ['missing stream', { stream: { ...stream, exists: false } }, /stream .* is missing/, 'batch-snowflake init'],
    ['stale stream', { stream: { ...stream, stale: true } }, /stale.*resends every row/, 'batch-snowflake init'],
    ['auto-suspended task', { task: { ...task, state: 'suspended', lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' } }, /suspended the task after repeated failures/, 'batch-snowflake logs'],
    ['auto-suspended, seen in TASK_HISTORY only', { task: { ...task, state: 'suspended' }, runs: runsOf([taskRun(5, 'FAILED_AND_AUTO_SUSPENDED', { errorMessage: 'image pull failed' }), undefined]) }, /after repeated failures \(FAILED_AND_AUTO_SUSPENDED, .*; last error: image pull failed\)/, 'batch-snowflake logs'],
    ['failed last run', { runs: runsOf([taskRun(5, 'FAILED', { errorMessage: 'boom' }), undefined]) }, /last run failed: boom/, 'batch-snowflake logs'],
    ['missing integration', { missing: ['integration BATCH_API_INTEGRATION'] }, /integration BATCH_API_INTEGRATION is missing/, 'batch-snowflake init'],
    // Issue 12, item 4: never "healthy" while the image the task runs was never pushed.
    ['image never pushed', { image: { reference: 'batch-snowflake-worker:0.2.0 in DB.S.REPO', present: false } }, /runs image batch-snowflake-worker:0\.2\.0 in DB\.S\.REPO, which is not in the image repository/, 'batch-snowflake init   # builds and pushes it (or push it yourself with docker push)'],
  ] as const)('failing: %s', (_name, over, reason, next) => {
    const verdict = decideVerdict(facts(over as Partial<VerdictFacts>));
    expect(verdict.level).toBe('failing');
    expect(verdict.reasons[0]).toMatch(reason);
    expect(verdict.next?.startsWith(next)).toBe(true);
  });

  it.each([
    ['paused', { task: { ...task, state: 'suspended' } }, /paused/, 'batch-snowflake resume'],
    ['stale soon', { stream: { ...stream, staleSoon: true } }, /goes stale at/, 'batch-snowflake run'],
    ['rejections', { runs: runsOf([taskRun(5, 'SUCCEEDED'), record(5, 'PARTIAL', { attributesRejected: 3 })]) }, /3 rejection/, 'fix the values'],
    ['outbox left', { outboxRows: 4, runs: runsOf([taskRun(5, 'SUCCEEDED'), record(5, 'SUCCESS')]) }, /4 captured change/, 'batch-snowflake run'],
  ] as const)('degraded: %s', (_name, over, reason, next) => {
    const verdict = decideVerdict(facts(over as Partial<VerdictFacts>));
    expect(verdict.level).toBe('degraded');
    expect(verdict.reasons[0]).toMatch(reason);
    expect(verdict.next?.startsWith(next)).toBe(true);
  });

  it('failing wins over degraded, and every reason is kept', () => {
    const verdict = decideVerdict(facts({ stream: { ...stream, stale: true }, task: { ...task, state: 'suspended' } }));
    expect(verdict.level).toBe('failing');
    expect(verdict.reasons).toHaveLength(2);
  });
});

describe('rendering', () => {
  const report: StatusReport = {
    verdict: { level: 'degraded', reasons: ['the task is paused (suspended): no scheduled runs'], next: 'batch-snowflake resume' },
    runner: 'spcs',
    paused: null,
    task: { name: 'DB.S.T', exists: true, state: 'suspended', schedule: '60 MINUTE', condition: "SYSTEM$STREAM_HAS_DATA('DB.S.ST')", autoSuspended: false, lastSuspendedReason: null, lastSuspendedOn: null, nextRun: null, skippedRuns: 3 },
    runs: runsOf([taskRun(30, 'SUCCEEDED'), record(30, 'PARTIAL', { attributesRejected: 2 })]),
    pending: { streamHasData: true, streamRows: 5, outboxRows: 0 },
    stream: { name: 'DB.S.ST', exists: true, source: 'DB.S.V', stale: false, staleAfter: '2026-12-06T12:00:00.000Z', staleSoon: false },
    rejected: [{ reason: 'invalid_url', count: 2, attributes: [{ attribute: 'PROFILE_URL', count: 2, example: 'ftp://x', message: 'not http(s)' }] }],
    image: { deployedTag: '0.1.0', taskTag: '0.1.0', inRepository: true },
    missing: [],
    cost: { ...estimateRunCost({ jobSeconds: 57, instanceFamily: 'CPU_X64_XS', poolAutoSuspendSecs: 300, warehouseSize: 'X-Small', intervalSeconds: 3600 }), runSeconds: 57, instanceFamily: 'CPU_X64_XS', warehouse: 'WH', warehouseSize: 'X-Small' },
    notes: [],
    checkedAt: NOW.toISOString(),
  };

  it('puts the verdict and the next command first, then every section', () => {
    const lines = renderStatus(report).split('\n');
    expect(lines[0]).toBe('⚠ degraded — the task is paused (suspended): no scheduled runs');
    expect(lines[1]).toBe('  next: batch-snowflake resume');
    const text = lines.join('\n');
    expect(text).toContain('paused (suspended), every 60 MINUTE, skipped when the stream is empty; 3 run(s) skipped');
    expect(text).toContain('5 pending change(s); stale after 2026-12-06 12:00 UTC (in 10 days)');
    expect(text).toMatch(/2026-11-26 11:30 UTC\s+partial\s+57s\s+10\s+10\s+2\s+r-30/);
    expect(text).toContain('invalid_url: 2 — PROFILE_URL ×2 e.g. "ftp://x"');
    // 57 s job: pool 357 s at 0.06/h, warehouse 57 + 600 s at 1/h; 24 runs a day.
    expect(text).toContain(`Cost     ~${(report.cost!.totalCredits ?? 0).toFixed(3)} credits/run`);
    expect(text).toContain(`~${(report.cost!.perDayCredits ?? 0).toFixed(3)} credits/day`);
    expect(report.cost!.totalCredits).toBeCloseTo((357 / 3600) * 0.06 + 657 / 3600, 3);
  });

  it('summarizes one run with its counts', () => {
    const [run] = report.runs;
    expect(renderRunSummary(run!)).toBe('Run r-30: partial in 57s\n  rows captured 10, profiles sent 10, rejected 2 (rows 0, attributes 2)\n  requests 1, retries 0');
  });
});
