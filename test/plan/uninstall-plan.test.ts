import { describe, expect, it } from 'vitest';
import { configAfterInit, configAfterUninstall } from '../../src/apply/record-install.js';
import { planInit, planProject } from '../../src/plan/init-plan.js';
import { renderPlanSql } from '../../src/plan/render-plan.js';
import { planUninstall } from '../../src/plan/uninstall-plan.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from './fixtures.js';
import { resolveAnswers, resolveInstall } from '../../src/plan/names.js';

const NOW = new Date('2026-02-03T04:05:06Z');

function install(live = FRESH_ACCOUNT, answers = BASE_ANSWERS) {
  const plan = planInit(resolveAnswers(answers), live);
  const config = configAfterInit(null, resolveAnswers(answers), plan, new Set(plan.steps.map((s) => s.id)), NOW);
  return { plan, config, live: { ...applyToLive(live, plan), stateTables: ['BATCH_SYNC_OUTBOX', 'BATCH_SYNC_RUNS', 'BATCH_SYNC_REJECTED', 'BATCH_SYNC_CONTROL'] } };
}

describe('recording what init created', () => {
  it('lists created objects (not reused ones), the worker tables and the deployed tag', () => {
    const reused = { ...FRESH_ACCOUNT, computePool: { autoSuspendSecs: 300, instanceFamily: 'CPU_X64_XS' } };
    const { config } = install(reused);
    expect(config.created.map((c) => `${c.type} ${c.name}`)).toEqual([
      'VIEW ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW',
      'STREAM ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM',
      'IMAGE REPOSITORY ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY',
      'NETWORK RULE ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE',
      'INTEGRATION BATCH_API_INTEGRATION',
      'SECRET ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET',
      'TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING',
      'STREAM ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM',
      'TASK ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK',
      'TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX',
      'TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_RUNS',
      'TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_REJECTED',
      // The run lock, pause flag and resync request (shared/state/control-table.ts): the worker creates it.
      'TABLE ANALYTICS.BATCH_SYNC.BATCH_SYNC_CONTROL',
    ]);
    expect(config).toMatchObject({ version: 2, deployedImageTag: '0.1.0', updatedAt: '2026-02-03T04:05:06.000Z' });
  });

  it('records a partial install up to the failed step, keeping the previous tag', () => {
    const plan = planInit(resolveAnswers(BASE_ANSWERS), FRESH_ACCOUNT);
    const done = new Set(plan.steps.slice(0, 6).map((s) => s.id));
    const config = configAfterInit(null, resolveAnswers(BASE_ANSWERS), plan, done, NOW);
    // The target schema (step 1) is created but not recorded: uninstall never drops a schema.
    expect(plan.steps[0]?.id).toBe('schema');
    expect(config.created.map((c) => c.type)).toEqual(['VIEW', 'STREAM', 'IMAGE REPOSITORY', 'COMPUTE POOL']);
    expect(config.deployedImageTag).toBeUndefined();
  });
});

