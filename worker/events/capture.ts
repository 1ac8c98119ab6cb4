/**
 * Event syncs: capture the APPEND_ONLY stream (snowflake-spcs.md §1.1: "Append-only streams track row
 * inserts only. Update and delete operations … are not recorded") into the events outbox with ONE autocommit
 * INSERT … SELECT: the offset advances exactly when the capture commits (§1.5), so a killed run either
 * captured everything or nothing. Every row is an event of its own (no newest-wins as for profiles).
 */
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { OUTBOX_COLUMNS, quoteIdentifier, stateTables, type StateTables } from '../sync/state-tables.js';
import { DEFAULT_SYNC_NAME, perSyncName } from '../../shared/state/sync-names.js';

export const EVENTS_OUTBOX = 'BATCH_SYNC_EVENTS_OUTBOX';

/**
 * The state tables of an event sync: the runs / rejected tables of the schema, an outbox of its own (per sync
 * of a project of several, like the pending marker: `--sync-name`, shared/state/sync-names.ts).
 */
export function eventStateTables(schemaSql: string | null, syncName: string = DEFAULT_SYNC_NAME): StateTables {
  const tables = stateTables(schemaSql, syncName);
  return { ...tables, outbox: (schemaSql ? `${schemaSql}.` : '') + perSyncName(EVENTS_OUTBOX, syncName) };
}

const TEMPORAL = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

/**
 * The stable event key, BATCH_SYNC_ID: custom ID, CHR(1), event time (epoch ms, zero-padded), CHR(1),
 * METADATA$ROW_ID (unique per source row, the same on every read). Ordering by it groups each profile's
 * events together and in time order, so the send step reads ONE ordered result and records progress as
 * prefix deletes (`BATCH_SYNC_ID <= ?`), as the profile outbox does.
 */
export function eventKeySql(idColumn: string, time: ColumnInfo): string {
  const id = quoteIdentifier(idColumn);
  const t = quoteIdentifier(time.name);
  const epoch = TEMPORAL.has(time.type)
    ? `COALESCE(LPAD(TO_VARCHAR(DATE_PART(EPOCH_MILLISECOND, ${time.type === 'date' ? `CAST(${t} AS TIMESTAMP_NTZ)` : t})), 15, '0'), '')`
    : `''`;
  return `COALESCE(CAST(${id} AS VARCHAR), '~null-id~') || CHR(1) || ${epoch} || CHR(1) || METADATA$ROW_ID`;
}

export interface EventCaptureSpec {
  tables: StateTables;
  streamSql: string;
  dataColumns: readonly ColumnInfo[];
  idColumn: string;
  timeColumn: ColumnInfo;
  runId: string;
}

/** INSERT rows only: on an APPEND_ONLY stream there are no others; an update or delete is not an event. */
export function eventSelectSql(spec: Omit<EventCaptureSpec, 'tables' | 'runId'>): string {
  const names = spec.dataColumns.map((c) => quoteIdentifier(c.name));
  return `SELECT ${names.join(', ')}, ${eventKeySql(spec.idColumn, spec.timeColumn)} AS ${OUTBOX_COLUMNS.syncId}, METADATA$ACTION AS ${OUTBOX_COLUMNS.action} FROM ${spec.streamSql} WHERE METADATA$ACTION = 'INSERT'`;
}

export async function captureEvents(session: SnowflakeSession, spec: EventCaptureSpec): Promise<number> {
  const names = spec.dataColumns.map((c) => quoteIdentifier(c.name));
  const { syncId, action, runId, capturedAt } = OUTBOX_COLUMNS;
  const inserted = await session.query(
    `INSERT INTO ${spec.tables.outbox} (${names.join(', ')}, ${syncId}, ${action}, ${runId}, ${capturedAt}) ` +
      `SELECT s.*, ?, CURRENT_TIMESTAMP() FROM (${eventSelectSql(spec)}) s`,
    [spec.runId],
  );
  return inserted.rowsAffected ?? 0;
}
