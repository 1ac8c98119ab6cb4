/**
 * The cost line of `status`: credits per run and per day for the current schedule, from the recent runs'
 * durations and the installed pool and warehouse (rules and sources in shared/cost/credits.ts). Read-only:
 * one SHOW WAREHOUSES for the warehouse's size and auto-suspend (sent once per `status` command however many
 * syncs share the warehouse: metadata-reads.ts).
 */
import { estimateRunCost, poolRateNote, scheduleIntervalSeconds, type RunCost } from '../../shared/cost/credits.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { RunView } from './merge-runs.js';

export interface CostEstimate extends RunCost {
  /** Median duration of the recent runs that did work, seconds (the job's duration per run). */
  runSeconds: number;
  instanceFamily: string;
  warehouse: string;
  warehouseSize: string;
}

interface CostInputs {
  instanceFamily: string;
  poolAutoSuspendSecs: number;
  warehouse: string;
  schedule: string | null;
}

type WarehouseFacts = { size: string; autoSuspend: number | undefined };

async function warehouseFacts(session: SnowflakeSession, warehouse: string): Promise<WarehouseFacts> {
  const show = await session.query<{ name?: unknown; size?: unknown; auto_suspend?: unknown }>(`SHOW WAREHOUSES LIKE '${warehouse.replace(/'/g, "''")}'`);
  const row = show.rows.find((r) => String(r.name).toUpperCase() === warehouse.toUpperCase());
  const autoSuspend = Number(row?.auto_suspend);
  return { size: String(row?.size ?? 'X-Small'), autoSuspend: Number.isFinite(autoSuspend) ? autoSuspend : undefined };
}

/** Null when no run with a duration is known yet (nothing to base an estimate on). */
export async function estimateCost(session: SnowflakeSession, inputs: CostInputs, runs: readonly RunView[]): Promise<CostEstimate | null> {
  const durations = runs.filter((r) => r.durationMs !== null && (r.rowsCaptured ?? 0) > 0).map((r) => r.durationMs!).sort((a, b) => a - b);
  if (durations.length === 0) return null;
  const runSeconds = Math.ceil(durations[Math.floor(durations.length / 2)]! / 1000);
  const facts = await warehouseFacts(session, inputs.warehouse).catch(() => ({ size: 'X-Small', autoSuspend: undefined }));
  const cost = estimateRunCost({
    jobSeconds: runSeconds,
    instanceFamily: inputs.instanceFamily,
    poolAutoSuspendSecs: inputs.poolAutoSuspendSecs,
    warehouseSize: facts.size,
    ...(facts.autoSuspend === undefined ? {} : { warehouseAutoSuspendSecs: facts.autoSuspend }),
    intervalSeconds: scheduleIntervalSeconds(inputs.schedule),
  });
  return { ...cost, runSeconds, instanceFamily: inputs.instanceFamily, warehouse: inputs.warehouse, warehouseSize: facts.size };
}

export function costLine(cost: CostEstimate | null): string {
  if (cost === null) return 'no run with changes yet; empty runs are skipped by the task (no warehouse, no job: 0 credits)';
  const credits = (n: number | null) => (n === null ? '?' : n.toFixed(3));
  const perDay = cost.perDayCredits === null ? 'per day: depends on the cron schedule' : `~${credits(cost.perDayCredits)} credits/day if every run has changes`;
  const note = cost.poolCredits === null ? poolRateNote(cost.instanceFamily) : null;
  if (note) return `${note}; warehouse ${cost.warehouse} ${cost.warehouseSize} ~${credits(cost.warehouseCredits)} credits/run (${cost.runSeconds} s per run), plus the pool's node time — an estimate (shared/cost/credits.ts)`;
  const never = [cost.neverSuspends.pool ? 'the pool' : '', cost.neverSuspends.warehouse ? 'the warehouse' : ''].filter(Boolean).join(' and ');
  return (
    `~${credits(cost.totalCredits)} credits/run (pool ${cost.instanceFamily} ${credits(cost.poolCredits)} + warehouse ${cost.warehouse} ${cost.warehouseSize} ${credits(cost.warehouseCredits)}, ` +
    `${cost.runSeconds} s per run), ${perDay}; runs without changes cost 0 (skipped)` +
    (never ? `; ${never} never suspend${never.includes(' and ') ? '' : 's'} between runs at this schedule` : '') +
    ' — an estimate (shared/cost/credits.ts)'
  );
}
