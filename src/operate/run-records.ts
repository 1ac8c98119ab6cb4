/**
 * What the worker recorded in its state tables (worker/sync/state-tables.ts, same names and columns):
 * BATCH_SYNC_RUNS (one row per run), BATCH_SYNC_REJECTED (one row per rejected attribute or row) and the
 * outbox (captured changes not yet sent). The worker creates them on its first run, so a missing table
 * means "no run yet", reported as null rather than as an error. Runs and rejected are shared by the syncs of a
 * project: a sync's rows are those with its SYNC_NAME, or, written before that column existed (NULL), with its
 * stream as SOURCE_STREAM; a table the worker has not given the column yet is read by SOURCE_STREAM alone.
 */
import { errorCode, text, type ShowRow } from '../introspect/show.js';
import { STATE_TABLE_NAMES } from '../config/answers.js';
import type { ResolvedNames } from '../plan/names.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { RunTotals } from '../../worker/sync/runs.js';
import { toDate, toNumber } from './installed.js';

const [, RUNS, REJECTED] = STATE_TABLE_NAMES;

/** A BATCH_SYNC_RUNS row as the worker writes it (worker/sync/runs.ts owns the counters). */
export interface RunRecord extends RunTotals {
  runId: string;
  /** RUNNING (or a run killed mid-way), SUCCESS, PARTIAL (some attributes/rows rejected), ERROR. */
  status: string;
  startedAt: Date | null;
  endedAt: Date | null;
  errorMessage: string | null;
}

export interface RejectionGroup {
  reason: string;
  /** Rejections with this reason in the window. */
  count: number;
  /** Attributes concerned, most frequent first, with an example value excerpt. */
  attributes: Array<{ attribute: string | null; count: number; example: string | null; message: string | null }>;
}

const tableName = (names: ResolvedNames, table: string) => renderQualifiedName([...names.schema, table]);

/** The sync's rows: `where` and its binds; `legacy` for a table without SYNC_NAME (invalid identifier 000904). */
function syncFilter(names: ResolvedNames, legacy: boolean): { where: string; binds: string[] } {
  const stream = renderQualifiedName(names.stream);
  return legacy
    ? { where: 'SOURCE_STREAM = ?', binds: [stream] }
    : { where: '(SYNC_NAME = ? OR (SYNC_NAME IS NULL AND SOURCE_STREAM = ?))', binds: [names.sync, stream] };
}

/** Runs `read` with the SYNC_NAME filter, again by SOURCE_STREAM when the table predates the column. */
async function perSync<T>(names: ResolvedNames, read: (filter: { where: string; binds: string[] }) => Promise<T>): Promise<T> {
  try {
    return await read(syncFilter(names, false));
  } catch (error) {
    if (errorCode(error) === '000904') return read(syncFilter(names, true));
    throw error;
  }
}

/** null when the table does not exist yet (SQL compilation error 002003). */
async function orMissing<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (errorCode(error) === '002003') return null;
    throw error;
  }
}

function toRecord(row: ShowRow): RunRecord {
  const n = (column: string) => toNumber(row[column]) ?? 0;
  return {
    runId: text(row.RUN_ID) ?? '',
    status: (text(row.STATUS) ?? 'RUNNING').toUpperCase(),
    startedAt: toDate(row.STARTED_AT),
    endedAt: toDate(row.ENDED_AT),
    endpoint: text(row.ENDPOINT),
    rowsCaptured: n('ROWS_CAPTURED'),
    profilesSent: n('PROFILES_SENT'),
    rowsRejected: n('ROWS_REJECTED'),
    attributesRejected: n('ATTRIBUTES_REJECTED'),
    requests: n('REQUESTS'),
    retries: n('RETRIES'),
    errorMessage: text(row.ERROR_MESSAGE),
  };
}

const RUN_COLUMNS = 'RUN_ID, STATUS, STARTED_AT, ENDED_AT, ENDPOINT, ROWS_CAPTURED, PROFILES_SENT, ROWS_REJECTED, ATTRIBUTES_REJECTED, REQUESTS, RETRIES, ERROR_MESSAGE';

/** The last `limit` runs of this sync, newest first. */
export async function readRunRecords(session: SnowflakeSession, names: ResolvedNames, limit: number): Promise<RunRecord[] | null> {
  return orMissing(async () => {
    const { rows } = await perSync(names, ({ where, binds }) => session.query<ShowRow>(
      `SELECT ${RUN_COLUMNS} FROM ${tableName(names, RUNS)} WHERE ${where} ORDER BY STARTED_AT DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
      binds,
    ));
    return rows.map(toRecord);
  });
}

/** Rejections of the last `days` days, grouped by reason then attribute (largest first). */
export async function readRejections(session: SnowflakeSession, names: ResolvedNames, days = 7): Promise<RejectionGroup[] | null> {
  const rows = await orMissing(async () => (await perSync(names, ({ where, binds }) => session.query<ShowRow>(
    `SELECT REASON, ATTRIBUTE, COUNT(*) AS N, MAX(VALUE_EXCERPT) AS EXAMPLE, MAX(MESSAGE) AS MESSAGE FROM ${tableName(names, REJECTED)}` +
      ` WHERE ${where} AND REJECTED_AT >= DATEADD('day', -${Math.max(1, Math.floor(days))}, CURRENT_TIMESTAMP()) GROUP BY REASON, ATTRIBUTE`,
    binds,
  ))).rows);
  if (rows === null) return null;
  const groups = new Map<string, RejectionGroup>();
  for (const row of rows) {
    const reason = text(row.REASON) ?? 'unknown';
    const group = groups.get(reason) ?? { reason, count: 0, attributes: [] };
    const count = toNumber(row.N) ?? 0;
    group.count += count;
    group.attributes.push({ attribute: text(row.ATTRIBUTE), count, example: text(row.EXAMPLE), message: text(row.MESSAGE) });
    groups.set(reason, group);
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  for (const group of sorted) group.attributes.sort((a, b) => b.count - a.count || (a.attribute ?? '').localeCompare(b.attribute ?? ''));
  return sorted;
}

/** Changes captured from the stream but not yet sent (left by a failed or interrupted run). */
export async function countOutbox(session: SnowflakeSession, names: ResolvedNames): Promise<number | null> {
  return orMissing(async () => toNumber((await session.query<ShowRow>(`SELECT COUNT(*) AS N FROM ${renderQualifiedName(names.outbox)}`)).rows[0]?.N) ?? 0);
}
