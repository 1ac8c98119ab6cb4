/**
 * Estimated Snowflake credits of one sync run and of a day of the schedule: what a Snowflake admin asks
 * first. Used by bench:worker (measured runs) and by `batch-snowflake status` (the last runs' durations).
 *
 * Sources and the rules applied:
 * - Warehouses: credits per full hour by size, "billed per-second, with a 60-second (i.e. 1-minute) minimum
 *   … each time a warehouse is started or resumed", and nothing while suspended
 *   (https://docs.snowflake.com/en/user-guide/cost-understanding-compute). A resumed warehouse stays up until
 *   its AUTO_SUSPEND (CREATE WAREHOUSE default 600 s) after the last statement, and that tail is billed too.
 * - Compute pools: "You incur charges for a compute pool in the IDLE, ACTIVE, STOPPING, or RESIZING state,
 *   but not when it is in a STARTING or SUSPENDED state"
 *   (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/accounts-orgs-usage-views);
 *   the rate per node-hour is the instance family's line of Snowflake's Service Consumption Table
 *   (https://www.snowflake.com/legal-files/CreditConsumptionTable.pdf). The node stays up AUTO_SUSPEND_SECS
 *   after the job. The transcription of that table's 13 Jan 2026 edition (see COMPUTE_POOL_CREDITS_PER_HOUR)
 *   states "SPCS: 5-minute minimum, per-second thereafter": the estimate applies it per resume.
 * - The task: with WAREHOUSE = …, EXECUTE JOB SERVICE runs synchronously, so the estimate counts the
 *   warehouse as held for the whole job (stricter than counting only the worker's own statements).
 * - An empty run costs nothing: WHEN SYSTEM$STREAM_HAS_DATA(...) is false, the task is skipped, no
 *   warehouse resumes and no job starts.
 */

/** Standard warehouses, credits per hour (cost-understanding-compute). */
export const WAREHOUSE_CREDITS_PER_HOUR: Readonly<Record<string, number>> = {
  XSMALL: 1, SMALL: 2, MEDIUM: 4, LARGE: 8, XLARGE: 16, XXLARGE: 32, XXXLARGE: 64, X4LARGE: 128, X5LARGE: 256, X6LARGE: 512,
};

/**
 * Compute pool node, credits per hour, from Snowflake's Service Consumption Table
 * (https://www.snowflake.com/legal-files/CreditConsumptionTable.pdf, effective 13 January 2026): Table 1(e)
 * "SPCS Compute, CPU", 1(f) "High-Memory", 1(g) "GPU". The PDF itself is not in our reference library: these
 * figures are read from a transcription of that edition of the table (made with AI_PARSE_DOCUMENT, in a public
 * repository) and agree with a second independent summary of it for every family both list. The instance-family
 * pages (https://docs.snowflake.com/en/developer-guide/snowpark-container-services/instance-families-aws) list
 * more families (GEN_X64_G2_*, GEN_ARM_G1_*, MEM_X64_G2_*, …) for which that table gives no rate: those give no
 * pool estimate (poolRateNote says so) rather than a guess. The stand-in keeps its own copy
 * (standins/snowflake/jobs/pool-rates.ts); test/cost/pool-rates.test.ts asserts the two agree.
 */
export const COMPUTE_POOL_CREDITS_PER_HOUR: Readonly<Record<string, number>> = {
  // Table 1(e): CPU.
  CPU_X64_XS: 0.06, CPU_X64_S: 0.11, CPU_X64_M: 0.22, CPU_X64_SL: 0.41, CPU_X64_L: 0.83,
  // Table 1(f): High-Memory.
  HIGHMEM_X64_S: 0.28, HIGHMEM_X64_M: 1.11, HIGHMEM_X64_SL: 2.93, HIGHMEM_X64_L: 4.44,
  // Table 1(g): GPU.
  GPU_NV_XS: 0.25, GPU_GCP_NV_L4_1_24G: 0.43, GPU_NV_S: 0.57, GPU_NV_SM: 1.7, GPU_GCP_NV_L4_4_24G: 1.94, GPU_NV_M: 2.68,
  GPU_NV_2M: 3.5, GPU_NV_3M: 3.55, GPU_GCP_NV_A100_8_40G: 11.68, GPU_NV_SL: 13.5, GPU_NV_L: 14.12,
};

/** Null when the family has a rate; otherwise why the pool has no estimate (shown by status and the bench). */
export function poolRateNote(instanceFamily: string): string | null {
  if (COMPUTE_POOL_CREDITS_PER_HOUR[instanceFamily.toUpperCase()] !== undefined) return null;
  return `no pool estimate for ${instanceFamily}: Snowflake's Service Consumption Table (13 Jan 2026 edition) lists no credit rate for this instance family`;
}

