/** The credit estimate's rules: minimums per resume, suspend tails, schedules that never let things suspend. */
import { describe, expect, it } from 'vitest';
import { estimateRunCost, poolRateNote, scheduleIntervalSeconds } from '../../shared/cost/credits.js';

const hourly = { instanceFamily: 'CPU_X64_XS', poolAutoSuspendSecs: 300, warehouseSize: 'X-Small', warehouseAutoSuspendSecs: 60, intervalSeconds: 3600 };

describe('estimateRunCost', () => {
  it('bills a short job the pool minimum and the warehouse its 60 s minimum plus nothing more', () => {
    const cost = estimateRunCost({ ...hourly, jobSeconds: 10 });
    // Pool: job 10 s + 300 s tail = 310 s at 0.06/h. Warehouse: 10 s + 60 s tail = 70 s at 1/h.
    expect(cost.poolCredits).toBeCloseTo((310 / 3600) * 0.06, 4);
    expect(cost.warehouseCredits).toBeCloseTo(70 / 3600, 4);
    expect(cost.perDayCredits).toBeCloseTo(24 * (cost.totalCredits ?? NaN), 3);
    expect(cost.neverSuspends).toEqual({ pool: false, warehouse: false });
  });

  it('applies the minimums when job and tail are shorter', () => {
    const cost = estimateRunCost({ ...hourly, poolAutoSuspendSecs: 0, warehouseAutoSuspendSecs: 0, jobSeconds: 5 });
    expect(cost.poolCredits).toBeCloseTo((300 / 3600) * 0.06, 4);
    expect(cost.warehouseCredits).toBeCloseTo(60 / 3600, 4);
  });

  it('says when runs come faster than the pool suspends: it bills the whole interval', () => {
    const cost = estimateRunCost({ ...hourly, intervalSeconds: 600, poolAutoSuspendSecs: 3600, jobSeconds: 30 });
    expect(cost.neverSuspends.pool).toBe(true);
    expect(cost.poolCredits).toBeCloseTo((600 / 3600) * 0.06, 4);
  });

  it('prices the high-memory and GPU families at their consumption-table rates (Tables 1(f), 1(g))', () => {
    for (const [instanceFamily, rate] of [['HIGHMEM_X64_S', 0.28], ['GPU_NV_S', 0.57], ['GPU_NV_L', 14.12]] as const) {
      const cost = estimateRunCost({ ...hourly, instanceFamily, jobSeconds: 10 });
      expect(cost.poolCredits, instanceFamily).toBeCloseTo((310 / 3600) * rate, 4);
      expect(poolRateNote(instanceFamily)).toBeNull();
    }
  });

  it('gives no pool figure for a documented family the consumption table gives no rate for, and says so', () => {
    const cost = estimateRunCost({ ...hourly, instanceFamily: 'GEN_X64_G2_2', jobSeconds: 10 });
    expect(cost.poolCredits).toBeNull();
    expect(cost.totalCredits).toBeNull();
    expect(cost.perDayCredits).toBeNull();
    expect(cost.warehouseCredits).toBeCloseTo(70 / 3600, 4);
    expect(cost.assumptions).toContain("no pool estimate for GEN_X64_G2_2: Snowflake's Service Consumption Table (13 Jan 2026 edition) lists no credit rate for this instance family");
  });
});

describe('scheduleIntervalSeconds', () => {
  it('reads the interval forms init accepts, and null for cron', () => {
    expect(scheduleIntervalSeconds('60 MINUTE')).toBe(3600);
    expect(scheduleIntervalSeconds('2 hours')).toBe(7200);
    expect(scheduleIntervalSeconds('90s')).toBe(90);
    expect(scheduleIntervalSeconds('USING CRON 0 * * * * UTC')).toBeNull();
  });
});
