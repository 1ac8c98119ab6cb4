/**
 * The three schedule modes side by side (latency and cost), shown by the wizard before the user picks and in
 * the plan notes. Latency floors on a real account, from the docs:
 * - scheduled: up to one interval, plus the job start (compute pool resume and container start: not documented);
 * - triggered: at least USER_TASK_MINIMUM_TRIGGER_INTERVAL_IN_SECONDS between two runs (default 30 s, minimum
 *   10 s: https://docs.snowflake.com/en/sql-reference/parameters), plus the job start;
 * - continuous: the service's poll interval (worker --loop-interval-seconds) plus one run, no job start.
 * Cost: the compute pool's node rate (shared/cost/credits.ts); a running service keeps one node up all day
 * ("You incur charges for a compute pool in the IDLE, ACTIVE … state",
 * https://docs.snowflake.com/en/developer-guide/snowpark-container-services/accounts-orgs-usage-views).
 */
import { COMPUTE_POOL_CREDITS_PER_HOUR, COMPUTE_POOL_MINIMUM_SECONDS } from '../../shared/cost/credits.js';
import type { ScheduleMode } from '../config/answers.js';

/**
 * Seconds between two checks of the stream by the continuous service (worker --loop-interval-seconds). One check
 * is one SYSTEM$STREAM_HAS_DATA query (cloud services, no warehouse while the stream is empty).
 */
export const LOOP_INTERVAL_SECONDS = 1;

export interface ModeRow {
  mode: ScheduleMode;
  example: string;
  latency: string;
  cost: string;
}

const fixed = (n: number) => n.toFixed(2);

export function scheduleModeRows(instanceFamily: string, interval = '60 MINUTE'): ModeRow[] {
  const rate = COMPUTE_POOL_CREDITS_PER_HOUR[instanceFamily.toUpperCase()];
  const perRun = rate === undefined ? '?' : fixed((rate * COMPUTE_POOL_MINIMUM_SECONDS) / 3600);
  const perDay = rate === undefined ? '?' : fixed(rate * 24);
  return [
    { mode: 'scheduled', example: `--schedule "${interval}"`, latency: `up to the interval + job start`, cost: `≥ ${perRun} credits per run with changes (pool ${instanceFamily}, 5 min minimum); 0 when nothing changed` },
    { mode: 'triggered', example: '--schedule triggered', latency: 'trigger interval (30 s by default) + job start', cost: `as scheduled, per burst of changes; constant changes keep the pool up: up to ${perDay} credits/day` },
    { mode: 'continuous', example: '--schedule continuous', latency: `~${LOOP_INTERVAL_SECONDS} s poll + one run (no job start)`, cost: `the pool around the clock: ${perDay} credits/day (${instanceFamily}) + warehouse time per change` },
  ];
}

/** A small fixed-width table: mode, latency, cost. */
export function renderScheduleModes(instanceFamily: string): string {
  const rows = scheduleModeRows(instanceFamily);
  const head = ['mode', 'latency (change → Batch)', 'cost'];
  const cells = [head, ...rows.map((r) => [r.mode, r.latency, r.cost])];
  const widths = [0, 1].map((i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => `  ${c[0]!.padEnd(widths[0]!)}  ${c[1]!.padEnd(widths[1]!)}  ${c[2]}`).join('\n');
}
