/**
 * The contract of our Snowflake access layer. `src/snowflake/client.ts` is the only module that imports
 * `snowflake-sdk`; the CLI and the worker both go through these types.
 */

/** Options we pass to snowflake-sdk's createConnection (a subset, named as the driver names them). */
export interface SnowflakeConnectionOptions {
  account: string;
  /** Full base URL (e.g. http://127.0.0.1:PORT for the stand-in). Takes precedence over host. */
  accessUrl?: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  username?: string;
  password?: string;
  /** SNOWFLAKE (default), SNOWFLAKE_JWT, OAUTH, PROGRAMMATIC_ACCESS_TOKEN, EXTERNALBROWSER, USERNAME_PASSWORD_MFA */
  authenticator?: string;
  token?: string;
  tokenFilePath?: string;
  privateKey?: string;
  privateKeyPath?: string;
  privateKeyPass?: string;
  passcode?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
}

/** A bind value, positional (`?` or `:1`). */
export type BindValue = string | number | boolean | null | Date;

export interface ColumnInfo {
  name: string;
  /** Snowflake type name as the driver reports it: fixed, real, text, boolean, date, timestamp_ntz, timestamp_ltz, timestamp_tz, time, variant, array, object, binary */
  type: string;
  precision?: number;
  scale?: number;
  nullable: boolean;
}

export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  columns: ColumnInfo[];
  /** For DML: rows inserted/updated/deleted as reported by Snowflake. */
  rowsAffected?: number;
  queryId?: string;
}

export interface SnowflakeSession {
  /** Runs one statement and returns all rows (use only for small results). */
  query<Row = Record<string, unknown>>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>>;
  /** Runs one statement and streams rows one at a time with bounded memory (driver streamRows). */
  stream<Row = Record<string, unknown>>(
    sql: string,
    binds?: BindValue[],
  ): { columns: Promise<ColumnInfo[]>; rows: AsyncIterable<Row> };
  /** Always call: closes the session on the server and stops the driver's timers. */
  destroy(): Promise<void>;
}
