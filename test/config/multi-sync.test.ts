/**
 * Several syncs per project (issue 16 §3): a version-1 file loads as one sync named `default` and stays
 * unchanged on disk until an apply; a second sync gets its own objects (no name shared with the first) and
 * plans without touching the first; reconfiguring one leaves the other's lines unchanged; removing one drops
 * only its own objects.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answersOf, loadProjectConfig, saveProjectConfig } from '../../src/config/project-config.js';
import { configAfterInit } from '../../src/apply/record-install.js';
import { planInit, planProject } from '../../src/plan/init-plan.js';
import type { LiveState } from '../../src/plan/live-state.js';
import { checkSyncNames, resolveAnswers, resolveInstall, syncOwnObjects } from '../../src/plan/names.js';
import { planUninstall } from '../../src/plan/uninstall-plan.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from '../plan/fixtures.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const ORDERS = { ...BASE_ANSWERS, source: { kind: 'view' as const, view: 'ANALYTICS.PUBLIC.ORDERS_V' }, idColumn: 'CUSTOMER_ID', dateColumns: [], urlColumns: [], projectKey: 'PROJECT_KEY_2' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bsf-multisync-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** One sync installed the way a version-1 install was: the plan applied, the config as configAfterInit saves it. */
function installDefault() {
  const resolved = resolveAnswers(BASE_ANSWERS);
  const plan = planInit(resolved, FRESH_ACCOUNT);
  const config = configAfterInit(null, resolved, plan, new Set(plan.steps.map((s) => s.id)), NOW);
  return { resolved, config, live: applyToLive(FRESH_ACCOUNT, plan) };
}

/** What a sync added to an installed project sees: the shared objects exist, its own do not. */
function sharedOnly(live: LiveState): LiveState {
  const { view: _v, stream: _s, task: _t, pendingTable: _p, pendingStream: _ps, viewChain: _c, ...shared } = live;
  return { ...shared, view: { comment: null, changeTracking: true }, baseTables: [] };
}

describe('config migration', () => {
  it('a version-1 file loads as one sync named default, and is not rewritten by loading', async () => {
    const path = join(dir, 'batch-snowflake.json');
    const { config } = installDefault();
    const v1 = { version: 1, answers: answersOf(config, 'default'), created: config.created, deployedImageTag: '0.1.0' };
    const text = `${JSON.stringify(v1, null, 2)}\n`;
    await writeFile(path, text);
    const loaded = await loadProjectConfig(path);
    expect(loaded?.version).toBe(2);
    expect(loaded?.syncs.map((s) => s.name)).toEqual(['default']);
    expect(answersOf(loaded!, 'default')).toEqual(answersOf(config, 'default'));
    expect(loaded?.project).toMatchObject({ target: 'ANALYTICS.BATCH_SYNC', computePool: 'BATCH_SYNC_POOL' });
    expect(await readFile(path, 'utf8')).toBe(text);
    // Names are those of version 1: the migrated install plans no change.
    expect(resolveInstall(loaded!).names.stream).toEqual(['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_STREAM']);
    await saveProjectConfig(path, loaded!);
    const written = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(expect.arrayContaining(['version', 'project', 'syncs']));
    expect(written).not.toHaveProperty('answers');
  });
});

