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
import { UserError } from '../../shared/errors.js';
import type { SnowflakeSession, SqlStatement } from '../../shared/snowflake/types.js';
import { queryAll } from '../../shared/snowflake/query-all.js';
import type { StateTables } from './state-tables.js';

export function markPendingStatement(tables: StateTables, runId: string): SqlStatement {
  return { sql: `INSERT INTO ${tables.pending} (RUN_ID, MARKED_AT) VALUES (?, CURRENT_TIMESTAMP())`, binds: [runId] };
}

/** Where a resync request is recorded (shared/state/resync.ts): the control table and the sync's row in it. */
export interface ResyncRow {
  controlTable: string;
  syncName: string;
}

/**
 * Clears the marker when nothing is left to send; returns the outbox rows still pending.
 *
 * With `resync` given, a resync request still recorded after the clear (one written while this run was under
 * way: `run --resync` or `init` elsewhere) gets a marker row again. The request's own marker row may have
 * landed before the DELETE or between the DELETE and the consume, and then the clear wiped it: the request
 * would wait, recorded, until the view next changed. One conditional INSERT after the consume closes both
 * windows: a request written before it is seen; one written after it writes its marker row after the consume.
 * The run's own honoured request is cleared before (worker/sync/resync.ts finishResync), so it does not mark.
 */
export async function clearPendingIfDone(session: SnowflakeSession, tables: StateTables, resync?: ResyncRow, runId = ''): Promise<number> {
  const left = Number((await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${tables.outbox}`)).rows[0]?.N ?? 0);
  if (left > 0) return left;
  await clearPending(session, tables, resync, runId);
  return 0;
}

/**
 * The clear itself (the caller has counted an empty outbox): the DELETE, the consume and, with `resync`, the
 * conditional marker, in this order and in ONE query request (each statement commits on its own, as before).
 */
export async function clearPending(session: SnowflakeSession, tables: StateTables, resync: ResyncRow | undefined, runId: string): Promise<void> {
  try {
    await queryAll(session, [
      { sql: `DELETE FROM ${tables.pending}` },
      { sql: `INSERT INTO ${tables.pending} (RUN_ID, MARKED_AT) SELECT RUN_ID, MARKED_AT FROM ${tables.pendingStream} WHERE FALSE` },
      ...(resync ? [markIfResyncRecorded(tables, resync, runId)] : []),
    ]);
  } catch (error) {
    // A control table made before issue 20 has no RESYNC_REQUEST column until a request adds it (shared/state/resync.ts),
    // so the column missing means no request was ever recorded: nothing to keep. The clear before it is done.
    if (!(resync && error instanceof UserError && error.details?.snowflakeCode === INVALID_IDENTIFIER)) throw error;
  }
}

function markIfResyncRecorded(tables: StateTables, resync: ResyncRow, runId: string): SqlStatement {
  return {
    sql: `INSERT INTO ${tables.pending} (RUN_ID, MARKED_AT) SELECT ?, CURRENT_TIMESTAMP() FROM ${resync.controlTable} WHERE SYNC_NAME = ? AND RESYNC_REQUEST IS NOT NULL`,
    binds: [`resync-kept:${runId}`, resync.syncName],
  };
}

/** Snowflake's "invalid identifier" compilation error, as shared/snowflake/driver-errors.ts keeps it (details.snowflakeCode). */
const INVALID_IDENTIFIER = '000904';
