/**
 * `status --cost` without --sync on a project of two syncs (issue 21), end to end: the real CLI and snowflake-sdk,
 * the stand-in's tasks running the real worker as their jobs. Each sync shows its own estimate (its runs' durations)
 * like `status --sync NAME --cost`, and the actual credits of the shared pool and warehouse come from ONE
 * SNOWFLAKE.ACCOUNT_USAGE statement for both syncs; without IMPORTED PRIVILEGES, the estimates and the GRANT.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertEvents, utcText } from '../events/helpers/events-env.js';
import { cli, type Installed } from './helpers/installed.js';
import { installTwoSyncs } from './helpers/two-syncs.js';

let inst: Installed;
async function runOk(sync: string) {
  const run = await cli(inst, ['run', '--sync', sync, '--timeout', '120', '--json']);
  expect(run.code, run.stderr + run.stdout).toBe(0);
}

beforeAll(async () => {
  inst = await installTwoSyncs();
  await runOk('default');
  await insertEvents(inst.admin, [{ user: '1', name: 'purchase', time: utcText(-60_000) }, { user: '2', name: 'purchase', time: utcText(-30_000) }]);
  await runOk('orders');
}, 240_000);
afterAll(async () => inst?.close());

/** The statements the CLI sent while `fn` ran (the stand-in's engine sees every statement). */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const before = inst.statements.length;
  await fn();
  return inst.statements.slice(before);
}
const accountUsage = (sqls: string[]) => sqls.filter((sql) => sql.includes('SNOWFLAKE.ACCOUNT_USAGE'));
const showWarehouses = (sqls: string[]) => sqls.filter((sql) => sql.startsWith('SHOW WAREHOUSES'));
/** The Account Usage statements the CLI sent while `fn` ran. */
const usageReads = async (fn: () => Promise<unknown>) => accountUsage(await statementsDuring(fn));

it('without IMPORTED PRIVILEGES: each sync\'s estimate, one attempt to read Account Usage, and the GRANT', async () => {
  let json: any;
  const sent = await statementsDuring(async () => {
    const status = await cli(inst, ['status', '--cost', '--json']);
    expect(status.code, status.stderr).toBe(0);
    json = status.json().result;
  });
  expect(accountUsage(sent)).toHaveLength(1);
  // The warehouse's size and auto-suspend, for both syncs' estimates: read once (they share it).
  expect(showWarehouses(sent)).toHaveLength(1);
  expect(json.syncs.map((s: any) => s.sync)).toEqual(['default', 'orders']);
  for (const sync of json.syncs) {
    expect(sync.cost.totalCredits, sync.sync).toBeGreaterThan(0);
    expect(sync.cost.instanceFamily).toBe('CPU_X64_XS');
    expect(sync.usage).toBeUndefined();
  }
  expect(json.notes.join('\n')).toContain(`GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${inst.config.project.role};`);

  const text = await cli(inst, ['status', '--cost']);
  const lines = text.stdout.trimEnd().split('\n');
  expect(lines[2]).toMatch(/^cost default {2}~[\d.]+ credits\/run \(pool CPU_X64_XS [\d.]+ \+ warehouse /);
  expect(lines[3]).toMatch(/^cost orders {3}~[\d.]+ credits\/run \(pool CPU_X64_XS [\d.]+ \+ warehouse /);
  expect(lines[4]).toContain('note: Actual credits could not be read');
  expect(lines[5]).toBe('next: batch-snowflake status --sync NAME   (one of: default, orders)');
}, 60_000);

it('with them: the pool\'s and warehouse\'s actual credits for every sync, from ONE Account Usage statement', async () => {
  await inst.admin.query('USE ROLE ACCOUNTADMIN');
  await inst.admin.query(`GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${inst.config.project.role}`);
  const warehouseName = inst.sandbox.connection.snowflake.warehouse;
  const pool = await inst.admin.query<{ C: unknown }>(`SELECT SUM(CREDITS_USED) AS C FROM SNOWFLAKE.ACCOUNT_USAGE.SNOWPARK_CONTAINER_SERVICES_HISTORY WHERE COMPUTE_POOL_NAME = 'BATCH_SYNC_POOL'`);
  const warehouse = await inst.admin.query<{ C: unknown }>(`SELECT SUM(CREDITS_USED) AS C FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = '${warehouseName}'`);
  await inst.admin.query('USE ROLE SYSADMIN');
  const poolCredits = Number(pool.rows[0]?.C);
  const warehouseCredits = Number(warehouse.rows[0]?.C);
  // Two jobs ran on the pool (one per sync), each resuming the warehouse.
  expect(poolCredits).toBeGreaterThan(0);
  expect(warehouseCredits).toBeGreaterThanOrEqual((2 * 60) / 3600 - 1e-9);

  let json: any;
  const reads = await usageReads(async () => {
    const status = await cli(inst, ['status', '--cost', '--json']);
    expect(status.code, status.stderr).toBe(0);
    json = status.json().result;
  });
  expect(reads).toHaveLength(1);
  const expected = {
    source: 'account-usage', days: 7, computePool: 'BATCH_SYNC_POOL', warehouse: warehouseName, sharedBy: ['default', 'orders'],
    poolCredits: expect.closeTo(poolCredits, 4), warehouseCredits: expect.closeTo(warehouseCredits, 4), totalCredits: expect.closeTo(poolCredits + warehouseCredits, 3),
    perDayCredits: expect.closeTo((poolCredits + warehouseCredits) / 7, 3),
  };
  for (const sync of json.syncs) {
    expect(sync.usage, sync.sync).toEqual(expected);
    expect(sync.cost.totalCredits, sync.sync).toBeGreaterThan(0); // the sync's own estimate stays beside it
  }
  expect(json.notes).toEqual([]);

  const text = await cli(inst, ['status', '--cost']);
  const lines = text.stdout.trimEnd().split('\n');
  expect(lines[2]).toMatch(/^cost default {2}~[\d.]+ credits\/run/);
  // The text prints the JSON's figures (rounded to 4 digits, checked against the views above) to 3 digits: compare
  // with those, not with the raw sums, which can round the other way at the third digit.
  const usage = json.syncs[0].usage;
  expect(lines[4]).toContain(`actual   ${usage.totalCredits.toFixed(3)} credits in the last 7 days`);
  expect(lines[4]).toContain(`pool BATCH_SYNC_POOL ${usage.poolCredits.toFixed(3)} + warehouse ${warehouseName} ${usage.warehouseCredits.toFixed(3)}`);
  expect(lines[4]).toContain('pool and warehouse shared by default, orders');
  expect(text.stdout).not.toContain('GRANT IMPORTED PRIVILEGES');
}, 60_000);

it('without --cost: no Account Usage statement, no warehouse read and no cost lines', async () => {
  let text = '';
  const sent = await statementsDuring(async () => {
    text = (await cli(inst, ['status'])).stdout;
  });
  expect(accountUsage(sent)).toEqual([]);
  expect(showWarehouses(sent)).toEqual([]); // no estimate is shown, so none is computed
  expect(text.trimEnd().split('\n')).toHaveLength(3);
  expect(text).not.toMatch(/^cost /m);
}, 60_000);
