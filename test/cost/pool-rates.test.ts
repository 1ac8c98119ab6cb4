/**
 * The pool rates the product estimates with (shared/cost/credits.ts) and the ones the stand-in meters
 * ACCOUNT_USAGE with (standins/snowflake/jobs/pool-rates.ts, its own cited copy: the stand-in imports no product
 * code) are the same table; and how `status` and the bench word a family with and without a rate.
 */
import { expect, it } from 'vitest';
import { COMPUTE_POOL_CREDITS_PER_HOUR } from '../../shared/cost/credits.js';
import { POOL_CREDITS_PER_HOUR } from '../../standins/snowflake/jobs/pool-rates.js';
import { costLine, type CostEstimate } from '../../src/operate/cost-estimate.js';
import { estimateRunCost } from '../../shared/cost/credits.js';
import { printCost, type LatencyCase } from '../bench/worker-latency.js';

it('the stand-in meters every family at the rate the product estimates with, and no other family', () => {
  expect(POOL_CREDITS_PER_HOUR).toEqual(COMPUTE_POOL_CREDITS_PER_HOUR);
  // Every family of the consumption table's CPU, high-memory and GPU tables (1(e), 1(f), 1(g)).
  expect(Object.keys(COMPUTE_POOL_CREDITS_PER_HOUR)).toHaveLength(20);
});

const estimate = (instanceFamily: string): CostEstimate => ({
  ...estimateRunCost({ jobSeconds: 40, instanceFamily, poolAutoSuspendSecs: 300, warehouseSize: 'XSMALL', warehouseAutoSuspendSecs: 60, intervalSeconds: 3600 }),
  runSeconds: 40, instanceFamily, warehouse: 'WH', warehouseSize: 'X-Small',
});

it('status: credits for a family with a rate, the note and the warehouse alone for one without', () => {
  // (40 + 300) s at 0.28/h = 0.0264; the warehouse (40 + 60) s at 1/h = 0.0278.
  expect(costLine(estimate('HIGHMEM_X64_S'))).toMatch(/^~0\.054 credits\/run \(pool HIGHMEM_X64_S 0\.026 \+ warehouse WH X-Small 0\.028, 40 s per run\)/);
  expect(costLine(estimate('GPU_NV_S'))).toContain('pool GPU_NV_S 0.054 +');
  expect(costLine(estimate('GEN_X64_G2_2'))).toBe(
    "no pool estimate for GEN_X64_G2_2: Snowflake's Service Consumption Table (13 Jan 2026 edition) lists no credit rate for this instance family; " +
      'warehouse WH X-Small ~0.028 credits/run (40 s per run), plus the pool\'s node time — an estimate (shared/cost/credits.ts)',
  );
});

it('bench: the cost lines price the chosen family, or say there is no rate', () => {
  const run = { kind: 'incremental', rows: 10_000, latencyMs: 150, totalMs: 40_000 } as LatencyCase;
  const lines = (family: string) => {
    const out: string[] = [];
    printCost([run], (line) => out.push(line), family);
    return out;
  };
  expect(lines('GPU_NV_S')[0]).toContain('GPU_NV_S pool');
  expect(lines('GPU_NV_S')[1]).toContain('credits/run (pool 0.0538, warehouse 0.1778)');
  const unknown = lines('MEM_X64_G2_8');
  expect(unknown[1]).toBe("  no pool estimate for MEM_X64_G2_8: Snowflake's Service Consumption Table (13 Jan 2026 edition) lists no credit rate for this instance family: warehouse credits only");
  expect(unknown[2]).toContain('no estimate per run (pool ?, warehouse 0.1778)');
});
