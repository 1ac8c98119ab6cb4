/**
 * `status --cost` end to end (real CLI, real snowflake-sdk, the stand-in's task running the real worker as its
 * job): actual credits from SNOWFLAKE.ACCOUNT_USAGE (SNOWPARK_CONTAINER_SERVICES_HISTORY for the pool,
 * WAREHOUSE_METERING_HISTORY for the warehouse) when the role may read them, the estimate and the GRANT otherwise.
 * The pool is a HIGHMEM_X64_S (0.28 credits/hour, consumption table 1(f)): estimate and stand-in meter that rate; a
 * GPU family prices at its rate, a family the table gives no rate for shows the note instead of a pool figure.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, install, type Installed } from './helpers/installed.js';

let inst: Installed;
/** The pool estimate the rules of shared/cost/credits.ts give for one run: job + AUTO_SUSPEND_SECS, 5 min minimum. */
const poolEstimate = (runSeconds: number, perHour: number) => (Math.max(300, runSeconds + inst.config.project.autoSuspendSecs) / 3600) * perHour;
beforeAll(async () => {
  inst = await install({ answers: { instanceFamily: 'HIGHMEM_X64_S' } });
  const run = await cli(inst, ['run', '--timeout', '120']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
}, 180_000);
afterAll(async () => inst?.close());

it('without IMPORTED PRIVILEGES on SNOWFLAKE: the estimate, and a note with the GRANT', async () => {
  const status = await cli(inst, ['status', '--cost', '--json']);
  const { result } = status.json();
  expect(result.usage).toBeUndefined();
  expect(result.cost.totalCredits).toBeGreaterThan(0);
  expect(result.cost.instanceFamily).toBe('HIGHMEM_X64_S');
  expect(result.cost.poolCredits).toBeCloseTo(poolEstimate(result.cost.runSeconds, 0.28), 3);
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
  // The stand-in's own figures: one job on a HIGHMEM_X64_S node (0.28/h) kept up AUTO_SUSPEND_SECS after it, and the
  // warehouse resumed for it (60 s minimum, then its auto-suspend). At CPU_X64_XS's 0.06/h this bound would fail.
  expect(poolCredits).toBeGreaterThanOrEqual((inst.config.project.autoSuspendSecs / 3600) * 0.28);
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
  // The text prints the JSON's (4-digit) figures to 3 digits; the raw sum could round the other way.
  expect(text.stdout).toContain(`pool BATCH_SYNC_POOL ${result.usage.poolCredits.toFixed(3)}`);
  // Without --cost, status reads no Account Usage view (the estimate, as before).
  const plain = await cli(inst, ['status', '--json']);
  expect(plain.json().result.usage).toBeUndefined();
}, 60_000);

/** Rewrites the project's instance family in batch-snowflake.json (what `status` prices the pool by). */
async function setInstanceFamily(family: string): Promise<void> {
  const config = JSON.parse(await readFile(inst.configPath, 'utf8'));
  config.project.instanceFamily = family;
  await writeFile(inst.configPath, JSON.stringify(config, null, 2));
}

it('a GPU family prices at its consumption-table rate; a family without one shows the note instead of a pool figure', async () => {
  await setInstanceFamily('GPU_NV_S');
  const gpu = (await cli(inst, ['status', '--json'])).json().result.cost;
  expect(gpu.instanceFamily).toBe('GPU_NV_S');
  expect(gpu.poolCredits).toBeCloseTo(poolEstimate(gpu.runSeconds, 0.57), 3);
  expect(gpu.totalCredits).toBeCloseTo(gpu.poolCredits + gpu.warehouseCredits, 3);

  await setInstanceFamily('GEN_X64_G2_2');
  const unknown = (await cli(inst, ['status', '--json'])).json().result.cost;
  expect(unknown).toMatchObject({ instanceFamily: 'GEN_X64_G2_2', poolCredits: null, totalCredits: null, perDayCredits: null });
  expect(unknown.warehouseCredits).toBeGreaterThan(0);
  const note = "no pool estimate for GEN_X64_G2_2: Snowflake's Service Consumption Table (13 Jan 2026 edition) lists no credit rate for this instance family";
  expect(unknown.assumptions).toContain(note);
  const text = await cli(inst, ['status']);
  expect(text.stdout).toContain(`Cost     ${note}; warehouse ${inst.sandbox.connection.snowflake.warehouse} `);
}, 60_000);
