/**
 * Several syncs per project with the features merged from main: any sync can be a profile or an event sync
 * (its own kind, event columns and outbox), keeps the view's columns it last synced (mapping-change resync),
 * and its resync request is its own (its control row, its pending marker, before its own resume).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answersOf, findSync, loadProjectConfig, sameConfig, saveProjectConfig } from '../../src/config/project-config.js';
import { configAfterInit } from '../../src/apply/record-install.js';
import { planInit, planProject } from '../../src/plan/init-plan.js';
import type { LiveState } from '../../src/plan/live-state.js';
import { resolveAnswers, resolveInstall } from '../../src/plan/names.js';
import { workerArgs } from '../../src/plan/task-steps.js';
import { savedMapping } from '../../src/wizard/mapping-change.js';
import { parseWorkerOptions } from '../../worker/options.js';
import { eventStateTables } from '../../worker/events/capture.js';
import { stateTables } from '../../worker/sync/state-tables.js';
import { applyToLive, BASE_ANSWERS, FRESH_ACCOUNT } from '../plan/fixtures.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const ORDERS_EVENTS = {
  ...BASE_ANSWERS,
  source: { kind: 'view' as const, view: 'ANALYTICS.PUBLIC.ORDER_EVENTS_V' },
  idColumn: 'CUSTOMER_ID',
  dateColumns: [],
  urlColumns: [],
  initialSync: false,
  projectKey: 'PROJECT_KEY_2',
  kind: 'event' as const,
  event: { eventNameColumn: 'EVENT_NAME', eventTimeColumn: 'ORDERED_AT' },
};
const PROFILES_COLUMNS = ['USER_ID', 'EMAIL', 'SIGNUP_DATE', 'HOMEPAGE'];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bsf-multisync-kinds-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function installDefault() {
  const resolved = resolveAnswers(BASE_ANSWERS);
  const plan = planInit(resolved, FRESH_ACCOUNT);
  const config = configAfterInit(null, resolved, plan, new Set(plan.steps.map((s) => s.id)), NOW, [resolved], PROFILES_COLUMNS);
  return { resolved, config, live: applyToLive(FRESH_ACCOUNT, plan) };
}

function sharedOnly(live: LiveState): LiveState {
  const { view: _v, stream: _s, task: _t, pendingTable: _p, pendingStream: _ps, viewChain: _c, ...shared } = live;
  return { ...shared, view: { comment: null, changeTracking: true }, baseTables: [] };
}

/** The default profile sync, then an event sync `orders` added to it. */
function addEventSync() {
  const first = installDefault();
  const orders = resolveAnswers(ORDERS_EVENTS, 'orders');
  const plan = planProject(orders, [{ resolved: first.resolved, live: first.live }, { resolved: orders, live: sharedOnly(first.live) }], { previous: first.config });
  const config = configAfterInit(first.config, orders, plan, new Set(plan.steps.map((s) => s.id)), NOW, [first.resolved, orders], ['CUSTOMER_ID', 'EVENT_NAME', 'ORDERED_AT']);
  return { first, orders, plan, config };
}

