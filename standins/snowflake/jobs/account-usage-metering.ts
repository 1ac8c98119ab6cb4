/**
 * Two Account Usage views of actual credits, served from what the stand-in knows (its jobs and the objects they
 * ran on), with the documented columns:
 * - SNOWPARK_CONTAINER_SERVICES_HISTORY (https://docs.snowflake.com/en/sql-reference/account-usage/snowpark_container_services_history):
 *   "hourly compute pool credit usage": START_TIME, END_TIME (the hour), COMPUTE_POOL_NAME, COMPUTE_POOL_ID,
 *   IS_EXCLUSIVE, APPLICATION_NAME, APPLICATION_ID, CREDITS_USED.
 * - WAREHOUSE_METERING_HISTORY (https://docs.snowflake.com/en/sql-reference/account-usage/warehouse_metering_history):
 *   "hourly credit usage" per warehouse: START_TIME, END_TIME, WAREHOUSE_ID, WAREHOUSE_NAME, CREDITS_USED (= compute +
 *   cloud services), CREDITS_USED_COMPUTE, CREDITS_USED_CLOUD_SERVICES, CREDITS_ATTRIBUTED_COMPUTE_QUERIES.
 * The stand-in's figures: each job keeps its pool's node up from its start to its end plus the pool's AUTO_SUSPEND_SECS
 * (a pool is charged while IDLE or ACTIVE, https://docs.snowflake.com/en/developer-guide/snowpark-container-services/accounts-orgs-usage-views),
 * and resumes its QUERY_WAREHOUSE for the same span plus the warehouse's AUTO_SUSPEND (default 600 s), at least 60 s
 * ("billed per-second, with a 60-second minimum each time a warehouse is started or resumed",
 * https://docs.snowflake.com/en/user-guide/cost-understanding-compute); a span ends where the next job on the same
 * pool / warehouse starts (no double count). Rates per hour: warehouse sizes from the same page; pool instance
 * families from Snowflake's Service Consumption Table (pool-rates.ts; a family it gives no rate for meters 0).
 * Cloud services credits are not modelled (0). Real views lag up to 3 hours (both pages); the stand-in shows a job
 * at once, so callers must still handle usage that is not there yet. Access as for every Account Usage view
 * (account-usage-services.ts).
 */
import type { Token } from '../engine/lexer.js';
import type { Session } from '../engine/session.js';
import type { JobService } from './job-registry.js';
import { POOL_CREDITS_PER_HOUR } from './pool-rates.js';
import { accountUsageServices, relation, replaceAccountUsageView } from './account-usage-services.js';

const WAREHOUSE_PER_HOUR: Record<string, number> = { XSMALL: 1, SMALL: 2, MEDIUM: 4, LARGE: 8, XLARGE: 16, XXLARGE: 32, XXXLARGE: 64, X4LARGE: 128, X5LARGE: 256, X6LARGE: 512 };

interface UsageRow {
  start: Date;
  name: string;
  credits: number;
}

const HOUR_MS = 3_600_000;

/** Credits of each job's span on one resource, summed per hour of the span's start and resource name. */
function hourly(jobs: JobService[], resourceOf: (job: JobService) => string | null, facts: (name: string) => { perHour: number; tailSeconds: number; minimumSeconds: number }): UsageRow[] {
  const byResource = new Map<string, JobService[]>();
  for (const job of jobs) {
    const name = resourceOf(job);
    if (name) byResource.set(name, [...(byResource.get(name) ?? []), job]);
  }
  const rows = new Map<string, UsageRow>();
  for (const [name, list] of byResource) {
    const { perHour, tailSeconds, minimumSeconds } = facts(name);
    const sorted = [...list].sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime());
    sorted.forEach((job, i) => {
      const start = job.createdOn.getTime();
      const end = job.status === 'RUNNING' ? Date.now() : job.updatedOn.getTime();
      const next = sorted[i + 1]?.createdOn.getTime() ?? Number.POSITIVE_INFINITY;
      const upUntil = Math.max(end, Math.min(end + tailSeconds * 1000, next));
      const seconds = Math.max(minimumSeconds, (upUntil - start) / 1000);
      const hour = new Date(Math.floor(start / HOUR_MS) * HOUR_MS);
      const key = `${hour.toISOString()} ${name}`;
      const row = rows.get(key) ?? { start: hour, name, credits: 0 };
      row.credits += (seconds / 3600) * perHour;
      rows.set(key, row);
    });
  }
  return [...rows.values()].map((r) => ({ ...r, credits: Math.round(r.credits * 1e9) / 1e9 }));
}

