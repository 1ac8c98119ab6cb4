/**
 * The worker's side of a resync request (shared/state/resync.ts): after its capture, a run that finds a
 * request it has not filled yet puts every current row of the view into the outbox, then sends the outbox
 * as usual (mass-update, like the first backfill); the request is cleared only when the outbox is empty.
 *
 * At-least-once, newest value wins, in the order of the source:
 *  - The fill is ONE MERGE that inserts only IDs not already waiting in the outbox: a change captured from
 *    the stream (this run or an interrupted one) is a full row and is sent anyway, so it is never replaced
 *    by the view's row. The view is read after the capture, so its rows are at least as new as what the
 *    capture saw; a write after the fill is in the stream and the next capture overwrites the ID's outbox
 *    row (captureChanges: WHEN MATCHED THEN UPDATE) or sends it in the next run, after this one.
 *  - RESYNC_FILLED is set in a second statement: a crash between the two fills again on the next run (more
 *    duplicates, nothing lost). After it, a killed run leaves the rest in the outbox like any other run.
 *  - Rows whose ID is NULL are not re-sent (they never reach Batch: the first backfill recorded them as
 *    rejected). Duplicate IDs in the view (--allow-duplicate-ids) keep one row per ID, as a profile holds one.
 */
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import type { ControlRow } from '../../shared/state/control-table.js';
import { parseResyncRequest, type ResyncRequest } from '../../shared/state/resync.js';
import type { Logger } from './log.js';
import { OUTBOX_COLUMNS, quoteIdentifier, type StateTables } from './state-tables.js';

export interface ActiveResync {
  request: ResyncRequest;
  /** The RESYNC_REQUEST text as read: the compare of the clear. */
  text: string;
  /** Rows this run put into the outbox (0 when an earlier run had filled it). */
  filled: number;
}

export function pendingResync(control: ControlRow | null, log: Logger): { request: ResyncRequest; text: string; filled: boolean } | null {
  const text = control?.resyncRequest ?? null;
  if (!text) return null;
  const request = parseResyncRequest(text);
  if (!request) {
    log.warn('resync.ignored', { note: 'RESYNC_REQUEST of the control row is not a request this worker understands; rerun `batch-snowflake run --resync`' });
    return null;
  }
  return { request, text, filled: control?.resyncFilled === request.id };
}

export interface FillSpec {
  tables: StateTables;
  controlTable: string;
  syncName: string;
  dataColumns: readonly ColumnInfo[];
  idColumn: string;
  runId: string;
}

export async function fillFromSource(session: SnowflakeSession, spec: FillSpec, pending: { request: ResyncRequest; text: string }): Promise<number> {
  const { syncId, action, runId, capturedAt } = OUTBOX_COLUMNS;
  const id = quoteIdentifier(spec.idColumn);
  const names = spec.dataColumns.map((c) => quoteIdentifier(c.name));
  const key = `CAST(${id} AS VARCHAR)`;
  const source =
    `SELECT ${names.join(', ')}, ${key} AS ${syncId} FROM ${pending.request.source} ` +
    `WHERE ${id} IS NOT NULL QUALIFY ROW_NUMBER() OVER (PARTITION BY ${key} ORDER BY ${key}) = 1`;
  const merged = await session.query(
    `MERGE INTO ${spec.tables.outbox} o USING (${source}) s ON o.${syncId} = s.${syncId} ` +
      `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}, ${syncId}, ${action}, ${runId}, ${capturedAt}) ` +
      `VALUES (${names.map((n) => `s.${n}`).join(', ')}, s.${syncId}, 'INSERT', ?, CURRENT_TIMESTAMP())`,
    [spec.runId],
  );
  await session.query(
    `UPDATE ${spec.controlTable} SET RESYNC_FILLED = ?, UPDATED_AT = CURRENT_TIMESTAMP() WHERE SYNC_NAME = ? AND RESYNC_REQUEST = ?`,
    [pending.request.id, spec.syncName, pending.text],
  );
  return merged.rowsAffected ?? 0;
}

/** Clears the request this run honoured (only that one: a newer request written meanwhile stays). */
export async function clearResync(session: SnowflakeSession, controlTable: string, syncName: string, text: string): Promise<boolean> {
  const result = await session.query(
    `UPDATE ${controlTable} SET RESYNC_REQUEST = NULL, RESYNC_FILLED = NULL, UPDATED_AT = CURRENT_TIMESTAMP() WHERE SYNC_NAME = ? AND RESYNC_REQUEST = ?`,
    [syncName, text],
  );
  return (result.rowsAffected ?? 0) > 0;
}

export async function outboxRows(session: SnowflakeSession, tables: StateTables): Promise<number> {
  return Number((await session.query<{ N: unknown }>(`SELECT COUNT(*) AS N FROM ${tables.outbox}`)).rows[0]?.N ?? 0);
}

/** After the capture: fills the outbox for a request not filled yet; returns the active resync, or null. */
export async function beginResync(session: SnowflakeSession, spec: FillSpec, control: ControlRow | null, log: Logger): Promise<ActiveResync | null> {
  const pending = pendingResync(control, log);
  if (!pending) return null;
  const started = performance.now();
  const filled = pending.filled ? 0 : await fillFromSource(session, spec, pending);
  log.info('resync.filled', {
    requestId: pending.request.id, source: pending.request.source, rowsFilled: filled, alreadyFilled: pending.filled,
    unset: pending.request.unset, durationMs: Math.round(performance.now() - started),
  });
  return { request: pending.request, text: pending.text, filled };
}

/** After sending: clears the request when nothing is left in the outbox (`left`), else keeps it for the next run. */
export async function finishResync(session: SnowflakeSession, spec: Pick<FillSpec, 'controlTable' | 'syncName'>, resync: ActiveResync, left: number, log: Logger): Promise<void> {
  if (left > 0) {
    log.warn('resync.kept', { requestId: resync.request.id, outboxRows: left, note: 'the next run sends the rest; the request stays until the outbox is empty' });
    return;
  }
  const cleared = await clearResync(session, spec.controlTable, spec.syncName, resync.text);
  log.info('resync.done', { requestId: resync.request.id, cleared, note: cleared ? 'every row of the view was re-sent' : 'a newer resync was requested meanwhile: the next run honours it' });
}
