import type { ColumnInfo, SnowflakeSession } from '../../src/snowflake/types.js';
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
 * One pending change per ID. A standard stream has no order between rows of different source rows, so when
 * several rows share an ID the INSERT (current state) beats a DELETE and METADATA$ROW_ID breaks ties.
 */
function latestPerId(idSql: string): string {
  return `ROW_NUMBER() OVER (PARTITION BY CAST(${idSql} AS VARCHAR) ORDER BY CASE WHEN METADATA$ACTION = 'INSERT' THEN 0 ELSE 1 END, METADATA$ROW_ID) = 1`;
}

export interface CaptureResult {
  captured: number;
  missingIds: number;
}

/**
 * Moves the stream's changes into the outbox in ONE transaction of DML statements that read the stream, so
 * the offset advances exactly when the capture commits (snowflake-spcs.md §1.5: a SELECT alone never
 * advances it; all statements in the transaction see the same change set). An ID already waiting in the
 * outbox from an interrupted run is replaced by its newer change. Rows without an ID go to the rejected table.
 */
export async function captureChanges(session: SnowflakeSession, spec: CaptureSpec): Promise<CaptureResult> {
  const { tables, streamSql, runId } = spec;
  const id = quoteIdentifier(spec.idColumn);
  const columns = spec.dataColumns.map((c) => quoteIdentifier(c.name)).join(', ');
  const filter = changeFilter(spec.deletePolicy);
  await session.query('BEGIN');
  try {
    await session.query(
      `DELETE FROM ${tables.outbox} WHERE ${OUTBOX_COLUMNS.syncId} IN ` +
        `(SELECT CAST(${id} AS VARCHAR) FROM ${streamSql} WHERE ${filter} AND ${id} IS NOT NULL)`,
    );
    const inserted = await session.query(
      `INSERT INTO ${tables.outbox} (${columns}, ${OUTBOX_COLUMNS.syncId}, ${OUTBOX_COLUMNS.action}, ` +
        `${OUTBOX_COLUMNS.runId}, ${OUTBOX_COLUMNS.capturedAt}) ` +
        `SELECT ${columns}, CAST(${id} AS VARCHAR), METADATA$ACTION, ?, CURRENT_TIMESTAMP() FROM ${streamSql} ` +
        `WHERE ${filter} AND ${id} IS NOT NULL QUALIFY ${latestPerId(id)}`,
      [runId],
    );
    const missing = await session.query(
      `INSERT INTO ${tables.rejected} (RUN_ID, SOURCE_STREAM, REJECTED_AT, CUSTOM_ID, ATTRIBUTE, VALUE_EXCERPT, REASON, MESSAGE, ORIGIN) ` +
        `SELECT ?, ?, CURRENT_TIMESTAMP(), NULL, ?, NULL, 'missing_id', ?, 'capture' FROM ${streamSql} ` +
        `WHERE ${filter} AND ${id} IS NULL`,
      [runId, streamSql, spec.idColumn, `${spec.idColumn} is NULL: the row cannot be matched to a Batch profile`],
    );
    await session.query('COMMIT');
    return { captured: inserted.rowsAffected ?? 0, missingIds: missing.rowsAffected ?? 0 };
  } catch (error) {
    // The offset stays where it was (§1.5 "otherwise it stays at the same position"); nothing is lost.
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Dry run: the same selection as captureChanges with a plain SELECT, which never advances the offset. */
export function previewSql(spec: Omit<CaptureSpec, 'tables' | 'runId'>): string {
  const id = quoteIdentifier(spec.idColumn);
  const columns = spec.dataColumns.map((c) => quoteIdentifier(c.name)).join(', ');
  return (
    `SELECT ${columns}, CAST(${id} AS VARCHAR) AS ${OUTBOX_COLUMNS.syncId}, METADATA$ACTION AS ${OUTBOX_COLUMNS.action} ` +
    `FROM ${spec.streamSql} WHERE ${changeFilter(spec.deletePolicy)} ` +
    `QUALIFY ${latestPerId(id)} OR ${id} IS NULL ORDER BY ${OUTBOX_COLUMNS.syncId}`
  );
}
