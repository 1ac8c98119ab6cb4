import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { sqlError } from '../../shared/errors.js';
import { queryAll } from '../../shared/snowflake/query-all.js';
import { DEFAULT_SYNC_NAME, perSyncName } from '../../shared/state/sync-names.js';
import { REJECTED_DDL, RUNS_DDL } from '../../shared/state/state-ddl.js';

/**
 * The worker's own tables, created IF NOT EXISTS in the state schema so that Batch's job arguments alone
 * (plus CREATE TABLE on the schema) are enough. The wizard's templates use the same names and DDL.
 */
export const STATE_TABLE_NAMES = {
  outbox: 'BATCH_SYNC_OUTBOX',
  runs: 'BATCH_SYNC_RUNS',
  rejected: 'BATCH_SYNC_REJECTED',
  /** Created by init, not by the worker (the task's WHEN names its stream): src/config/answers.ts PENDING_MARKER_NAMES. */
  pending: 'BATCH_SYNC_PENDING',
  pendingStream: 'BATCH_SYNC_PENDING_STREAM',
} as const;

/** Bookkeeping columns added to the outbox next to the stream's own columns (never sent to Batch). */
export const OUTBOX_COLUMNS = {
  /** CAST(<id column> AS VARCHAR): dedup key, send order and delete key. */
  syncId: 'BATCH_SYNC_ID',
  /** METADATA$ACTION of the captured change: INSERT (new row / new image) or DELETE (row deleted). */
  action: 'BATCH_SYNC_ACTION',
  runId: 'BATCH_SYNC_RUN_ID',
  capturedAt: 'BATCH_SYNC_CAPTURED_AT',
} as const;

export const OUTBOX_BOOKKEEPING = Object.values(OUTBOX_COLUMNS);

// The runs/rejected DDL is shared with init, which creates the runs table ahead of the first run when alerts read it.
export { REJECTED_DDL, RUNS_DDL } from '../../shared/state/state-ddl.js';

/**
 * SYNC_NAME (the sync of a project of several, `--sync-name`) on runs and rejected tables made before issue 16:
 * added on the first run of this worker, like RESYNC_REQUEST on the control table (shared/state/resync.ts). Rows
 * written before keep a NULL SYNC_NAME; readers fall back to SOURCE_STREAM for them (src/operate/run-records.ts).
 */
export function syncNameColumnStatements(tables: Pick<StateTables, 'runs' | 'rejected'>): string[] {
  return [tables.runs, tables.rejected].map((table) => `ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS SYNC_NAME VARCHAR`);
}

export interface StateTables {
  /** The sync these tables serve: its rows in the shared runs / rejected tables carry it in SYNC_NAME. */
  syncName: string;
  outbox: string;
  runs: string;
  rejected: string;
  pending: string;
  pendingStream: string;
}

/**
 * `schemaSql` is a validated qualified name (or null = the session's current schema). The outbox and the
 * pending marker are the sync's own (`--sync-name`, shared/state/sync-names.ts); runs and rejected are shared
 * by the syncs of a project (each row names its SYNC_NAME and its SOURCE_STREAM, which is the sync's own).
 */