describe('a second sync', () => {
  it('gets its own stream, task, marker and outbox, and plans without changing the first', () => {
    const first = installDefault();
    const orders = resolveAnswers(ORDERS, 'orders');
    expect(orders.names.stream).toEqual(['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_STREAM__ORDERS']);
    expect(orders.names.outbox).toEqual(['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_OUTBOX__ORDERS']);
    expect(() => checkSyncNames([first.resolved, orders])).not.toThrow();
    const plan = planProject(orders, [{ resolved: first.resolved, live: first.live }, { resolved: orders, live: sharedOnly(first.live) }], { previous: first.config });
    // Only the new sync's objects are created; every step of it is labelled and suffixed.
    expect(plan.steps.map((s) => s.id)).toEqual(['stream@orders', 'pending-table@orders', 'pending-stream@orders', 'task@orders', 'task-resume@orders']);
    expect(plan.steps.every((s) => s.summary.startsWith('[orders] '))).toBe(true);
    expect(plan.unchanged.filter((line) => line.startsWith('[default] '))).toEqual(expect.arrayContaining([expect.stringMatching(/^\[default\] task /), expect.stringMatching(/^\[default\] stream /)]));
    const task = plan.steps.find((s) => s.id === 'task@orders');
    expect(task?.kind === 'sql' && task.sql).toMatch(/--sync-name[\s\S]*orders/);
    const saved = configAfterInit(first.config, orders, plan, new Set(plan.steps.map((s) => s.id)), NOW, [first.resolved, orders]);
    expect(saved.syncs.map((s) => s.name)).toEqual(['default', 'orders']);
    expect(saved.created.map((c) => c.name)).toContain('ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX__ORDERS');
    expect(answersOf(saved, 'default')).toEqual(answersOf(first.config, 'default'));
  });

  it('reconfiguring one sync leaves the other unchanged in the plan', () => {
    const first = installDefault();
    const orders = resolveAnswers(ORDERS, 'orders');
    const added = planProject(orders, [{ resolved: first.resolved, live: first.live }, { resolved: orders, live: sharedOnly(first.live) }], { previous: first.config });
    const config = configAfterInit(first.config, orders, added, new Set(added.steps.map((s) => s.id)), NOW, [first.resolved, orders]);
    const ordersLive = { ...sharedOnly(first.live), stream: { source: 'ANALYTICS.PUBLIC.ORDERS_V', stale: false }, pendingTable: {}, pendingStream: { stale: false }, task: { state: 'started' as const, comment: null, lastSuspendedReason: null } };
    const changed = resolveAnswers({ ...ORDERS, schedule: '15 MINUTE' }, 'orders');
    const plan = planProject(changed, [{ resolved: first.resolved, live: first.live }, { resolved: changed, live: ordersLive }], { previous: config });
    expect(plan.steps.every((s) => s.id.endsWith('@orders'))).toBe(true);
    expect(plan.steps.map((s) => s.id)).toContain('task@orders');
    expect(plan.unchanged).toEqual(expect.arrayContaining([expect.stringMatching(/^\[default\] task .*\(60 MINUTE\)/)]));
  });

  it('removing one sync drops only its own objects', () => {
    const first = installDefault();
    const orders = resolveAnswers(ORDERS, 'orders');
    const added = planProject(orders, [{ resolved: first.resolved, live: first.live }, { resolved: orders, live: sharedOnly(first.live) }], { previous: first.config });
    const config = configAfterInit(first.config, orders, added, new Set(added.steps.map((s) => s.id)), NOW, [first.resolved, orders]);
    const one = resolveInstall(config, 'orders');
    const own = syncOwnObjects(one.names, one.answers);
    const created = one.created.filter((c) => own.some((o) => o.type === c.type && o.name.join('.') === c.parts.join('.')));
    const plan = planUninstall({ ...one, created }, null);
    const dropped = plan.steps.filter((s) => s.action === 'drop').map((s) => (s.kind === 'sql' ? s.object.name.join('.') : ''));
    expect(dropped.sort()).toEqual(['ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX__ORDERS', 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING_STREAM__ORDERS', 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING__ORDERS', 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM__ORDERS', 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_TASK__ORDERS']);
  });

  it('refuses two syncs that would share an object', () => {
    const a = resolveAnswers(BASE_ANSWERS);
    const b = resolveAnswers({ ...ORDERS, names: { stream: 'BATCH_SYNC_STREAM' } }, 'orders');
    expect(() => checkSyncNames([a, b])).toThrow(/Syncs "default" and "orders" would both use stream/);
  });
});
