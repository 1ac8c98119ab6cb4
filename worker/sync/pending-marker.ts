/**
 * The pending-changes marker (why: src/plan/task-steps.ts planPendingMarker). A row goes into BATCH_SYNC_PENDING
 * before the capture, so a run that dies anywhere after it (Batch refusing the key, the network, a kill) leaves
 * the append-only stream on it non-empty and the task's WHEN true for the next run. Only a run that ends with
 * an empty outbox clears it: first DELETE the rows (an append-only stream does not record deletes), then one
 * DML that reads the stream and writes nothing, which moves its offset (reference §1.5: the offset advances
 * when a DML statement reading the stream commits). In that order the stream is left with no change after its
 * offset, so SYSTEM$STREAM_HAS_DATA has nothing to report (it may give false positives for rows inserted and
 * deleted after the offset, docs.snowflake.com/en/sql-reference/functions/system_stream_has_data).
 */
import type { SnowflakeSession, SqlStatement } from '../../shared/snowflake/types.js';
import { queryAll } from '../../shared/snowflake/query-all.js';
import type { StateTables } from './state-tables.js';

export function markPendingStatement(tables: StateTables, runId: string): SqlStatement {
  return { sql: `INSERT INTO ${tables.pending} (RUN_ID, MARKED_AT) VALUES (?, CURRENT_TIMESTAMP())`, binds: [runId] };
}

/** Clears the marker when nothing is left to send; returns the outbox rows still pending. */
export async function clearPendingIfDone(session: SnowflakeSession, tables: StateTables): Promise<number> {
  const left = Number((await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${tables.outbox}`)).rows[0]?.N ?? 0);
  if (left > 0) return left;
  // In this order, in one query request (each statement commits on its own, as before).
  await queryAll(session, [
    { sql: `DELETE FROM ${tables.pending}` },
    { sql: `INSERT INTO ${tables.pending} (RUN_ID, MARKED_AT) SELECT RUN_ID, MARKED_AT FROM ${tables.pendingStream} WHERE FALSE` },
  ]);
  return 0;
}
