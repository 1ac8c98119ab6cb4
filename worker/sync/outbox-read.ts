import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { OUTBOX_COLUMNS, quoteIdentifier, type StateTables } from './state-tables.js';

const DATE_AND_TIMESTAMP_TYPES = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

/**
 * Fixed text forms for dates and timestamps, sent as parameters of the outbox read itself (no ALTER SESSION
 * round trip). TO_VARCHAR without a format uses these session parameters, so whatever an account has set,
 * the worker reads the same, unambiguous forms; the values are Snowflake's documented defaults for
 * TIMESTAMP_OUTPUT_FORMAT and DATE_OUTPUT_FORMAT. LTZ and TZ carry their offset, so the payload transform
 * recovers the instant; NTZ has none and is the wall clock.
 */
export const OUTPUT_FORMAT_PARAMETERS = {
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  TIMESTAMP_LTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_TZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
} as const;

/**
 * The columns the send step reads from the outbox: only what it needs (the stream's columns, the key and the
 * action). Dates and timestamps are read as text: snowflake-sdk turns every such cell into a Date through
 * BigNumber and moment-timezone, which was most of the worker's CPU and garbage (measured by bench:worker);
 * the payload transform parses these text forms to the same RFC 3339 values.
 */
export function outboxSelectList(dataColumns: readonly ColumnInfo[]): string {
  const columns = dataColumns.map((c) => {
    const name = quoteIdentifier(c.name);
    return DATE_AND_TIMESTAMP_TYPES.has(c.type) ? `TO_VARCHAR(${name}) AS ${name}` : name;
  });
  columns.push(OUTBOX_COLUMNS.syncId, OUTBOX_COLUMNS.action);
  return columns.join(', ');
}

/**
 * Column descriptions for the transform: the types the outbox really has (a date column read as text is
 * still a date column), for the columns the read returned.
 */
export function transformColumns(returned: readonly ColumnInfo[], dataColumns: readonly ColumnInfo[]): ColumnInfo[] {
  const declared = new Map(dataColumns.map((c) => [c.name, c]));
  return returned.map((c) => declared.get(c.name) ?? c);
}

/**
 * The whole outbox as ONE streamed result in BATCH_SYNC_ID order (the order the progress deletes rely on).
 * One statement per run whatever the size: on a real warehouse every statement costs ~50–300 ms of round
 * trip and compile time and keeps the warehouse up, so the 2 500-row pages this replaces cost ~400
 * statements per million rows. The driver downloads the result's chunks as the rows are consumed and holds
 * only a few at once (snowflake-sdk.md §4), so memory does not grow with the outbox. Rows deleted by the
 * progress statements while the result is read do not disturb it: a result is fixed when its query runs.
 */
export function readOutbox(
  session: SnowflakeSession,
  tables: StateTables,
  dataColumns: readonly ColumnInfo[],
): { columns: Promise<ColumnInfo[]>; rows: AsyncIterable<Record<string, unknown>> } {
  const key = OUTBOX_COLUMNS.syncId;
  return session.stream<Record<string, unknown>>(
    `SELECT ${outboxSelectList(dataColumns)} FROM ${tables.outbox} ORDER BY ${key}`,
    [],
    { parameters: OUTPUT_FORMAT_PARAMETERS },
  );
}