export function stateTables(schemaSql: string | null, syncName: string = DEFAULT_SYNC_NAME): StateTables {
  const prefix = schemaSql ? `${schemaSql}.` : '';
  const own = (base: string) => prefix + perSyncName(base, syncName);
  return {
    syncName,
    outbox: own(STATE_TABLE_NAMES.outbox),
    runs: prefix + STATE_TABLE_NAMES.runs,
    rejected: prefix + STATE_TABLE_NAMES.rejected,
    pending: own(STATE_TABLE_NAMES.pending),
    pendingStream: own(STATE_TABLE_NAMES.pendingStream),
  };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Snowflake DDL type for a column as the driver describes it (snowflake-sdk.md §3.4 type names). */
export function columnDdlType(column: ColumnInfo): string {
  switch (column.type.toLowerCase()) {
    case 'fixed':
      return `NUMBER(${column.precision ?? 38},${column.scale ?? 0})`;
    case 'real':
      return 'FLOAT';
    case 'text':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'time':
      return 'TIME';
    case 'timestamp_ntz':
      return 'TIMESTAMP_NTZ';
    case 'timestamp_ltz':
      return 'TIMESTAMP_LTZ';
    case 'timestamp_tz':
      return 'TIMESTAMP_TZ';
    case 'binary':
      return 'BINARY';
    case 'array':
      return 'ARRAY';
    case 'object':
      return 'OBJECT';
    default:
      return 'VARIANT';
  }
}

export function outboxDdl(dataColumns: readonly ColumnInfo[]): string {
  const columns = dataColumns.map((c) => `${quoteIdentifier(c.name)} ${columnDdlType(c)}`);
  columns.push(
    `${OUTBOX_COLUMNS.syncId} VARCHAR NOT NULL`,
    `${OUTBOX_COLUMNS.action} VARCHAR NOT NULL`,
    `${OUTBOX_COLUMNS.runId} VARCHAR`,
    `${OUTBOX_COLUMNS.capturedAt} TIMESTAMP_LTZ`,
  );
  return `(${columns.join(', ')})`;
}

/** A CREATE TABLE IF NOT EXISTS that created the table (any other status, e.g. "… already exists", is not). */
const createdNow = (result: { rows: Array<Record<string, unknown>> }) => /successfully created/i.test(String(Object.values(result.rows[0] ?? {})[0] ?? ''));

const sameShape = (a: readonly ColumnInfo[], b: readonly ColumnInfo[]) =>
  a.length === b.length && a.every((c, i) => c.name === b[i]?.name && columnDdlType(c) === columnDdlType(b[i]!));

/**
 * The outbox's columns if all three state tables exist (with SYNC_NAME), null if one is missing, 'no-sync-name'
 * when runs or rejected predate the SYNC_NAME column: ONE statement on every run but the first (a cross join of
 * the three, LIMIT 0, reads no row). Other failures (privileges, no warehouse) are the run's error.
 */
async function probeStateTables(session: SnowflakeSession, tables: StateTables): Promise<ColumnInfo[] | null | 'no-sync-name'> {
  try {
    const probe = await session.query(
      `SELECT o.* FROM ${tables.outbox} o CROSS JOIN (SELECT SYNC_NAME FROM ${tables.runs}) r CROSS JOIN (SELECT SYNC_NAME FROM ${tables.rejected}) j LIMIT 0`,
    );
    return probe.columns;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'OBJECT_MISSING') return null;
    if ((error as { details?: { snowflakeCode?: unknown } }).details?.snowflakeCode === '000904') return 'no-sync-name';
    throw error;
  }
}

/**
 * Creates the runs/rejected tables and an outbox shaped like the stream (only when one is missing). If the
 * view's columns changed since the outbox was created, an empty outbox is recreated; a non-empty one is
 * kept and the run stops with a fix.
 */
export async function ensureStateTables(
  session: SnowflakeSession,
  tables: StateTables,
  streamDataColumns: readonly ColumnInfo[],
): Promise<void> {
  let columns = await probeStateTables(session, tables);
  if (columns === null) {
    // The first run: one query request for the three tables and the outbox's columns (an outbox left from an
    // earlier shape may exist while another table is missing, so its columns are read, not assumed).
    const results = await queryAll(session, [
      { sql: `CREATE TABLE IF NOT EXISTS ${tables.runs} ${RUNS_DDL}` },
      { sql: `CREATE TABLE IF NOT EXISTS ${tables.rejected} ${REJECTED_DDL}` },
      { sql: `CREATE TABLE IF NOT EXISTS ${tables.outbox} ${outboxDdl(streamDataColumns)}` },
      { sql: `SELECT * FROM ${tables.outbox} LIMIT 0` },
    ]);
    columns = results[3]!.columns;
    // A new sync's runs / rejected tables may be another sync's, made before SYNC_NAME existed: probed again
    // unless both were created just now (Snowflake's status "Table … successfully created.").
    if (!results.slice(0, 2).every(createdNow)) columns = (await probeStateTables(session, tables)) ?? columns;
  }
  if (columns === 'no-sync-name') {
    for (const statement of syncNameColumnStatements(tables)) await session.query(statement);
    columns = (await session.query(`SELECT * FROM ${tables.outbox} LIMIT 0`)).columns;
  }
  const existingData = columns.filter((c) => !(OUTBOX_BOOKKEEPING as string[]).includes(c.name));
  if (sameShape(existingData, streamDataColumns)) return;
  const pending = await session.query<{ N: number }>(`SELECT COUNT(*) AS N FROM ${tables.outbox}`);
  if (Number(pending.rows[0]?.N ?? 0) > 0) {
    throw sqlError(
      'OUTBOX_SHAPE_CHANGED',
      `The stream's columns changed but ${tables.outbox} still holds ${pending.rows[0]?.N} unsent changes in the old shape.`,
      { suggestion: `Rerun the previous configuration once to drain it, or drop ${tables.outbox} to discard them.` },
    );
  }
  await session.query(`CREATE OR REPLACE TABLE ${tables.outbox} ${outboxDdl(streamDataColumns)}`);
}
