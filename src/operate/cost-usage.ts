/**
 * `status --cost`: the credits the sync actually used, read from Account Usage instead of estimated, in ONE
 * statement:
 * - SNOWFLAKE.ACCOUNT_USAGE.SNOWPARK_CONTAINER_SERVICES_HISTORY: hourly CREDITS_USED per COMPUTE_POOL_NAME
 *   (https://docs.snowflake.com/en/sql-reference/account-usage/snowpark_container_services_history);
 * - SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY: hourly CREDITS_USED per WAREHOUSE_NAME (compute + cloud
 *   services, https://docs.snowflake.com/en/sql-reference/account-usage/warehouse_metering_history). The warehouse's
 *   figure covers everything that ran on it, not only this sync, and says so.
 * Both lag up to 3 hours. Without IMPORTED PRIVILEGES on the SNOWFLAKE database the views "do not exist or are not
 * authorized": the caller falls back to the estimate (cost-estimate.ts) and prints the GRANT.
 */
import { isUserError } from '../../shared/errors.js';
import { renderQualifiedName, type NameParts } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export const USAGE_WINDOW_DAYS = 7;

export interface ActualUsage {
  source: 'account-usage';
  days: number;
  computePool: string;
  warehouse: string;
  poolCredits: number;
  warehouseCredits: number;
  totalCredits: number;
  perDayCredits: number;
}

export type UsageReading = { kind: 'actual'; usage: ActualUsage } | { kind: 'unavailable'; reason: string; grant: string };

const bare = (parts: NameParts) => parts[parts.length - 1]!;

export async function readActualUsage(session: SnowflakeSession, names: { computePool: NameParts; warehouse: NameParts; role: NameParts }): Promise<UsageReading> {
  const computePool = bare(names.computePool);
  const warehouse = bare(names.warehouse);
  const since = `DATEADD(day, -${USAGE_WINDOW_DAYS}, CURRENT_TIMESTAMP())`;
  try {
    const { rows } = await session.query<{ POOL_CREDITS: unknown; WAREHOUSE_CREDITS: unknown }>(
      `SELECT (SELECT COALESCE(SUM(CREDITS_USED), 0) FROM SNOWFLAKE.ACCOUNT_USAGE.SNOWPARK_CONTAINER_SERVICES_HISTORY WHERE COMPUTE_POOL_NAME = ? AND START_TIME >= ${since}) AS POOL_CREDITS, ` +
        `(SELECT COALESCE(SUM(CREDITS_USED), 0) FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = ? AND START_TIME >= ${since}) AS WAREHOUSE_CREDITS`,
      [computePool, warehouse],
    );
    const round = (n: number) => Math.round(n * 10_000) / 10_000;
    const poolCredits = round(Number(rows[0]?.POOL_CREDITS ?? 0));
    const warehouseCredits = round(Number(rows[0]?.WAREHOUSE_CREDITS ?? 0));
    const totalCredits = round(poolCredits + warehouseCredits);
    return { kind: 'actual', usage: { source: 'account-usage', days: USAGE_WINDOW_DAYS, computePool, warehouse, poolCredits, warehouseCredits, totalCredits, perDayCredits: round(totalCredits / USAGE_WINDOW_DAYS) } };
  } catch (error) {
    if (!isUserError(error) || error.code !== 'OBJECT_MISSING') throw error;
    return {
      kind: 'unavailable',
      reason: 'the role cannot read SNOWFLAKE.ACCOUNT_USAGE (no IMPORTED PRIVILEGES on the SNOWFLAKE database)',
      grant: `GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${renderQualifiedName(names.role)};`,
    };
  }
}

export function usageLine(usage: ActualUsage): string {
  const credits = (n: number) => n.toFixed(3);
  return (
    `${credits(usage.totalCredits)} credits in the last ${usage.days} days (~${credits(usage.perDayCredits)}/day): pool ${usage.computePool} ${credits(usage.poolCredits)} + ` +
    `warehouse ${usage.warehouse} ${credits(usage.warehouseCredits)} (everything that ran on it) — actual, from SNOWFLAKE.ACCOUNT_USAGE (lags up to 3 h)`
  );
}