export const WAREHOUSE_MINIMUM_SECONDS = 60;
export const WAREHOUSE_DEFAULT_AUTO_SUSPEND_SECONDS = 600;
export const COMPUTE_POOL_MINIMUM_SECONDS = 300;

export interface RunCostInput {
  /** Job duration (container start to exit), seconds. */
  jobSeconds: number;
  instanceFamily: string;
  /** The pool's AUTO_SUSPEND_SECS. */
  poolAutoSuspendSecs: number;
  /** XSMALL, SMALL, … (SHOW WAREHOUSES "size" with spaces and dashes removed, upper-cased). */
  warehouseSize: string;
  warehouseAutoSuspendSecs?: number;
  /** Seconds between runs of the schedule (null: unknown, e.g. a cron schedule). */
  intervalSeconds: number | null;
}

export interface RunCost {
  poolCredits: number | null;
  warehouseCredits: number | null;
  /** Per run; null when a rate is unknown. */
  totalCredits: number | null;
  /** Per day of the schedule when every run has changes (skipped runs cost nothing). */
  perDayCredits: number | null;
  runsPerDay: number | null;
  /** True when runs come faster than pool or warehouse suspends: it never suspends and bills all day. */
  neverSuspends: { pool: boolean; warehouse: boolean };
  assumptions: string[];
}

const round = (credits: number) => Math.round(credits * 10_000) / 10_000;

/** Billed seconds of a resource that resumes for `busy` seconds, stays `tail` more, at most `interval`. */
function billedSeconds(busy: number, tail: number, minimum: number, interval: number | null): { seconds: number; never: boolean } {
  const up = busy + tail;
  if (interval !== null && up >= interval) return { seconds: interval, never: true };
  return { seconds: Math.max(minimum, up), never: false };
}

export function estimateRunCost(input: RunCostInput): RunCost {
  const poolRate = COMPUTE_POOL_CREDITS_PER_HOUR[input.instanceFamily.toUpperCase()];
  const warehouseRate = WAREHOUSE_CREDITS_PER_HOUR[input.warehouseSize.toUpperCase().replace(/[-_ ]/g, '')];
  const pool = billedSeconds(input.jobSeconds, input.poolAutoSuspendSecs, COMPUTE_POOL_MINIMUM_SECONDS, input.intervalSeconds);
  const warehouse = billedSeconds(input.jobSeconds, input.warehouseAutoSuspendSecs ?? WAREHOUSE_DEFAULT_AUTO_SUSPEND_SECONDS, WAREHOUSE_MINIMUM_SECONDS, input.intervalSeconds);
  const poolCredits = poolRate === undefined ? null : round((pool.seconds / 3600) * poolRate);
  const warehouseCredits = warehouseRate === undefined ? null : round((warehouse.seconds / 3600) * warehouseRate);
  const totalCredits = poolCredits === null || warehouseCredits === null ? null : round(poolCredits + warehouseCredits);
  const runsPerDay = input.intervalSeconds === null ? null : 86_400 / input.intervalSeconds;
  const assumptions = [
    `warehouse held for the whole job (synchronous EXECUTE JOB SERVICE), then ${input.warehouseAutoSuspendSecs ?? WAREHOUSE_DEFAULT_AUTO_SUSPEND_SECONDS} s until it suspends; 60 s minimum per resume`,
    `pool node billed for the job plus AUTO_SUSPEND_SECS ${input.poolAutoSuspendSecs} s; 5-minute minimum per resume (consumption table)`,
  ];
  const note = poolRateNote(input.instanceFamily);
  if (note) assumptions.push(note);
  if (warehouseRate === undefined) assumptions.push(`unknown warehouse size ${input.warehouseSize}`);
  return {
    poolCredits, warehouseCredits, totalCredits,
    perDayCredits: totalCredits === null || runsPerDay === null ? null : round(totalCredits * runsPerDay),
    runsPerDay, neverSuspends: { pool: pool.never, warehouse: warehouse.never }, assumptions,
  };
}

/** "60 MINUTE" → 3600; a cron schedule → null (the estimate per day then needs the caller's count). */
export function scheduleIntervalSeconds(schedule: string | null): number | null {
  const match = /^\s*(\d+)\s*(MINUTES?|M|SECONDS?|S|HOURS?|H)\s*$/i.exec(schedule ?? '');
  if (!match) return null;
  const n = Number(match[1]);
  const unit = match[2]!.toUpperCase();
  return unit.startsWith('H') ? n * 3600 : unit.startsWith('S') ? n : n * 60;
}
