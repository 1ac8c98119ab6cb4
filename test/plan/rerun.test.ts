import { describe, expect, it } from 'vitest';
import { configAfterInit } from '../../src/apply/record-install.js';
import { planInit } from '../../src/plan/init-plan.js';
import { renderPlanSql, renderPlanSummary } from '../../src/plan/render-plan.js';
import type { InitAnswersInput } from '../../src/config/answers.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { resolveAnswers } from '../../src/plan/names.js';

/** First init on a fresh account, applied: the state a rerun starts from. */
function installed(answers: InitAnswersInput = BASE_ANSWERS) {
  const plan = planInit(resolveAnswers(answers), FRESH_ACCOUNT);
  const live = applyToLive(FRESH_ACCOUNT, plan);
  const config = configAfterInit(null, resolveAnswers(answers), plan, new Set(plan.steps.map((s) => s.id)), new Date('2026-01-01T00:00:00Z'));
  return { live, config };
}

describe('rerun = reconfigure', () => {
  it('plans nothing when nothing changed', () => {
    const { live, config } = installed();
    const plan = planInit(resolveAnswers(BASE_ANSWERS), live, { previous: config });
    expect(plan.steps).toEqual([]);
    expect(renderPlanSummary(plan)).toMatch(/^No changes: everything is already set up as requested\.\n  = 12 unchanged: schema ANALYTICS\.BATCH_SYNC; /);
    expect(renderPlanSql(plan)).toBe('-- No changes: everything is already set up as requested.\n');
  });

  it('replaces only the task when the date/URL columns change', () => {
    const { live, config } = installed();
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, dateColumns: ['SIGNUP_DATE', 'LAST_LOGIN'], urlColumns: [] }), live, { previous: config });
    expect(plan.steps.map((s) => `${s.action} ${s.id}`)).toEqual(['change task-suspend', 'change task', 'change task-resume']);
    const sql = renderPlanSql(plan);
    expect(sql).toContain('- "--date-columns"\n        - "SIGNUP_DATE,LAST_LOGIN"');
    expect(sql).not.toContain('--url-columns');
    expect(sql.indexOf('SUSPEND')).toBeLessThan(sql.indexOf('CREATE OR REPLACE TASK'));
  });

  it('replaces the view and recreates the stream, flagged destructive, when the SELECT changes', () => {
    const { live, config } = installed();
    const answers = { ...BASE_ANSWERS, source: { kind: 'select' as const, sql: 'SELECT user_id, email FROM ANALYTICS.PUBLIC.USERS', viewName: 'BATCH_SYNC_VIEW' } };
    const plan = planInit(resolveAnswers(answers), live, { previous: config });
    expect(plan.steps.map((s) => `${s.action} ${s.id}`)).toEqual(['change view', 'change stream']);
    const stream = plan.steps[1];
    expect(stream?.destructive).toBe(true);
    expect(stream?.warning).toBe(
      'the view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW is replaced, which breaks the stream on it: recreating the stream drops its unread changes and every row of the view is sent again on the next run (full resync)',
    );
    expect(renderPlanSummary(plan)).toMatchInlineSnapshot(`
      "Plan: 0 to create, 2 to change, 0 to drop.
        ~  view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW (new SELECT)
        ~! stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM on view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW (recreated)
             destructive: the view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW is replaced, which breaks the stream on it: recreating the stream drops its unread changes and every row of the view is sent again on the next run (full resync)
        = 10 unchanged: schema ANALYTICS.BATCH_SYNC; change tracking on the 1 base table(s) of ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW; image repository ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY; compute pool BATCH_SYNC_POOL (CPU_X64_XS); network rule ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE; external access integration BATCH_API_INTEGRATION; secret ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET; worker image /analytics/batch_sync/batch_sync_repository/batch-snowflake-worker:0.1.0; pending-changes marker ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING and its stream; task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK (60 MINUTE)
      "
    `);
    const sql = renderPlanSql(plan);
    expect(sql).toContain('CREATE OR REPLACE VIEW ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW\n  CHANGE_TRACKING = TRUE\n  COPY GRANTS');
    expect(sql).toContain('CREATE OR REPLACE STREAM ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM');
  });

  it('recreates a stale stream and one that reads another view', () => {
    const { live, config } = installed();
    const stale = planInit(resolveAnswers(BASE_ANSWERS), { ...live, stream: { source: 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW', stale: true } }, { previous: config });
    expect(stale.steps.map((s) => s.id)).toEqual(['stream']);
    expect(stale.steps[0]?.warning).toMatch(/^the stream is stale/);
    const moved = planInit(resolveAnswers(BASE_ANSWERS), { ...live, stream: { source: 'ANALYTICS.PUBLIC.OTHER_VIEW', stale: false } }, { previous: config });
    expect(moved.steps[0]?.warning).toMatch(/^the stream reads ANALYTICS\.PUBLIC\.OTHER_VIEW, not ANALYTICS\.BATCH_SYNC\.BATCH_SYNC_VIEW/);
  });

  it('resumes a task suspended after errors, saying why', () => {
    const { live, config } = installed();
    const plan = planInit(resolveAnswers(BASE_ANSWERS), { ...live, task: { ...live.task!, state: 'suspended', lastSuspendedReason: 'SUSPENDED_DUE_TO_ERRORS' } }, { previous: config });
    expect(plan.steps.map((s) => s.summary)).toEqual(['resume task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK (suspended: SUSPENDED_DUE_TO_ERRORS)']);
  });

  it('builds and deploys a new image tag: docker steps and the task only', () => {
    const { live, config } = installed();
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, imageTag: '0.2.0' }), live, { previous: config });
    expect(plan.steps.map((s) => s.id)).toEqual(['docker-login', 'docker-build', 'docker-push', 'task-suspend', 'task', 'task-resume']);
    expect(plan.imageTag).toBe('0.2.0');
  });

  it('keeps the deployed tag with --skip-image and no --image-tag', () => {
    const { live, config } = installed();
    const { imageTag: _tag, ...answers } = BASE_ANSWERS;
    const plan = planInit(resolveAnswers({ ...answers, skipImage: true }), live, { previous: config });
    expect(plan.steps).toEqual([]);
    expect(plan.imageTag).toBe('0.1.0');
  });

  it('rotates the secret only when a new key is provided', () => {
    const { live, config } = installed();
    const plan = planInit(resolveAnswers(BASE_ANSWERS), live, { previous: config, apiKeyProvided: true });
    expect(plan.steps.map((s) => (s.kind === 'sql' ? s.sql : s.id))).toEqual([
      "ALTER SECRET ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET SET SECRET_STRING = '<from BATCH_REST_API_KEY>'",
    ]);
  });

  it('updates the credentials row when the project key changes (table mode)', () => {
    const { live, config } = installed({ ...BASE_ANSWERS, credentials: 'table' });
    const plan = planInit(resolveAnswers({ ...BASE_ANSWERS, credentials: 'table', projectKey: 'PROJECT_KEY_2' }), live, { previous: config });
    expect(plan.steps.map((s) => s.id)).toEqual(['credentials-row', 'task-suspend', 'task', 'task-resume']);
  });

  it('alters the compute pool only if batch-snowflake created it', () => {
    const { live, config } = installed();
    const ours = planInit(resolveAnswers({ ...BASE_ANSWERS, autoSuspendSecs: 120 }), live, { previous: config });
    expect(ours.steps.map((s) => (s.kind === 'sql' ? s.sql : s.id))).toEqual(['ALTER COMPUTE POOL BATCH_SYNC_POOL SET AUTO_SUSPEND_SECS = 120']);
    const notOurs = planInit(resolveAnswers({ ...BASE_ANSWERS, autoSuspendSecs: 120 }), live, { previous: { ...config, created: [] } });
    expect(notOurs.steps).toEqual([]);
  });

  it('refuses to change an integration it did not create', () => {
    const { live, config } = installed();
    const foreign = { ...live, integration: { enabled: true, allowedNetworkRules: ['OTHER.DB.RULE'] } };
    expect(() => planInit(resolveAnswers(BASE_ANSWERS), foreign, { previous: { ...config, created: [] } })).toThrow(/exists but does not allow network rule/);
    const ours = planInit(resolveAnswers(BASE_ANSWERS), foreign, { previous: config });
    expect(ours.steps.map((s) => s.id)).toEqual(['integration']);
    expect(ours.steps[0]?.kind === 'sql' && ours.steps[0].sql).toMatch(/^CREATE OR REPLACE EXTERNAL ACCESS INTEGRATION/);
  });

  it('flags replacing a same-named view that batch-snowflake did not create', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), { ...FRESH_ACCOUNT, view: { comment: 'owned by analytics team', changeTracking: true } });
    expect(plan.steps.find((s) => s.id === 'view')).toMatchObject({ action: 'change', destructive: true, warning: expect.stringContaining('was not created by batch-snowflake') });
  });
});
