/** The credit estimate's rules: minimums per resume, suspend tails, schedules that never let things suspend. */
import { describe, expect, it } from 'vitest';
import { estimateRunCost, scheduleIntervalSeconds } from '../../shared/cost/credits.js';

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

  it('gives no pool figure for an instance family without a known rate, rather than a guess', () => {
    const cost = estimateRunCost({ ...hourly, instanceFamily: 'GPU_NV_S', jobSeconds: 10 });
    expect(cost.poolCredits).toBeNull();
    expect(cost.totalCredits).toBeNull();
    expect(cost.assumptions.join(' ')).toMatch(/GPU_NV_S/);
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
