/**
 * SELECT results converted to cells range by range instead of all at once. Snowflake answers a query once
 * it has run, with the first rows inline and the rest as chunks fetched from cloud storage while the client
 * consumes them (reference §3.6). DuckDB runs the query just as fast, but turning every value of a large
 * result into JavaScript up front made the stand-in's first answer to a 1 M-row SELECT take seconds that a
 * warehouse does not spend (bench:worker measured 4.3 s before the first row of a 100 000-row outbox). The
 * query's result stays in DuckDB's memory (its data chunks); the inline rows and each chunk are converted
 * when asked for, and `rows` converts the whole result on first use for the paths that need every row.
 */
import type { DuckDBMaterializedResult, DuckDBValue } from '@duckdb/node-api';
import type { CellValue, ColumnMeta, EngineResult, RowWindow, StatementKind } from '../engine-types.js';

/** The rows of a materialized DuckDB result as a window: `slice` converts only the data chunks it covers. */
export function chunkedRows(result: DuckDBMaterializedResult, convert: (row: DuckDBValue[]) => CellValue[]): RowWindow {
  const starts: number[] = [];
  let count = 0;
  for (let i = 0; i < result.chunkCount; i++) {
    starts.push(count);
    count += result.getChunk(i).rowCount;
  }
  return {
    count,
    slice(start, end) {
      const from = Math.max(0, start);
      const to = Math.min(count, end);
      const out: CellValue[][] = [];
      for (let i = 0; i < starts.length && from < to; i++) {
        const chunkStart = starts[i]!;
        const chunkEnd = i + 1 < starts.length ? starts[i + 1]! : count;
        if (chunkEnd <= from || chunkStart >= to) continue;
        const rows = result.getChunk(i).getRows();
        for (let r = Math.max(from, chunkStart); r < Math.min(to, chunkEnd); r++) out.push(convert(rows[r - chunkStart]!));
      }
      return out;
    },
  };
}

/** An EngineResult whose `rows` are converted on first read; `window` serves ranges without converting the rest. */
export function windowedResult(kind: StatementKind, columns: ColumnMeta[], window: RowWindow): EngineResult {
  let rows: CellValue[][] | undefined;
  const result = { kind, columns, window } as EngineResult;
  Object.defineProperty(result, 'rows', {
    enumerable: true,
    get: () => (rows ??= window.slice(0, window.count)),
    // Rows replaced by a caller: the window no longer describes them.
    set: (value: CellValue[][]) => {
      rows = value;
      delete result.window;
    },
  });
  return result;
}
