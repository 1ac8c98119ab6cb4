import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { OUTBOX_COLUMNS, quoteIdentifier, type StateTables } from './state-tables.js';

const DATE_AND_TIMESTAMP_TYPES = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);

/**
 * Fixed text forms for dates and timestamps on the worker's own session. TO_VARCHAR without a format uses
 * these session parameters, so whatever an account has set, the worker reads the same, unambiguous forms;
 * the values are Snowflake's documented defaults for TIMESTAMP_OUTPUT_FORMAT and DATE_OUTPUT_FORMAT. LTZ and TZ
 * carry their offset, so the payload transform recovers the instant; NTZ has none and is the wall clock.
 */
export const SESSION_OUTPUT_FORMATS_SQL =
  "ALTER SESSION SET DATE_OUTPUT_FORMAT = 'YYYY-MM-DD' TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3' " +
  "TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM'";

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

export interface PageSizes {
  /** Rows in the first page: small, so that the first request leaves early. */
  first: number;
  /** Pages double up to this size. */
  max: number;
}

/**
 * 2 500-row pages: the page being read and the one prefetched are held whole by the driver. Measured with
 * bench:worker at 1 000 000 rows: 5 000-row pages peaked at 303–315 MB RSS (1.007–1.016× the ideal time),
 * 2 500-row pages at 280 MB (1.074×); 10 000-row pages added ~50 MB more at 300 000 rows for no speed gain.
 * The cost is twice the page queries (400 per million rows).
 */
export const DEFAULT_PAGE_SIZES: PageSizes = { first: 2_500, max: 2_500 };

/** Extra column of every page: the page's last key, so the next page's query can start at its first row. */
export const PAGE_END_COLUMN = 'BATCH_SYNC_PAGE_END';

/**
 * Reads the outbox as consecutive key ranges (`BATCH_SYNC_ID > previous page's last key … LIMIT n`), each
 * one streamed. One query over the whole outbox makes the first row wait until the server has produced the
 * entire ordered result (seconds per 100 000 rows on the stand-in, measured by bench:worker); a small first
 * page gets the first request out early. Each row carries its page's last key, so the next page's query
 * runs while the current page is read (1 000 000 rows: 400 queries, none waited for in sequence).
 * Rows deleted behind the cursor (handled ones) do not disturb the ranges still to come, and nothing else
 * writes the outbox while a run sends.
 */
export function readOutboxPages(
  session: SnowflakeSession,
  tables: StateTables,
  dataColumns: readonly ColumnInfo[],
  sizes: PageSizes = DEFAULT_PAGE_SIZES,
): { columns: Promise<ColumnInfo[]>; rows: AsyncIterable<Record<string, unknown>> } {
  const key = OUTBOX_COLUMNS.syncId;
  const list = outboxSelectList(dataColumns);
  const page = (after: string | null, limit: number) =>
    session.stream<Record<string, unknown>>(
      `SELECT p.*, MAX(p.${key}) OVER () AS ${PAGE_END_COLUMN} FROM (SELECT ${list} FROM ${tables.outbox}` +
        `${after === null ? '' : ` WHERE ${key} > ?`} ORDER BY ${key} LIMIT ${limit}) p ORDER BY p.${key}`,
      after === null ? [] : [after],
    );
  const first = page(null, sizes.first);
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    let current = first;
    let limit = sizes.first;
    for (;;) {
      let next: ReturnType<typeof page> | undefined;
      let count = 0;
      const nextLimit = Math.min(sizes.max, limit * 2);
      for await (const row of current.rows) {
        if (count++ === 0 && row[PAGE_END_COLUMN] != null) {
          // Started before knowing whether this page is full; read (and its failure reported) only if it is.
          next = page(String(row[PAGE_END_COLUMN]), nextLimit);
          next.columns.catch(() => undefined);
        }
        yield row;
      }
      if (count < limit || next === undefined) return;
      current = next;
      limit = nextLimit;
    }
  }
  return { columns: first.columns, rows: rows() };
}
