/**
 * The Snowflake access layer: the ONLY module that imports `snowflake-sdk`, and only lazily, on the first
 * connect (the require costs ~300-400 ms and ~100 MB; shared/reference/snowflake-sdk.md §1). Everything
 * else goes through the `SnowflakeSession` contract in types.ts.
 */
import type * as SnowflakeSdk from 'snowflake-sdk';
import { usageError } from '../errors.js';
import { rowConverter, toColumnInfo } from './client-rows.js';
import { describeTarget, loginTimeoutError, mapDriverError, type ErrorContext } from './driver-errors.js';
import type { BindValue, ColumnInfo, ConnectOptions, QueryResult, SnowflakeConnectionOptions, SnowflakeSession, StatementOptions } from './types.js';

type Sdk = typeof SnowflakeSdk;

let driver: Promise<Sdk> | undefined;
let driverLoadMs: number | undefined;

/** Time the driver import took in this process (undefined until the first connect). For --verbose. */
export function driverLoadTimeMs(): number | undefined {
  return driverLoadMs;
}

function loadDriver(): Promise<Sdk> {
  driver ??= (async () => {
    // Must be set before the import: platform detection probes cloud metadata endpoints at require time
    // and prints an AWS SDK warning on Node 20 (snowflake-sdk.md §6 #2).
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';
    const started = performance.now();
    // A CommonJS module: Node's ESM loader exposes module.exports as `default`.
    const sdk = (await import('snowflake-sdk')).default as Sdk;
    // Before any connection: the default logger writes INFO lines to stdout and ./snowflake.log (§2.4).
    sdk.configure({ logLevel: 'OFF' });
    driverLoadMs = performance.now() - started;
    return sdk;
  })();
  return driver;
}

const DEFAULT_LOGIN_TIMEOUT_MS = 20_000;
const BROWSER_LOGIN_TIMEOUT_MS = 180_000;

function validateTarget(options: SnowflakeConnectionOptions): void {
  if (!options.account) {
    throw usageError('ACCOUNT_MISSING', 'No Snowflake account is configured.', {
      suggestion: 'Pass --account ORG-ACCOUNT, set SNOWFLAKE_ACCOUNT, or add account to ~/.snowflake/connections.toml.',
    });
  }
  if (options.accessUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.accessUrl);
    } catch {
      url = undefined;
    }
    // new URL('localhost:1234') parses with scheme "localhost:" and only fails later in the driver (§2.1).
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw usageError('ACCESS_URL_INVALID', `The access URL "${options.accessUrl}" is not an http(s) URL.`, {
        suggestion: 'Use the form https://HOST[:PORT] (for example --access-url http://127.0.0.1:8080).',
      });
    }
  }
}

/**
 * Logs in and returns a session. Fails within `timeoutMs` with a connection UserError that names the
 * cause (bad credentials, unreachable host, role not granted, ...). Always `destroy()` the session.
 */
export async function connect(options: SnowflakeConnectionOptions, connectOptions: ConnectOptions = {}): Promise<SnowflakeSession> {
  validateTarget(options);
  const sdk = await loadDriver();
  const isBrowser = options.authenticator?.toUpperCase() === 'EXTERNALBROWSER';
  const timeoutMs = connectOptions.timeoutMs ?? (isBrowser ? BROWSER_LOGIN_TIMEOUT_MS : DEFAULT_LOGIN_TIMEOUT_MS);
  const context: ErrorContext = { target: describeTarget(options), user: options.username, role: options.role };
  const connection = sdk.createConnection({
    ...options,
    application: options.application ?? 'batch-snowflake',
    // The driver retries a failed login 7 times with backoff (~95 s on a refused port, §6 #6).
    sfRetryMaxLoginRetries: 1,
    timeout: Math.max(timeoutMs, 60_000),
    // No keep-alive heartbeat: its interval is not unref'd and would hold the process open (§6 #5).
    clientSessionKeepAlive: false,
  } as SnowflakeSdk.ConnectionOptions);
  // connectAsync() resolves even when the login fails (§4), so wrap connect(cb) with our own deadline.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(loginTimeoutError(context, timeoutMs)), timeoutMs);
    connection.connect((error) => {
      clearTimeout(timer);
      if (error) reject(mapDriverError(error, { ...context, phase: 'login' }));
      else resolve();
    });
  }).catch((error: unknown) => {
    destroyQuietly(connection);
    throw error;
  });
  return createSession(connection, context);
}

function destroyQuietly(connection: SnowflakeSdk.Connection): Promise<void> {
  return new Promise((resolve) => {
    try {
      connection.destroy(() => resolve());
    } catch {
      resolve(); // destroy() throws when the connection never came up; nothing to close then.
    }
  });
}

function toDriverBinds(binds: BindValue[] | undefined): SnowflakeSdk.Bind[] | undefined {
  return binds?.map((value) => (value instanceof Date ? value.toISOString() : value));
}

function columnsOf(statement: SnowflakeSdk.RowStatement): ColumnInfo[] {
  return (statement.getColumns() ?? []).map(toColumnInfo);
}

function createSession(connection: SnowflakeSdk.Connection, context: ErrorContext): SnowflakeSession {
  let destroyed: Promise<void> | undefined;
  return {
    query<Row>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>> {
      return new Promise((resolve, reject) => {
        connection.execute({
          sqlText: sql,
          binds: toDriverBinds(binds),
          fetchAsString: ['Number'],
          complete: (error, statement, rows) => {
            if (error) return reject(mapDriverError(error, context));
            const columns = columnsOf(statement);
            const convert = rowConverter<Row>(columns);
            const updated = statement.getNumUpdatedRows();
            resolve({
              rows: ((rows ?? []) as Record<string, unknown>[]).map(convert),
              columns,
              ...(updated === undefined ? {} : { rowsAffected: updated }),
              queryId: statement.getQueryId(),
            });
          },
        });
      });
    },

    stream<Row>(sql: string, binds?: BindValue[], options?: StatementOptions) {
      const started = new Promise<{ statement: SnowflakeSdk.RowStatement; columns: ColumnInfo[] }>((resolve, reject) => {
        connection.execute({
          sqlText: sql,
          binds: toDriverBinds(binds),
          ...(options?.parameters ? { parameters: options.parameters } : {}),
          streamResult: true,
          fetchAsString: ['Number'],
          complete: (error, statement) => (error ? reject(mapDriverError(error, context)) : resolve({ statement, columns: columnsOf(statement) })),
        });
      });
      // Callers that only iterate rows must not see an unhandled rejection from `columns`.
      const columns = started.then((s) => s.columns);
      columns.catch(() => undefined);
      async function* rows(): AsyncGenerator<Row> {
        const { statement, columns: cols } = await started;
        const convert = rowConverter<Row>(cols);
        // The Readable is object-mode with a small highWaterMark and the driver prefetches 2 chunks, so
        // pulling one row at a time keeps memory bounded (§4). Breaking out of the loop destroys it.
        const readable = statement.streamRows();
        try {
          for await (const row of readable) yield convert(row as Record<string, unknown>);
        } catch (error) {
          throw mapDriverError(error, context);
        }
      }
      return { columns, rows: rows() };
    },

    destroy(): Promise<void> {
      destroyed ??= connection.isUp() ? destroyQuietly(connection) : Promise.resolve();
      return destroyed;
    },
  };
}
