/**
 * `status --cost` end to end (real CLI, real snowflake-sdk, the stand-in's task running the real worker as its
 * job): actual credits from SNOWFLAKE.ACCOUNT_USAGE (SNOWPARK_CONTAINER_SERVICES_HISTORY for the pool,
 * WAREHOUSE_METERING_HISTORY for the warehouse) when the role may read them, the estimate and the GRANT otherwise.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, install, type Installed } from './helpers/installed.js';

let inst: Installed;
beforeAll(async () => {
  inst = await install();
  const run = await cli(inst, ['run', '--timeout', '120']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
}, 180_000);
afterAll(async () => inst?.close());

it('without IMPORTED PRIVILEGES on SNOWFLAKE: the estimate, and a note with the GRANT', async () => {
  const status = await cli(inst, ['status', '--cost', '--json']);
  const { result } = status.json();
  expect(result.usage).toBeUndefined();
  expect(result.cost.totalCredits).toBeGreaterThan(0);
  expect(result.notes.join('\n')).toContain(`GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${inst.config.project.role};`);
  const text = await cli(inst, ['status', '--cost']);
  expect(text.stdout).toMatch(/Cost {5}~[\d.]+ credits\/run/);
}, 60_000);

it('with them: the actual credits of the pool and the warehouse, as the Account Usage views hold them', async () => {
  await inst.admin.query('USE ROLE ACCOUNTADMIN');
  await inst.admin.query(`GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${inst.config.project.role}`);
  const pool = await inst.admin.query<{ C: unknown }>(`SELECT SUM(CREDITS_USED) AS C FROM SNOWFLAKE.ACCOUNT_USAGE.SNOWPARK_CONTAINER_SERVICES_HISTORY WHERE COMPUTE_POOL_NAME = 'BATCH_SYNC_POOL'`);
  const warehouse = await inst.admin.query<{ C: unknown }>(`SELECT SUM(CREDITS_USED) AS C FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = '${inst.sandbox.connection.snowflake.warehouse}'`);
  await inst.admin.query('USE ROLE SYSADMIN');
  const poolCredits = Number(pool.rows[0]?.C);
  const warehouseCredits = Number(warehouse.rows[0]?.C);
  // The stand-in's own figures: one job on a CPU_X64_XS node (0.06/h) kept up AUTO_SUSPEND_SECS after it, and the
  // warehouse resumed for it (60 s minimum, then its auto-suspend).
  expect(poolCredits).toBeGreaterThan(0);
  expect(warehouseCredits).toBeGreaterThanOrEqual(60 / 3600);

  const status = await cli(inst, ['status', '--cost', '--json']);
  const { result } = status.json();
  expect(result.usage).toEqual({
    source: 'account-usage', days: 7, computePool: 'BATCH_SYNC_POOL', warehouse: inst.sandbox.connection.snowflake.warehouse,
    poolCredits: expect.closeTo(poolCredits, 4), warehouseCredits: expect.closeTo(warehouseCredits, 4),
    totalCredits: expect.closeTo(poolCredits + warehouseCredits, 3), perDayCredits: expect.closeTo((poolCredits + warehouseCredits) / 7, 3),
  });
  expect(result.notes.join('\n')).not.toContain('GRANT IMPORTED PRIVILEGES');
  const text = await cli(inst, ['status', '--cost']);
  expect(text.stdout).toContain('actual, from SNOWFLAKE.ACCOUNT_USAGE');
  expect(text.stdout).toContain(`pool BATCH_SYNC_POOL ${poolCredits.toFixed(3)}`);
  // Without --cost, status reads no Account Usage view (the estimate, as before).
  const plain = await cli(inst, ['status', '--json']);
  expect(plain.json().result.usage).toBeUndefined();
}, 60_000);