describe('an event sync next to a profile sync', () => {
  it('has its own APPEND_ONLY stream, events outbox and task running the worker with --sync-name and --kind event', () => {
    const { orders, plan, config } = addEventSync();
    expect(orders.names.outbox).toEqual(['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_EVENTS_OUTBOX__ORDERS']);
    expect(orders.names.stateTables[0]).toEqual(orders.names.outbox);
    const stream = plan.steps.find((s) => s.id === 'stream@orders');
    expect(stream?.kind === 'sql' && stream.sql).toMatch(/BATCH_SYNC_STREAM__ORDERS[\s\S]*APPEND_ONLY = TRUE/);
    const args = workerArgs(orders.answers, orders.names);
    expect(args).toEqual(expect.arrayContaining(['--sync-name', 'orders', '--kind', 'event', '--event-time-column', 'ORDERED_AT']));
    const parsed = parseWorkerOptions(args, { env: { BATCH_REST_API_KEY: 'k' } });
    expect(parsed).toMatchObject({ syncName: 'orders', kind: 'event' });
    // The worker's tables are the ones init recorded (uninstall drops them, status counts them).
    expect(eventStateTables('ANALYTICS.BATCH_SYNC', 'orders').outbox).toBe('ANALYTICS.BATCH_SYNC.BATCH_SYNC_EVENTS_OUTBOX__ORDERS');
    expect(eventStateTables('ANALYTICS.BATCH_SYNC', 'orders').pending).toBe('ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING__ORDERS');
    expect(stateTables('ANALYTICS.BATCH_SYNC', 'default').outbox).toBe('ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX');
    expect(config.created.map((c) => c.name)).toEqual(expect.arrayContaining(['ANALYTICS.BATCH_SYNC.BATCH_SYNC_EVENTS_OUTBOX__ORDERS', 'ANALYTICS.BATCH_SYNC.BATCH_SYNC_OUTBOX']));
  });

  it('keeps each sync its kind, event columns and synced columns through the file', async () => {
    const { first, config } = addEventSync();
    const path = join(dir, 'batch-snowflake.json');
    await saveProjectConfig(path, config);
    const loaded = (await loadProjectConfig(path))!;
    expect(loaded.syncs.map((s) => [s.name, s.kind])).toEqual([['default', 'profile'], ['orders', 'event']]);
    expect(findSync(loaded, 'orders')).toMatchObject({ event: { eventNameColumn: 'EVENT_NAME', eventTimeColumn: 'ORDERED_AT' }, syncedColumns: ['CUSTOMER_ID', 'EVENT_NAME', 'ORDERED_AT'] });
    expect(findSync(loaded, 'default')?.syncedColumns).toEqual(PROFILES_COLUMNS);
    expect(loaded.project).not.toHaveProperty('kind');
    expect(answersOf(loaded, 'default')).toEqual(first.resolved.answers);
    expect(resolveInstall(loaded, 'orders').names.outbox).toEqual(['ANALYTICS', 'BATCH_SYNC', 'BATCH_SYNC_EVENTS_OUTBOX__ORDERS']);
    expect(savedMapping(loaded, 'default')?.columns).toEqual(PROFILES_COLUMNS);
    expect(savedMapping(loaded, 'new_one')).toBeNull();
    // A rerun with no change compares what it would save with what it read: equal (key order and time aside).
    expect(sameConfig({ ...config, updatedAt: 'later' }, loaded)).toBe(true);
    expect(sameConfig({ ...config, syncs: config.syncs.map((s) => ({ ...s, schedule: '5 MINUTE' })) }, loaded)).toBe(false);
  });

  it('refuses a file whose event sync lacks its event columns', async () => {
    const { config } = addEventSync();
    const path = join(dir, 'batch-snowflake.json');
    const broken = { ...config, syncs: config.syncs.map((s) => (s.name === 'orders' ? { ...s, event: undefined } : s)) };
    await writeFile(path, JSON.stringify(broken));
    await expect(loadProjectConfig(path)).rejects.toThrow(/syncs\.1\.event: an event sync needs its event columns/);
  });

  it("migrates a version-1 file's synced columns into its one sync", async () => {
    const path = join(dir, 'batch-snowflake.json');
    const { config } = installDefault();
    await writeFile(path, JSON.stringify({ version: 1, answers: answersOf(config, 'default'), created: config.created, syncedColumns: ['A', 'B'] }));
    const loaded = (await loadProjectConfig(path))!;
    expect(loaded).not.toHaveProperty('syncedColumns');
    expect(findSync(loaded, 'default')?.syncedColumns).toEqual(['A', 'B']);
  });
});

describe("a sync's mapping change", () => {
  it('records its resync request in its own control row and marker, before its own resume', () => {
    const { first, config } = addEventSync();
    const customers = { ...BASE_ANSWERS, source: { kind: 'view' as const, view: 'ANALYTICS.PUBLIC.CUSTOMERS_V' }, idColumn: 'ID', dateColumns: [], urlColumns: [], projectKey: 'PROJECT_KEY_3' };
    const added = resolveAnswers(customers, 'customers');
    const shared = sharedOnly(first.live);
    const withCustomers = configAfterInit(config, added, planProject(added, [{ resolved: added, live: shared }], { previous: config }), new Set(), NOW, [added], ['ID', 'SEEN_AT']);
    const changed = resolveAnswers({ ...customers, dateColumns: ['SEEN_AT'] }, 'customers');
    const live = { ...shared, viewProfiles: 42, stream: { source: 'ANALYTICS.PUBLIC.CUSTOMERS_V', stale: false }, pendingTable: {}, pendingStream: { stale: false }, task: { state: 'suspended' as const, comment: null, lastSuspendedReason: null } };
    const before = savedMapping(withCustomers, 'customers')!;
    const mapping = { before, after: { ...before, dateColumns: ['SEEN_AT'] }, resync: true, unsetRemoved: false, removedDecided: true, requestId: 'req-1', now: NOW };
    const plan = planProject(changed, [{ resolved: first.resolved, live: first.live }, { resolved: changed, live }], { previous: withCustomers, mapping });
    const ids = plan.steps.map((s) => s.id);
    expect(ids).toContain('resync@customers');
    expect(ids.indexOf('resync@customers')).toBeLessThan(ids.indexOf('task-resume@customers'));
    const step = plan.steps.find((s) => s.id === 'resync@customers');
    expect(step?.summary).toMatch(/^\[customers\] resync: the next run re-sends every row of ANALYTICS\.PUBLIC\.CUSTOMERS_V \(42 profiles/);
    const binds = step?.kind === 'resync' ? step.statements.flatMap((s) => s.binds) : [];
    expect(binds).toContain('ANALYTICS.BATCH_SYNC.BATCH_SYNC_STREAM__CUSTOMERS');
    const sql = step?.kind === 'resync' ? step.statements.map((s) => s.sql).join('\n') : '';
    expect(sql).toContain('INSERT INTO ANALYTICS.BATCH_SYNC.BATCH_SYNC_PENDING__CUSTOMERS');
    // The other syncs plan nothing.
    expect(ids.every((id) => id.endsWith('@customers'))).toBe(true);
  });
});