const end = (r: UsageRow) => new Date(r.start.getTime() + HOUR_MS);

const POOL_COLUMNS: Array<[string, string, (r: UsageRow) => string | number | boolean | Date | null]> = [
  ['START_TIME', 'TIMESTAMPTZ', (r) => r.start], ['END_TIME', 'TIMESTAMPTZ', end], ['COMPUTE_POOL_NAME', 'VARCHAR', (r) => r.name],
  ['COMPUTE_POOL_ID', 'DECIMAL(38,0)', () => null], ['IS_EXCLUSIVE', 'BOOLEAN', () => false], ['APPLICATION_NAME', 'VARCHAR', () => null],
  ['APPLICATION_ID', 'VARCHAR', () => null], ['CREDITS_USED', 'DECIMAL(38,9)', (r) => r.credits],
];

const WAREHOUSE_COLUMNS: Array<[string, string, (r: UsageRow) => string | number | boolean | Date | null]> = [
  ['START_TIME', 'TIMESTAMPTZ', (r) => r.start], ['END_TIME', 'TIMESTAMPTZ', end], ['WAREHOUSE_ID', 'DECIMAL(38,0)', () => null],
  ['WAREHOUSE_NAME', 'VARCHAR', (r) => r.name], ['CREDITS_USED', 'DECIMAL(38,9)', (r) => r.credits], ['CREDITS_USED_COMPUTE', 'DECIMAL(38,9)', (r) => r.credits],
  ['CREDITS_USED_CLOUD_SERVICES', 'DECIMAL(38,9)', () => 0], ['CREDITS_ATTRIBUTED_COMPUTE_QUERIES', 'DECIMAL(38,9)', (r) => r.credits],
];

const seconds = (value: string | undefined, fallback: number) => (value !== undefined && Number.isFinite(Number(value)) ? Number(value) : fallback);

/** Replacements for the two metering views in a query. */
export function accountUsageMetering(session: Session, tokens: Token[], jobs: JobService[]): Map<number, [number, string]> {
  const { catalog } = session.core;
  const pools = () => hourly(jobs, (j) => j.computePool, (name) => {
    const props = catalog.accountObjects('COMPUTE POOL').get(name)?.props ?? {};
    // AUTO_SUSPEND_SECS default 3600 (CREATE COMPUTE POOL).
    return { perHour: POOL_CREDITS_PER_HOUR[String(props.INSTANCE_FAMILY ?? '').toUpperCase()] ?? 0, tailSeconds: seconds(props.AUTO_SUSPEND_SECS, 3600), minimumSeconds: 0 };
  });
  const warehouses = () => hourly(jobs, (j) => j.queryWarehouse, (name) => {
    const props = catalog.accountObjects('WAREHOUSE').get(name)?.props ?? {};
    const size = String(props.WAREHOUSE_SIZE ?? 'XSMALL').toUpperCase().replace(/[-_ ']/g, '');
    return { perHour: WAREHOUSE_PER_HOUR[size] ?? 1, tailSeconds: seconds(props.AUTO_SUSPEND, 600), minimumSeconds: 60 };
  });
  return new Map([
    ...replaceAccountUsageView(session, tokens, 'SNOWPARK_CONTAINER_SERVICES_HISTORY', () => relation(POOL_COLUMNS, pools())),
    ...replaceAccountUsageView(session, tokens, 'WAREHOUSE_METERING_HISTORY', () => relation(WAREHOUSE_COLUMNS, warehouses())),
  ]);
}

/** Every Account Usage view the stand-in serves (SERVICES and the two metering views), for one query. */
export function accountUsageViews(session: Session, tokens: Token[], jobs: JobService[]): Map<number, [number, string]> {
  return new Map([...accountUsageServices(session, tokens, jobs), ...accountUsageMetering(session, tokens, jobs)]);
}
