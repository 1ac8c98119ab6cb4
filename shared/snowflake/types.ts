/**
 * The contract of our Snowflake access layer. `shared/snowflake/client.ts` is the only module that imports
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
  /** USERNAME_PASSWORD_MFA: the passcode is appended to the password. */
  passcodeInPassword?: boolean;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  /** Sent as CLIENT_ENVIRONMENT.APPLICATION (shows in Snowflake's login history). */
  application?: string;
  /** EXTERNALBROWSER: false opens /console/login directly (driver option; default true: IdP URL from Snowflake). */
  disableConsoleLogin?: boolean;
  /** Sign-in deadline from the connection's login_timeout (seconds); ours, not passed to the driver. */
  loginTimeoutSeconds?: number;
}

export interface ConnectOptions {
  /**
   * Overall deadline for login (ms). Default 20 000, or 180 000 for EXTERNALBROWSER (the user has to
   * finish SSO in the browser). The driver alone takes ~95 s to give up on a refused port
   * (shared/reference/snowflake-sdk.md §6 #6), so client.ts also lowers its login retries.
   */
  timeoutMs?: number;
}

/**
 * A bind value, positional (`?` or `:1`). A Date is sent as its ISO-8601 UTC text (the driver has no
 * timestamp bind type for plain positional binds; Snowflake casts the text where a TIMESTAMP is expected).
 */
export type BindValue = string | number | boolean | null | Date;

export interface ColumnInfo {
  name: string;
  /** Snowflake type name as the driver reports it: fixed, real, text, boolean, date, timestamp_ntz, timestamp_ltz, timestamp_tz, time, variant, array, object, binary */
  type: string;
  precision?: number;
  scale?: number;
  nullable: boolean;
}

/**
 * How cell values arrive in rows (decided for the payload transform in shared/payload/, which must not
 * introduce float noise; shared/reference/snowflake-sdk.md §3.4):
 * - NUMBER/DECIMAL (`fixed`) with scale 0: a JS `number` when it is a safe integer, otherwise the exact
 *   decimal **string** (e.g. "12345678901234567890"); the same column can therefore mix both.
 * - NUMBER with scale > 0 (e.g. NUMBER(10,2)): always the exact decimal **string** as Snowflake sent it
 *   ("12345.67", "12.30"), never a float.
 * - FLOAT/REAL: `number`.
 * - TEXT: `string`. BOOLEAN: `boolean`. TIME: `string` "HH:MI:SS".
 * - DATE: a `Date` at UTC midnight. TIMESTAMP_NTZ: a `Date` whose UTC fields are the wall-clock time.
 *   TIMESTAMP_LTZ/TZ: a `Date` at the instant. Use `toISOString()`; the driver overrides `toJSON()` with
 *   Snowflake's output format, so `JSON.stringify` does not give ISO 8601.
 * - VARIANT/OBJECT/ARRAY: parsed JSON values. BINARY: `Buffer`. SQL NULL: `null`.
 * Implemented with the driver's `fetchAsString: ['Number']` plus a per-column conversion (client-rows.ts).
 */
export type CellValue = string | number | boolean | null | Date | Buffer | unknown[] | Record<string, unknown>;

export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  columns: ColumnInfo[];
  /** For DML: rows inserted/updated/deleted as reported by Snowflake. */
  rowsAffected?: number;
  queryId?: string;
}

export interface StatementOptions {
  /**
   * Session parameters for this one statement, sent with the query request (the driver's `parameters`
   * option, https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute): no ALTER SESSION
   * round trip.
   */
  parameters?: Record<string, string | number | boolean>;
}

export interface SqlStatement {
  sql: string;
  binds?: BindValue[];
}

export interface SnowflakeSession {
  /** Runs one statement and returns all rows (use only for small results). */
  query<Row = Record<string, unknown>>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>>;
  /** Runs one statement and streams rows one at a time with bounded memory (driver streamRows). */
  stream<Row = Record<string, unknown>>(
    sql: string,
    binds?: BindValue[],
    options?: StatementOptions,
  ): { columns: Promise<ColumnInfo[]>; rows: AsyncIterable<Row> };
  /**
   * Several statements in ONE query request (a multi-statement request with MULTI_STATEMENT_COUNT = their number,
   * https://docs.snowflake.com/en/developer-guide/node-js/nodejs-driver-execute#executing-a-batch-of-sql-statements-multi-statement-support):
   * they run in order, each in autocommit, one round trip instead of one each; a failing one fails the request and
   * the ones before it stay done. Optional: shared/snowflake/query-all.ts falls back to one request each.
   */
  queryAll?(statements: readonly SqlStatement[]): Promise<QueryResult[]>;
  /**
   * The live session token of this connection, for `docker login -u 0sessiontoken` to the account's image
   * registry. Read at the moment of use (a renewed token replaces an expired one); never log or store it.
   */
  sessionToken(): Promise<string>;
  /** Always call: closes the session on the server and stops the driver's timers. */
  destroy(): Promise<void>;
}
