/**
 * Schedule modes (issue 17): a scheduled task, a triggered task (no SCHEDULE, WHEN on the stream,
 * TARGET_COMPLETION_INTERVAL), or a long-running service (continuous). Switching modes replaces the object
 * (`- task` / `+ service` and back); a rerun with the same answers plans nothing. The SQL of each mode is parsed
 * by the stand-in's own parsers.
 */
import { describe, expect, it } from 'vitest';
import { parseInitAnswers, resolveAnswers } from '../../src/plan/names.js';
import { planInit } from '../../src/plan/init-plan.js';
import { renderServiceSql } from '../../src/plan/service-steps.js';
import { renderTaskSql } from '../../src/plan/task-steps.js';
import { configAfterInit } from '../../src/apply/record-install.js';
import { tokenize } from '../../standins/snowflake/engine/lexer.js';
import { parseCreateService } from '../../standins/snowflake/jobs/long-service.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import type { Plan } from '../../src/plan/types.js';

const IMAGE = { repository: ['ANALYTICS', 'BATCH_SYNC', 'REPO'], repositoryUrl: null, name: 'batch-snowflake-worker', tag: '0.1.0', specPath: '/analytics/batch_sync/repo/batch-snowflake-worker:0.1.0' };
const resolved = (schedule: string) => resolveAnswers({ ...BASE_ANSWERS, schedule });
const ids = (plan: Plan) => plan.steps.map((s) => `${s.action === 'drop' ? '-' : '+'} ${s.id}`);

describe('the --schedule answer', () => {
  it('accepts intervals, CRON, triggered and continuous; refuses anything else', () => {
    expect(parseInitAnswers({ ...BASE_ANSWERS, schedule: 'Triggered' }).schedule).toBe('triggered');
    expect(parseInitAnswers({ ...BASE_ANSWERS, schedule: 'continuous' }).schedule).toBe('continuous');
    expect(parseInitAnswers({ ...BASE_ANSWERS, schedule: '5 m' }).schedule).toBe('5 MINUTES');
    expect(() => parseInitAnswers({ ...BASE_ANSWERS, schedule: 'sometimes' })).toThrow(/triggered|continuous/);
  });
});

describe('triggered task SQL', () => {
  const { answers, names } = resolved('triggered');
  const { sql } = renderTaskSql(answers, names, IMAGE as never);
  const head = sql.split(/\nAS\n/)[0]!;

  it('has no SCHEDULE, a TARGET_COMPLETION_INTERVAL (serverless) and a WHEN on the stream and the marker', () => {
    expect(head).not.toMatch(/SCHEDULE/);
    expect(head).toContain("TARGET_COMPLETION_INTERVAL = '10 MINUTES'");
    expect(head).toContain("WHEN SYSTEM$STREAM_HAS_DATA('ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM')");
    expect(head).toContain("OR SYSTEM$STREAM_HAS_DATA('ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM')");
  });

  it('keeps the WHEN on the stream even with skipEmptyRuns off (the stream is the trigger)', () => {
    const off = resolveAnswers({ ...BASE_ANSWERS, schedule: 'triggered', skipEmptyRuns: false });
    const text = renderTaskSql(off.answers, off.names, IMAGE as never).sql.split(/\nAS\n/)[0]!;
    expect(text).toContain('WHEN SYSTEM$STREAM_HAS_DATA(');
    expect(text).not.toContain('PENDING_STREAM');
  });

  it('a scheduled task renders exactly as before (no TARGET_COMPLETION_INTERVAL)', () => {
    const hourly = resolved('60 MINUTE');
    expect(renderTaskSql(hourly.answers, hourly.names, IMAGE as never).sql).toMatch(/^CREATE OR REPLACE TASK ANALYTICS\.BATCH_SYNC\.BATCH_SYNC_TASK\n {2}SCHEDULE = '60 MINUTE'\n {2}COMMENT = /);
  });
});

describe('continuous service SQL', () => {
  const { answers, names } = resolved('continuous');
  const { sql } = renderServiceSql(answers, names, IMAGE as never);

  it('is a CREATE SERVICE the stand-in parses, in the documented order, with the worker looping', () => {
    const stmt = parseCreateService(sql, tokenize(sql));
    expect(stmt).toMatchObject({ name: ['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_SERVICE'], computePool: 'BATCH_SYNC_POOL', externalAccessIntegrations: ['BATCH_API_INTEGRATION'], queryWarehouse: 'COMPUTE_WH' });
    expect(stmt!.specText).toContain('--loop-interval-seconds');
    expect(stmt!.specText).toContain('--pending-marker');
  });
});