describe('planUninstall', () => {
  it('drops exactly what init created, dependents first, and keeps the view', () => {
    const { config, live } = install();
    const plan = planUninstall(resolveInstall(config), live);
    expect(renderPlanSql(plan)).toMatchInlineSnapshot(`
      "-- [1/14] - task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK
      DROP TASK IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK;

      -- [2/14] - stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM
      -- DESTRUCTIVE: changes not yet read by the worker are lost
      DROP STREAM IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM;

      -- [3/14] - stream ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM
      -- DESTRUCTIVE: changes not yet read by the worker are lost
      DROP STREAM IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM;

      -- [4/14] - table ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING
      -- DESTRUCTIVE: its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)
      DROP TABLE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING;

      -- [5/14] - table ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX
      -- DESTRUCTIVE: its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)
      DROP TABLE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX;

      -- [6/14] - table ANALYTICS.BATCH_SYNC.BATCH_SYNC_RUNS
      -- DESTRUCTIVE: its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)
      DROP TABLE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_RUNS;

      -- [7/14] - table ANALYTICS.BATCH_SYNC.BATCH_SYNC_REJECTED
      -- DESTRUCTIVE: its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)
      DROP TABLE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_REJECTED;

      -- [8/14] - table ANALYTICS.BATCH_SYNC.BATCH_SYNC_CONTROL
      -- DESTRUCTIVE: its rows are deleted (run history, rejected rows, unsent outbox rows or the stored credentials)
      DROP TABLE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_CONTROL;

      -- [9/14] - secret ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET
      DROP SECRET IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_API_KEY_SECRET;

      -- [10/14] - integration BATCH_API_INTEGRATION
      DROP INTEGRATION IF EXISTS BATCH_API_INTEGRATION;

      -- [11/14] - network rule ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE
      DROP NETWORK RULE IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_API_NETWORK_RULE;

      -- [12/14] - image repository ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY
      -- DESTRUCTIVE: the worker images in it are deleted
      DROP IMAGE REPOSITORY IF EXISTS ANALYTICS.BATCH_SYNC.BATCH_SYNC_REPOSITORY;

      -- [13/14] ~ stop all jobs on compute pool BATCH_SYNC_POOL
      ALTER COMPUTE POOL IF EXISTS BATCH_SYNC_POOL STOP ALL;

      -- [14/14] - compute pool BATCH_SYNC_POOL
      -- DESTRUCTIVE: any job still running on it is stopped
      DROP COMPUTE POOL IF EXISTS BATCH_SYNC_POOL;
      "
    `);
    expect(plan.notes).toEqual([
      'Kept view ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW (your SELECT); drop it yourself with DROP VIEW ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW; if you no longer need it.',
      'Kept change tracking on table ANALYTICS.PUBLIC.USERS (init turned it on; other streams may use it): `batch-snowflake uninstall --disable-change-tracking` turns it off.',
      'Kept on purpose: your source data, the target schema, and any compute pool, image repository or integration init reused rather than created.',
    ]);
  });

  it('never drops reused objects', () => {
    const reused = { ...FRESH_ACCOUNT, computePool: { autoSuspendSecs: 300, instanceFamily: 'CPU_X64_XS' }, imageRepository: { url: 'h/a/b/c', imageTags: [] } };
    const { config, live } = install(reused);
    const sql = renderPlanSql(planUninstall(resolveInstall(config), live));
    expect(sql).not.toContain('COMPUTE POOL');
    expect(sql).not.toContain('IMAGE REPOSITORY');
  });

  it('skips objects already gone, drops the view on request, and works without a connection', () => {
    const { config, live } = install();
    const partial = planUninstall(resolveInstall(config), { ...live, task: undefined, stateTables: ['BATCH_SYNC_RUNS'] }, { dropView: true });
    expect(partial.steps.map((s) => s.id)).not.toContain('drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK');
    expect(partial.steps.map((s) => s.id)).toContain('drop:VIEW:ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW');
    expect(partial.unchanged).toContain('task ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK (already gone)');
    expect(partial.unchanged).toContain('table ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX (already gone)');
    const offline = planUninstall(resolveInstall(config), null);
    expect(offline.steps.filter((s) => s.action === 'drop')).toHaveLength(config.created.length - 1);
  });

  it('drops the job services the task ran right after the task (also when the task is already gone); a running one is flagged', () => {
    const { config, live } = install();
    const done = { name: ['ANALYTICS', 'BATCH_SYNC', 'JOB_01B2C3D4'], status: 'DONE' };
    const running = { name: ['ANALYTICS', 'BATCH_SYNC', 'JOB_0A0B0C0D'], status: 'RUNNING' };
    const plan = planUninstall(resolveInstall(config), live, { jobServices: [done, running] });
    expect(plan.steps.slice(0, 3).map((s) => s.id)).toEqual([
      'drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_01B2C3D4', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_0A0B0C0D',
    ]);
    const sql = renderPlanSql(plan);
    expect(sql).toContain('-- [2/16] - job service ANALYTICS.BATCH_SYNC.JOB_01B2C3D4 (done)\nDROP SERVICE IF EXISTS ANALYTICS.BATCH_SYNC.JOB_01B2C3D4;');
    expect(sql).toContain('-- [3/16] - job service ANALYTICS.BATCH_SYNC.JOB_0A0B0C0D (running)\n-- DESTRUCTIVE: this sync run is stopped before it finishes\nDROP SERVICE');
    const taskGone = planUninstall(resolveInstall(config), { ...live, task: undefined }, { jobServices: [done] });
    expect(taskGone.steps[0]?.id).toBe('drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_01B2C3D4');
    // Not listable: nothing dropped blindly, and the plan says so; offline: the same, with the reason.
    expect(planUninstall(resolveInstall(config), live, { jobServices: null }).notes).toContain('SHOW JOB SERVICES is not available here: job services the task ran (JOB_…) were not looked for; they expire after 30 days.');
    expect(planUninstall(resolveInstall(config), null).notes.some((n) => n.startsWith('Job services the task ran (JOB_…) are looked for only with a connection'))).toBe(true);
    // A config that did not create the task drops no job service.
    const noTask = { ...config, created: config.created.filter((c) => c.type !== 'TASK') };
    expect(planUninstall(resolveInstall(noTask), live, { jobServices: [done] }).steps.map((s) => s.id)).not.toContain('drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_01B2C3D4');
  });

  it('a project of two syncs: each sync\'s job services are dropped once, right after its task; no other service is', () => {
    const first = install();
    const orders = resolveAnswers({ ...BASE_ANSWERS, source: { kind: 'view', view: 'ANALYTICS.PUBLIC.ORDERS_V' }, names: { jobName: 'ORDERS_JOB' } }, 'orders');
    const { view: _v, stream: _s, task: _t, pendingTable: _p, pendingStream: _ps, viewChain: _c, ...shared } = first.live;
    const added = planProject(orders, [{ resolved: resolveAnswers(BASE_ANSWERS), live: first.live }, { resolved: orders, live: { ...shared, view: { comment: null, changeTracking: true }, baseTables: [] } }], { previous: first.config });
    const config = configAfterInit(first.config, orders, added, new Set(added.steps.map((s) => s.id)), NOW, [resolveAnswers(BASE_ANSWERS), orders]);
    const job = (name: string, status = 'DONE') => ({ name: ['ANALYTICS', 'BATCH_SYNC', name], status });
    // SHOW JOB SERVICES on the pool: the default sync's generated jobs, the orders sync's fixed one, and a service of no sync.
    const jobServices = [job('JOB_01B2C3D4'), job('ORDERS_JOB', 'RUNNING'), job('JOB_0A0B0C0D'), job('NOT_OURS')];
    const plan = planUninstall(resolveInstall(config), first.live, { jobServices });
    const ids = plan.steps.map((s) => s.id);
    expect(ids.slice(0, 5)).toEqual([
      'drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_01B2C3D4', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_0A0B0C0D',
      'drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK__ORDERS', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.ORDERS_JOB',
    ]);
    expect(ids.filter((id) => id.startsWith('drop:SERVICE:'))).toHaveLength(3);
    // Two syncs with generated names share the `JOB_…` jobs: each is dropped once, after the first task.
    const generated = { ...config, syncs: config.syncs.map((s) => ({ ...s, names: { ...s.names, jobName: undefined } })) };
    const both = planUninstall(resolveInstall(generated), first.live, { jobServices }).steps.map((s) => s.id);
    expect(both.filter((id) => id.startsWith('drop:SERVICE:'))).toEqual(['drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_01B2C3D4', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.JOB_0A0B0C0D']);
    // Not listable: the note once, not once per task.
    expect(planUninstall(resolveInstall(config), first.live, { jobServices: null }).notes.filter((n) => n.startsWith('SHOW JOB SERVICES is not available'))).toHaveLength(1);
    // Removing one sync: its fixed-name job goes; `JOB_…` jobs are kept when a sync that stays runs jobs named so too.
    const only = (c: typeof config, sync: string) => {
      const one = resolveInstall(c, sync);
      return { ...one, created: one.created.filter((o) => o.type === 'TASK' && o.parts.join('.') === one.names.task.join('.')) };
    };
    expect(planUninstall(only(config, 'orders'), first.live, { jobServices }).steps.map((s) => s.id)).toEqual(['drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK__ORDERS', 'drop:SERVICE:ANALYTICS.BATCH_SYNC.ORDERS_JOB']);
    const alongside = planUninstall(only(generated, 'orders'), first.live, { jobServices });
    expect(alongside.steps.map((s) => s.id)).toEqual(['drop:TASK:ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK__ORDERS']);
    expect(alongside.notes).toContain('Kept the job services named JOB_… on the pool: the task of sync(s) default, which stay, runs jobs named so too, and SHOW JOB SERVICES does not say which task ran which; they expire after 30 days.');
  });

  it('forgets dropped objects in the config', () => {
    const { config, live } = install();
    const plan = planUninstall(resolveInstall(config), live);
    const after = configAfterUninstall(config, plan, new Set(plan.steps.map((s) => s.id)), NOW);
    expect(after.created).toEqual([{ type: 'VIEW', name: 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_VIEW' }]);
    expect(after.changeTrackingEnabled).toEqual([{ type: 'TABLE', name: 'ANALYTICS.PUBLIC.USERS' }]);
  });

  it('init records the tables it turned change tracking on; --disable-change-tracking turns it off again and forgets them', () => {
    const { config, live } = install();
    expect(config.changeTrackingEnabled).toEqual([{ type: 'TABLE', name: 'ANALYTICS.PUBLIC.USERS' }]);
    const plan = planUninstall(resolveInstall(config), live, { disableChangeTracking: true });
    const sql = renderPlanSql(plan);
    expect(sql).toContain('ALTER TABLE ANALYTICS.PUBLIC.USERS SET CHANGE_TRACKING = FALSE;');
    expect(sql.indexOf('SET CHANGE_TRACKING = FALSE')).toBeGreaterThan(sql.indexOf('DROP STREAM'));
    expect(plan.notes.some((n) => n.startsWith('Kept change tracking'))).toBe(false);
    const after = configAfterUninstall(config, plan, new Set(plan.steps.map((s) => s.id)), NOW);
    expect(after.changeTrackingEnabled).toEqual([]);
  });
});
