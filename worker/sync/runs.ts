import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { StateTables } from './state-tables.js';
import { queryAll } from '../../shared/snowflake/query-all.js';
import { markPendingStatement } from './pending-marker.js';

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

/**
 * One row per run in BATCH_SYNC_RUNS (with its sync's name); a run killed mid-way stays RUNNING, which is itself
 * informative. With the pending marker (pending-marker.ts), its row goes in the same query request, before the
 * capture as before.
 */
export async function recordRunStart(session: SnowflakeSession, tables: StateTables, runId: string, sourceStream: string, markPending = false): Promise<void> {
  await queryAll(session, [
    { sql: `INSERT INTO ${tables.runs} (RUN_ID, SOURCE_STREAM, SYNC_NAME, STARTED_AT, STATUS) VALUES (?, ?, ?, CURRENT_TIMESTAMP(), 'RUNNING')`, binds: [runId, sourceStream, tables.syncName] },
    ...(markPending ? [markPendingStatement(tables, runId)] : []),
  ]);
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

export interface OutboxState {
  /** Rows waiting in the outbox (this run's capture included). */
  pending: number;
  /** True when this stream was never fully synced: the first run is the initial backfill. */
  initialBackfill: boolean;
}

/** What the send step needs to choose its endpoint, in ONE statement (two scalar subqueries). */
export async function readOutboxState(session: SnowflakeSession, tables: StateTables, sourceStream: string): Promise<OutboxState> {
  const result = await session.query<{ PENDING: unknown; FINISHED_RUNS: unknown }>(
    `SELECT (SELECT COUNT(*) FROM ${tables.outbox}) AS PENDING, ` +
      `(SELECT COUNT(*) FROM ${tables.runs} WHERE SOURCE_STREAM = ? AND STATUS IN ('SUCCESS', 'PARTIAL')) AS FINISHED_RUNS`,
    [sourceStream],
  );
  const row = result.rows[0];
  return { pending: Number(row?.PENDING ?? 0), initialBackfill: Number(row?.FINISHED_RUNS ?? 0) === 0 };
}