describe('switching modes', () => {
  it('scheduled → continuous drops the task and creates the service; a rerun plans nothing', () => {
    const first = planInit(resolved('60 MINUTE'), FRESH_ACCOUNT, { apiKeyProvided: true });
    const afterTask = applyToLive(FRESH_ACCOUNT, first);
    const toService = planInit(resolved('continuous'), afterTask);
    expect(ids(toService)).toEqual(['- task-drop', '+ service']);
    const again = planInit(resolved('continuous'), applyToLive(afterTask, toService));
    expect(again.steps).toEqual([]);
  });

  it('continuous → triggered drops the service, then creates and resumes the task', () => {
    const live = applyToLive(FRESH_ACCOUNT, planInit(resolved('continuous'), FRESH_ACCOUNT, { apiKeyProvided: true }));
    expect(live.task).toBeUndefined();
    const back = planInit(resolved('triggered'), live);
    expect(ids(back)).toEqual(['- service-drop', '+ task', '+ task-resume']);
  });

  it('a changed service is dropped and created again; a suspended unchanged one is resumed', () => {
    const live = applyToLive(FRESH_ACCOUNT, planInit(resolved('continuous'), FRESH_ACCOUNT, { apiKeyProvided: true }));
    const changed = planInit(resolveAnswers({ ...BASE_ANSWERS, schedule: 'continuous', worker: { rate: 100 } }), live);
    expect(ids(changed)).toEqual(['- service-drop', '+ service']);
    const paused = planInit(resolved('continuous'), { ...live, service: { ...live.service!, status: 'SUSPENDED' } });
    expect(paused.steps.map((s) => (s as { sql?: string }).sql)).toEqual(['ALTER SERVICE ANALYTICS.BATCH_SYNC.BATCH_SYNC_SERVICE RESUME']);
  });

  it('the saved config records the service and forgets the task it replaced', () => {
    const plan1 = planInit(resolved('60 MINUTE'), FRESH_ACCOUNT, { apiKeyProvided: true });
    const config1 = configAfterInit(null, resolved('60 MINUTE'), plan1, new Set(plan1.steps.map((s) => s.id)), new Date());
    const plan2 = planInit(resolved('continuous'), applyToLive(FRESH_ACCOUNT, plan1), { apiKeyProvided: true, previous: config1 });
    const config2 = configAfterInit(config1, resolved('continuous'), plan2, new Set(plan2.steps.map((s) => s.id)), new Date());
    const types = config2.created.map((c) => `${c.type} ${c.name}`);
    expect(types).toContain('SERVICE ANALYTICS.BATCH_SYNC.BATCH_SYNC_SERVICE');
    expect(types).not.toContain('TASK ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK');
  });
});

describe('the modes table (wizard prompt, plan notes)', () => {
  it('puts latency and cost side by side; continuous costs the pool around the clock', async () => {
    const { renderScheduleModes, scheduleModeRows } = await import('../../src/plan/schedule-modes.js');
    const rows = scheduleModeRows('CPU_X64_XS');
    expect(rows.map((r) => r.mode)).toEqual(['scheduled', 'triggered', 'continuous']);
    // 0.06 credits/hour × 24 h (shared/cost/credits.ts), 5-minute minimum per scheduled run.
    expect(rows[2]!.cost).toContain('1.44 credits/day');
    expect(rows[0]!.cost).toContain('0.01 credits per run');
    expect(rows[1]!.latency).toContain('30 s');
    const table = renderScheduleModes('CPU_X64_XS').split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/mode\s+latency \(change → Batch\)\s+cost/);
  });

  it('the plan of a continuous sync says what it costs per day', () => {
    const plan = planInit(resolved('continuous'), FRESH_ACCOUNT, { apiKeyProvided: true });
    expect(plan.notes.join('\n')).toMatch(/Schedule continuous: latency ~1 s poll.*1\.44 credits\/day/);
  });
});
