import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { StateTables } from './state-tables.js';

export type RunStatus = 'RUNNING' | 'SUCCESS' | 'PARTIAL' | 'ERROR';

export interface RunTotals {
  endpoint: string | null;
  rowsCaptured: number;
  profilesSent: number;
  rowsRejected: number;
  attributesRejected: number;
  requests: number;
  retries: number;
}

/** One row per run in BATCH_SYNC_RUNS; a run killed mid-way stays RUNNING, which is itself informative. */
export async function recordRunStart(session: SnowflakeSession, tables: StateTables, runId: string, sourceStream: string): Promise<void> {
  await session.query(
    `INSERT INTO ${tables.runs} (RUN_ID, SOURCE_STREAM, STARTED_AT, STATUS) VALUES (?, ?, CURRENT_TIMESTAMP(), 'RUNNING')`,
    [runId, sourceStream],
  );
}

export async function recordRunEnd(
  session: SnowflakeSession,
  tables: StateTables,
  runId: string,
  status: RunStatus,
  totals: RunTotals,
  errorMessage: string | null,
): Promise<void> {
  await session.query(
    `UPDATE ${tables.runs} SET ENDED_AT = CURRENT_TIMESTAMP(), STATUS = ?, ENDPOINT = ?, ROWS_CAPTURED = ?, ` +
      `PROFILES_SENT = ?, ROWS_REJECTED = ?, ATTRIBUTES_REJECTED = ?, REQUESTS = ?, RETRIES = ?, ERROR_MESSAGE = ? WHERE RUN_ID = ?`,
    [
      status,
      totals.endpoint,
      totals.rowsCaptured,
      totals.profilesSent,
      totals.rowsRejected,
      totals.attributesRejected,
      totals.requests,
      totals.retries,
      errorMessage === null ? null : errorMessage.slice(0, 2000),
      runId,
    ],
  );
}

/** True when this stream was never fully synced: the first run is the initial backfill. */
export async function isInitialBackfill(session: SnowflakeSession, tables: StateTables, sourceStream: string): Promise<boolean> {
  const result = await session.query<{ N: unknown }>(
    `SELECT COUNT(*) AS N FROM ${tables.runs} WHERE SOURCE_STREAM = ? AND STATUS IN ('SUCCESS', 'PARTIAL')`,
    [sourceStream],
  );
  return Number(result.rows[0]?.N ?? 0) === 0;
}
