/**
 * The Snowflake access layer: the ONLY module that imports `snowflake-sdk`, and only lazily, on the first
 * connect (the require costs ~300-400 ms and ~100 MB; shared/reference/snowflake-sdk.md §1). Everything
 * else goes through the `SnowflakeSession` contract in types.ts.
 */
import type * as SnowflakeSdk from 'snowflake-sdk';
import { connectionError, usageError } from '../errors.js';
import { rowConverter, toColumnInfo } from './client-rows.js';
import { tokenInfo } from './client-token.js';
import { deferUnusedDriverDependencies } from './lazy-deps.js';
import { describeTarget, loginTimeoutError, mapDriverError, type ErrorContext } from './driver-errors.js';
import type { BindValue, ColumnInfo, ConnectOptions, QueryResult, SnowflakeConnectionOptions, SnowflakeSession, SqlStatement, StatementOptions } from './types.js';

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
    deferUnusedDriverDependencies();
    // A CommonJS module: Node's ESM loader exposes module.exports as `default`.
    const sdk = (await import('snowflake-sdk')).default as Sdk;
    // Before any connection: the default logger writes INFO lines to stdout and ./snowflake.log (§2.4).
    // MFA and SSO tokens the driver may cache live in this process only (one command = at most one MFA prompt or
    // browser sign-in, however many connections it opens), never on disk: without a credential manager the
    // driver writes them to a JSON file in the home folder.
    sdk.configure({ logLevel: 'OFF', customCredentialManager: memoryCredentialManager() });
    driverLoadMs = performance.now() - started;
    return sdk;
  })();
  return driver;
}

/** The driver's credential-manager contract: read/write/remove by key (lib/global_config setCustomCredentialManager). */
function memoryCredentialManager(): { read(key: string): Promise<string | null>; write(key: string, value: string): Promise<void>; remove(key: string): Promise<void> } {
  const store = new Map<string, string>();
  return {
    read: async (key) => store.get(key) ?? null,
    write: async (key, value) => void store.set(key, value),
    remove: async (key) => void store.delete(key),
  };
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
  const timeoutMs = connectOptions.timeoutMs ?? (options.loginTimeoutSeconds ? options.loginTimeoutSeconds * 1000 : isBrowser ? BROWSER_LOGIN_TIMEOUT_MS : DEFAULT_LOGIN_TIMEOUT_MS);
  const { loginTimeoutSeconds: _ours, ...driverOptions } = options;
  const authenticator = (options.authenticator ?? 'SNOWFLAKE').toUpperCase();
  const context: ErrorContext = { target: describeTarget(options), user: options.username, role: options.role, authenticator, ...(options.warehouse ? { warehouse: options.warehouse } : {}) };
  const connection = sdk.createConnection({
    ...driverOptions,
    application: options.application ?? 'batch-snowflake',
    // The driver retries a failed login 7 times with backoff (~95 s on a refused port, §6 #6).
    sfRetryMaxLoginRetries: 1,
    timeout: Math.max(timeoutMs, 60_000),
    // No keep-alive heartbeat: its interval is not unref'd and would hold the process open (§6 #5).
    clientSessionKeepAlive: false,
    // MFA token caching (https://docs.snowflake.com/en/user-guide/security-mfa, "Using MFA token caching"; the
    // account must set ALLOW_CLIENT_MFA_CACHING): a second connection of the same command needs no second push.
    ...(authenticator === 'USERNAME_PASSWORD_MFA' ? { clientRequestMFAToken: true } : {}),
    // The sign-in page gets our whole deadline, less a second so that the driver's own error (page closed) wins.
    ...(isBrowser ? { browserActionTimeout: Math.max(1000, timeoutMs - 1000) } : {}),
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

function toQueryResult<Row = Record<string, unknown>>(statement: SnowflakeSdk.RowStatement, rows: unknown[] | undefined): QueryResult<Row> {
  const columns = columnsOf(statement);
  const convert = rowConverter<Row>(columns);
  const updated = statement.getNumUpdatedRows();
  return {
    rows: ((rows ?? []) as Record<string, unknown>[]).map(convert),
    columns,
    ...(updated === undefined ? {} : { rowsAffected: updated }),
    queryId: statement.getQueryId(),
  };
}

function createSession(connection: SnowflakeSdk.Connection, context: ErrorContext): SnowflakeSession {
  let destroyed: Promise<void> | undefined;
  const session: SnowflakeSession = {
    query<Row>(sql: string, binds?: BindValue[]): Promise<QueryResult<Row>> {
      return new Promise((resolve, reject) => {
        connection.execute({
          sqlText: sql,
          binds: toDriverBinds(binds),
          fetchAsString: ['Number'],
          complete: (error, statement, rows) => {
            if (error) return reject(mapDriverError(error, context));
            resolve(toQueryResult<Row>(statement, rows));
          },
        });
      });
    },

    queryAll(statements: readonly SqlStatement[]): Promise<QueryResult[]> {
      const results: QueryResult[] = [];
      return new Promise((resolve, reject) => {
        connection.execute({
          sqlText: statements.map((s) => s.sql).join(';\n'),
          binds: toDriverBinds(statements.flatMap((s) => s.binds ?? [])),
          parameters: { MULTI_STATEMENT_COUNT: statements.length },
          fetchAsString: ['Number'],
          // Called once per statement; the next one's result is fetched by NextResult() (driver statement.js hasNext).
          complete: (error, statement, rows) => {
            if (error) return reject(mapDriverError(error, context));
            results.push(toQueryResult(statement, rows));
            const next = statement as SnowflakeSdk.RowStatement & { hasNext?: () => boolean; NextResult?: () => void };
            if (next.hasNext?.()) next.NextResult!();
            else resolve(results);
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

    async sessionToken(): Promise<string> {
      let info = tokenInfo(connection);
      // An expired token (a build longer than its validity) is renewed by the driver with the master token when
      // the server answers 390112 to a request, so one cheap round trip makes the token read next a live one.
      if (info && info.sessionTokenExpirationTime <= Date.now()) {
        await session.query('SELECT 1');
        info = tokenInfo(connection);
      }
      if (!info) throw connectionError('SESSION_TOKEN_UNAVAILABLE', 'The Snowflake driver did not expose the session token of this connection, so docker cannot log in to the image registry.', {
        suggestion: 'Log docker in yourself (snow spcs image-registry login), push the worker image, and rerun with --skip-image --image-tag TAG.',
      });
      return info.sessionToken;
    },

    destroy(): Promise<void> {
      destroyed ??= connection.isUp() ? destroyQuietly(connection) : Promise.resolve();
      return destroyed;
    },
  };
  return session;
}
