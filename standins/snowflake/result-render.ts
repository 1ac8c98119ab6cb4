/** Engine results → the `data` object of a query-request answer (reference §3.3). */
import { randomUUID } from 'node:crypto';
import type { ColumnMeta, EngineResult, SessionContext, StatementKind } from './engine-types.js';
import { encodeRows, rowTypeOf } from './encoding.js';
import { wireRowsOf, type ResultChunkStore, type WireRows } from './result-chunks.js';

/** Snowflake statement type ids (JDBC SFStatementType; the Node driver's statement_type.js). */
const STATEMENT_TYPE_IDS: Record<StatementKind, number> = {
  SELECT: 0x1000,
  INSERT: 0x3100,
  UPDATE: 0x3200,
  DELETE: 0x3300,
  MERGE: 0x3400,
  USE: 0x4300,
  SHOW: 0x4400,
  DESCRIBE: 0x4500,
  TRANSACTION: 0x5000,
  DDL: 0x6000,
  // CALL returns a one-row result set like a query; the docs give no id for it, 0x1000 keeps it a query.
  CALL: 0x1000,
  OTHER: 0x0000,
};

export const statementTypeId = (kind: StatementKind): number => STATEMENT_TYPE_IDS[kind];

const countColumn = (name: string): ColumnMeta => ({ name, type: 'FIXED', precision: 19, scale: 0, nullable: false });

/**
 * DML answers carry the counts as a one-row result, as Snowflake renders them; the driver's
 * getNumUpdatedRows() sums every cell of it. An engine that already produced the columns (e.g. MERGE's
 * inserted/updated/deleted split) is passed through unchanged.
 */
export function withDmlCounts(result: EngineResult): EngineResult {
  if (result.columns.length > 0) return result;
  const n = result.rowsAffected ?? 0;
  switch (result.kind) {
    case 'INSERT':
      return { ...result, columns: [countColumn('number of rows inserted')], rows: [[String(n)]] };
    case 'UPDATE':
      return { ...result, columns: [countColumn('number of rows updated'), countColumn('number of multi-joined rows updated')], rows: [[String(n), '0']] };
    case 'DELETE':
      return { ...result, columns: [countColumn('number of rows deleted')], rows: [[String(n)]] };
    case 'MERGE':
      // Without the engine's split the whole count is reported as updated; the sum stays right.
      return { ...result, columns: [countColumn('number of rows inserted'), countColumn('number of rows updated')], rows: [['0', String(n)]] };
    case 'SELECT':
    case 'SHOW':
    case 'DESCRIBE':
    case 'CALL':
      return result;
    default:
      // DDL, USE, transactions: Snowflake answers a one-column "status" row.
      return { ...result, columns: [{ name: 'status', type: 'TEXT', nullable: true }], rows: [['Statement executed successfully.']] };
  }
}

export interface RenderContext {
  sessionKey: string;
  context: SessionContext;
  parameters: Array<{ name: string; value: unknown }>;
  chunkRows: number;
  baseUrl: string;
  chunkStore: ResultChunkStore;
  numberOfBinds: number;
}

export function renderQueryData(engineResult: EngineResult, ctx: RenderContext, queryId: string = randomUUID()): Record<string, unknown> {
  const result = withDmlCounts(engineResult);
  // A large SELECT's rows are encoded range by range, as its chunks are fetched (engine/lazy-rows.ts).
  const window = result.window;
  const wireRows: WireRows = window
    ? { count: window.count, slice: (start, end) => encodeRows(window.slice(start, end), result.columns) }
    : wireRowsOf(encodeRows(result.rows, result.columns));
  const { rowset, chunks } = ctx.chunkStore.split(ctx.sessionKey, wireRows, ctx.chunkRows, ctx.baseUrl);
  const data: Record<string, unknown> = {
    queryId,
    rowtype: result.columns.map(rowTypeOf),
    rowset,
    // `returned` must count every row, inline and chunked: streamRows stops at returned-1 (reference §3.3).
    total: wireRows.count,
    returned: wireRows.count,
    parameters: ctx.parameters,
    statementTypeId: statementTypeId(result.kind),
    version: 1,
    queryResultFormat: 'json',
    finalDatabaseName: ctx.context.database,
    finalSchemaName: ctx.context.schema,
    finalWarehouseName: ctx.context.warehouse,
    finalRoleName: ctx.context.role,
    databaseProvider: null,
    numberOfBinds: ctx.numberOfBinds,
    arrayBindSupported: false,
    sendResultTime: Date.now(),
  };
  if (chunks.length > 0) {
    data.chunks = chunks;
    data.chunkHeaders = {};
  }
  return data;
}
