import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import type { DeletePolicy } from '../options-types.js';
import { OUTBOX_COLUMNS, quoteIdentifier, type StateTables } from './state-tables.js';

export interface CaptureSpec {
  tables: StateTables;
  /** Validated qualified stream name, safe to interpolate. */
  streamSql: string;
  /** The stream's columns without METADATA$*. */
  dataColumns: readonly ColumnInfo[];
  /** The ID column exactly as the stream names it. */
  idColumn: string;
  deletePolicy: DeletePolicy;
  runId: string;
}

/**
 * Which change rows matter (snowflake-spcs.md §1.4): INSERT rows carry the current values (new row or new
 * image of an update); DELETE+ISUPDATE is the old image of an update (never needed); a plain DELETE is a
 * removed row, kept only with --delete-policy unset.
 */
function changeFilter(deletePolicy: DeletePolicy): string {
  return deletePolicy === 'unset'
    ? `(METADATA$ACTION = 'INSERT' OR METADATA$ISUPDATE = FALSE)`
    : `METADATA$ACTION = 'INSERT'`;
}

/**
 * The outbox key: the ID as text. Rows without an ID get a key of their own so that they still reach the
 * send step, where the transform rejects them (missing_id) and the rejection is recorded with the row.
 */
function syncKey(idSql: string): string {
  return `COALESCE(CAST(${idSql} AS VARCHAR), '${NULL_ID_KEY_PREFIX}' || METADATA$ROW_ID)`;
}

export const NULL_ID_KEY_PREFIX = '~null-id~';

/**
 * One pending change per ID. A standard stream has no order between rows of different source rows, so when
 * several rows share an ID the INSERT (current state) beats a DELETE and METADATA$ROW_ID breaks ties.
 */
function latestPerId(idSql: string): string {
  return `ROW_NUMBER() OVER (PARTITION BY ${syncKey(idSql)} ORDER BY CASE WHEN METADATA$ACTION = 'INSERT' THEN 0 ELSE 1 END, METADATA$ROW_ID) = 1`;
}

export interface CaptureResult {
  captured: number;
}

/**
 * Moves the stream's changes into the outbox with ONE autocommit MERGE that reads the stream, so the
 * offset advances exactly when the capture commits (snowflake-spcs.md §1.5: a SELECT alone never advances
 * it). A single statement leaves no window for a detached transaction if the worker is killed: Snowflake
 * either commits the whole capture or none of it. An ID already waiting in the outbox from an interrupted
 * run is overwritten by its newer change (newest wins).
 */
export async function captureChanges(session: SnowflakeSession, spec: CaptureSpec): Promise<CaptureResult> {
  const { tables, streamSql } = spec;
  const id = quoteIdentifier(spec.idColumn);
  const names = spec.dataColumns.map((c) => quoteIdentifier(c.name));
  const { syncId, action, runId, capturedAt } = OUTBOX_COLUMNS;
  const source =
    `SELECT ${names.join(', ')}, ${syncKey(id)} AS ${syncId}, METADATA$ACTION AS ${action} FROM ${streamSql} ` +
    `WHERE ${changeFilter(spec.deletePolicy)} QUALIFY ${latestPerId(id)}`;
  const merged = await session.query(
    `MERGE INTO ${tables.outbox} o USING (${source}) s ON o.${syncId} = s.${syncId} ` +
      `WHEN MATCHED THEN UPDATE SET ${[...names, action].map((n) => `${n} = s.${n}`).join(', ')}, ${runId} = ?, ${capturedAt} = CURRENT_TIMESTAMP() ` +
      `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}, ${syncId}, ${action}, ${runId}, ${capturedAt}) ` +
      `VALUES (${names.map((n) => `s.${n}`).join(', ')}, s.${syncId}, s.${action}, ?, CURRENT_TIMESTAMP())`,
    [spec.runId, spec.runId],
  );
  return { captured: merged.rowsAffected ?? 0 };
}

/** Dry run: the same selection as captureChanges with a plain SELECT, which never advances the offset. */
export function previewSql(spec: Omit<CaptureSpec, 'tables' | 'runId'>): string {
  const id = quoteIdentifier(spec.idColumn);
  const columns = spec.dataColumns.map((c) => quoteIdentifier(c.name)).join(', ');
  return (
    `SELECT ${columns}, ${syncKey(id)} AS ${OUTBOX_COLUMNS.syncId}, METADATA$ACTION AS ${OUTBOX_COLUMNS.action} ` +
    `FROM ${spec.streamSql} WHERE ${changeFilter(spec.deletePolicy)} ` +
    `QUALIFY ${latestPerId(id)} ORDER BY ${OUTBOX_COLUMNS.syncId}`
  );
}
