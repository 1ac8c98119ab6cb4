/**
 * A project of two syncs on the SPCS path, end to end (issue 16 §3): the profile sync `default` installed as init
 * applies it, the event sync `orders` added with the real CLI (`init --sync orders --kind event`); each `run --sync`
 * executes its task, which runs the worker as a job service in the stand-in. Then: `status` without --sync (one
 * line per sync, read by SYNC_NAME, one sign-in), `logs --sync NAME` (that sync's job), `uninstall --sync orders`
 * (the default sync's objects intact and still syncing), the orders sync added again, and `uninstall` of both
 * (every sync's task, streams, outbox and the job services their tasks ran dropped).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventSource, insertEvents, utcText } from '../events/helpers/events-env.js';
import { cli, count, install, TARGET, type Installed } from './helpers/installed.js';
import { addOrders as addTwo } from './helpers/two-syncs.js';

let inst: Installed;
const names = async (show: string) => (await inst.admin.query<{ name: string }>(show)).rows.map((r) => r.name).sort();
const objects = async () => ({
  tasks: await names(`SHOW TASKS IN SCHEMA ${TARGET}`),
  streams: await names(`SHOW STREAMS IN SCHEMA ${TARGET}`),
  tables: await names(`SHOW TABLES IN SCHEMA ${TARGET}`),
  jobs: await names(`SHOW JOB SERVICES IN SCHEMA ${TARGET}`),
});
const logins = () => inst.sandbox.snowflake.observed.loginLog.length;

const addOrders = () => addTwo(inst);

async function runOk(sync: string) {
  const run = await cli(inst, ['run', '--sync', sync, '--timeout', '120', '--json']);
  expect(run.code, run.stderr + run.stdout).toBe(0);
  return run.json().result;
}

const ORDERS_OWN = ['BATCH_SYNC_TASK__ORDERS', 'BATCH_SYNC_STREAM__ORDERS', 'BATCH_SYNC_PENDING_STREAM__ORDERS', 'BATCH_SYNC_PENDING__ORDERS', 'BATCH_SYNC_EVENTS_OUTBOX__ORDERS'];

beforeAll(async () => {
  inst = await install();
  await createEventSource(inst.admin);
  const added = await addOrders();
  expect(added.code, added.stderr).toBe(0);
  await runOk('default');
  await insertEvents(inst.admin, [{ user: '1', name: 'purchase', time: utcText(-60_000) }, { user: '2', name: 'purchase', time: utcText(-30_000) }]);
  await runOk('orders');
}, 240_000);
afterAll(async () => inst?.close());

describe('two syncs on SPCS', () => {
  it('each task ran its own job service; the runs table names each run\'s sync', async () => {
    const { tasks, streams, tables, jobs } = await objects();
    expect(tasks).toEqual(['BATCH_SYNC_TASK', 'BATCH_SYNC_TASK__ORDERS']);
    expect(streams).toEqual(expect.arrayContaining(['BATCH_SYNC_STREAM', 'BATCH_SYNC_STREAM__ORDERS']));
    expect(tables).toEqual(expect.arrayContaining(['BATCH_SYNC_OUTBOX', 'BATCH_SYNC_EVENTS_OUTBOX__ORDERS', 'BATCH_SYNC_RUNS']));
    expect(jobs).toHaveLength(2);
    const runs = await inst.admin.query<{ SYNC_NAME: string; STATUS: string }>(`SELECT SYNC_NAME, STATUS FROM ${TARGET}.BATCH_SYNC_RUNS ORDER BY STARTED_AT`);
    expect(runs.rows).toEqual([{ SYNC_NAME: 'default', STATUS: 'SUCCESS' }, { SYNC_NAME: 'orders', STATUS: 'SUCCESS' }]);
  });

  it('status without --sync: one line per sync from its own runs (SYNC_NAME), one sign-in, exit 0', async () => {
    const before = { logins: logins(), statements: inst.statements.length };
    const human = await cli(inst, ['status']);
    expect(human.code, human.stderr).toBe(0);
    expect(logins() - before.logins).toBe(1);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ default +profile +healthy +last run succeeded \d{4}-\d\d-\d\d \d\d:\d\d UTC +pending 0$/);
    expect(lines[1]).toMatch(/^✔ orders +event +healthy +last run succeeded .* UTC +pending 0$/);
    expect(lines[2]).toBe('next: batch-snowflake status --sync NAME   (one of: default, orders)');
    const runReads = inst.statements.slice(before.statements).filter((s) => s.includes('BATCH_SYNC_RUNS') && s.startsWith('SELECT'));
    expect(runReads.length).toBe(2);
    for (const sql of runReads) expect(sql).toContain('(SYNC_NAME = ? OR (SYNC_NAME IS NULL AND SOURCE_STREAM = ?))');
    const json = await cli(inst, ['status', '--json']);
    expect(json.json().result.syncs.map((s: Record<string, unknown>) => [s.sync, s.kind, s.level, (s.lastRun as { outcome: string }).outcome])).toEqual([
      ['default', 'profile', 'healthy', 'succeeded'],
      ['orders', 'event', 'healthy', 'succeeded'],
    ]);
  });

  it('logs --sync NAME shows the last run of that sync\'s task: its own job\'s lines', async () => {
    const runIds = (await inst.admin.query<{ SYNC_NAME: string; RUN_ID: string }>(`SELECT SYNC_NAME, RUN_ID FROM ${TARGET}.BATCH_SYNC_RUNS`)).rows;
    for (const sync of ['default', 'orders']) {
      const logs = await cli(inst, ['logs', '--sync', sync, '--json']);
      expect(logs.code, logs.stdout).toBe(0);
      const text = JSON.stringify(logs.json().result.lines);
      const own = runIds.find((r) => r.SYNC_NAME === sync)!.RUN_ID;
      const other = runIds.find((r) => r.SYNC_NAME !== sync)!.RUN_ID;
      expect(text).toContain(own);
      expect(text).not.toContain(other);
    }
  });

  it('uninstall --sync orders drops only the orders sync\'s objects; the default sync is intact and still syncs', async () => {
    const before = await objects();
    const removed = await cli(inst, ['uninstall', '--sync', 'orders', '--yes']);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await objects();
    const all = (o: typeof after) => [...o.tasks, ...o.streams, ...o.tables];
    for (const name of ORDERS_OWN) expect(all(after)).not.toContain(name);
    // Everything else is as it was: the default sync's objects and the shared tables.
    expect(all(after)).toEqual(all(before).filter((n) => !ORDERS_OWN.includes(n)));
    // JOB_… services cannot be told apart by task while the default sync also runs JOB_… jobs: kept, with a note.
    expect(after.jobs).toEqual(before.jobs);
    expect(removed.stdout).toContain(`Uninstalled: dropped ${ORDERS_OWN.length} object(s) created by batch-snowflake.`);
    expect(removed.stdout).toContain('Kept the job services named JOB_… on the pool: the task of sync(s) default, which stay, runs jobs named so too');
    const config = JSON.parse(await readFile(inst.configPath, 'utf8')) as { syncs: Array<{ name: string }> };
    expect(config.syncs.map((s) => s.name)).toEqual(['default']);

    await inst.admin.query(`UPDATE DEMO_DB.PUBLIC.CUSTOMERS SET EMAIL = 'still.syncing@example.com' WHERE ID = 5`);
    const result = await runOk('default');
    expect(JSON.stringify(result)).toContain('succeeded');
    const profile = (await (await fetch(`${inst.sandbox.connection.batch.apiUrl}/_sandbox/profiles`)).json()) as Array<{ identifiers: { custom_id: string }; attributes: Record<string, { value: unknown }> }>;
    expect(profile.find((p) => p.identifiers.custom_id === '5')?.attributes.email?.value).toBe('still.syncing@example.com');
  }, 180_000);

  it('uninstall of both syncs drops every sync\'s task, streams, outbox and the job services their tasks ran', async () => {
    const again = await addOrders();
    expect(again.code, again.stderr).toBe(0);
    await insertEvents(inst.admin, [{ user: '3', name: 'purchase', time: utcText(-10_000) }]);
    await runOk('orders');
    const before = await objects();
    expect(before.tasks).toEqual(['BATCH_SYNC_TASK', 'BATCH_SYNC_TASK__ORDERS']);
    expect(before.jobs.length).toBeGreaterThanOrEqual(4);
    const { code, stdout, stderr } = await cli(inst, ['uninstall', '--yes']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Uninstalled: dropped \\d+ object\\(s\\) created by batch-snowflake and ${before.jobs.length} job service\\(s\\) its task ran\\.`));
    expect(await objects()).toEqual({ tasks: [], streams: [], tables: [], jobs: [] });
    expect(await names("SHOW COMPUTE POOLS LIKE 'BATCH_SYNC_POOL'")).toEqual([]);
    // The user's sources stay.
    expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.CUSTOMERS')).toBe(1000);
    expect(await count(inst.admin, 'SELECT COUNT(*) AS N FROM DEMO_DB.PUBLIC.ORDER_EVENTS')).toBe(3);
  }, 180_000);
});
