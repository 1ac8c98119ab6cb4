/**
 * Contract between the Snowflake stand-in's wire protocol (server.ts, auth, encoding, chunks) and its SQL
 * engine (Snowflake SQL translated onto DuckDB, catalog, streams). The protocol layer never sees DuckDB;
 * the engine never sees HTTP.
 */

export type SnowflakeTypeName =
  | 'FIXED'
  | 'REAL'
  | 'TEXT'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP_NTZ'
  | 'TIMESTAMP_LTZ'
  | 'TIMESTAMP_TZ'
  | 'VARIANT'
  | 'ARRAY'
  | 'OBJECT'
  | 'BINARY';

export interface ColumnMeta {
  /** As Snowflake returns it: unquoted identifiers upper-cased, SHOW columns lowercase. */
  name: string;
  type: SnowflakeTypeName;
  precision?: number; // FIXED
  scale?: number; // FIXED, TIME, TIMESTAMP_* (fractional digits, default 9)
  length?: number; // TEXT, BINARY
  nullable: boolean;
}

/**
 * Cell values handed by the engine to the protocol layer, which encodes them the way Snowflake's JSON
 * rowset does (see shared/reference/snowflake-sdk.md §3.4):
 * - FIXED: exact decimal text, e.g. "12.30", "-5"
 * - REAL: number
 * - TEXT: string
 * - BOOLEAN: boolean
 * - DATE: "YYYY-MM-DD"
 * - TIME: "HH:MM:SS[.fffffffff]"
 * - TIMESTAMP_NTZ: bigint nanoseconds since epoch of the wall-clock time read as UTC
 * - TIMESTAMP_LTZ: bigint nanoseconds since epoch (an instant)
 * - TIMESTAMP_TZ: { epochNanos, offsetMinutes } (instant + the offset it was written with)
 * - VARIANT / ARRAY / OBJECT: JSON text
 * - BINARY: Buffer
 */
export type CellValue =
  | null
  | string
  | number
  | bigint
  | boolean
  | Buffer
  | { epochNanos: bigint; offsetMinutes: number };

/** What Snowflake reports as the statement type (drives statementTypeId on the wire). */
export type StatementKind = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE' | 'DDL' | 'SHOW' | 'DESCRIBE' | 'USE' | 'TRANSACTION' | 'CALL' | 'OTHER';

/** A result's rows, converted only when a range of them is asked for (engine/lazy-rows.ts). */
export interface RowWindow {
  readonly count: number;
  slice(start: number, end: number): CellValue[][];
}

export interface EngineResult {
  kind: StatementKind;
  columns: ColumnMeta[];
  rows: CellValue[][];
  /** Large SELECT results: the same rows, converted range by range (the protocol serves chunks from it). */
  window?: RowWindow;
  /** DML only: affected row count (the protocol renders Snowflake's "number of rows inserted" etc.). */
  rowsAffected?: number;
}

/** Thrown by the engine; the protocol layer answers HTTP 200 with success:false and these fields. */
export class SnowflakeSqlError extends Error {
  constructor(
    /** Snowflake error code, six digits as a string, e.g. "002003" (object does not exist), "003001" (insufficient privileges), "001003" (syntax). */
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = 'SnowflakeSqlError';
  }
}

/** A positional bind after the protocol has decoded the driver's `bindings` object ("1", "2", …). */
export interface EngineBind {
  /** Driver bind type: TEXT, FIXED, REAL, BOOLEAN, DATE, TIMESTAMP_LTZ, TIMESTAMP_NTZ, TIMESTAMP_TZ, … */
  type: string;
  /** Driver sends bind values as strings (or arrays for array binds). */
  value: string | null | Array<string | null>;
}

export interface SessionContext {
  user: string;
  role: string;
  warehouse: string | null;
  database: string | null;
  schema: string | null;
}

export interface EngineSession {
  readonly context: SessionContext;
  /**
   * `queryId`: the id the client sees (LAST_QUERY_ID, RESULT_SCAN, CHANGES … STATEMENT => id refer to it);
   * `parameters`: the request's own session parameters (statement-level, e.g. TIMESTAMP_TZ_OUTPUT_FORMAT).
   */
  execute(sqlText: string, binds: EngineBind[], options?: { queryId?: string; parameters?: Record<string, unknown> }): Promise<EngineResult>;
  /** The statements of a request (top-level semicolons); engines without it take every request as one statement. */
  splitStatements?(sqlText: string): Array<{ text: string; bindsBefore: number }>;
  /** Session parameters set with ALTER SESSION (names upper-case); echoed to the driver with every result. */
  readonly parameters?: ReadonlyMap<string, string | number | boolean>;
  /** Called on session close (or logout): an open transaction is rolled back, as Snowflake does. */
  close(): Promise<void>;
}

export interface Engine {
  /** Throws SnowflakeSqlError when the role, database, schema or warehouse is not usable by the user. */
  openSession(context: SessionContext): Promise<EngineSession>;
  close(): Promise<void>;
}
