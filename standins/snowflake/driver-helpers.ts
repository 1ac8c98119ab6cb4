/** Promise wrappers around the real snowflake-sdk for the stand-in's tests (reference §4). */
import snowflake from 'snowflake-sdk';
import type { SnowflakeStandin } from './index.js';

snowflake.configure({ logLevel: 'OFF' });

export type Connection = snowflake.Connection;
export type ConnectionOptions = snowflake.ConnectionOptions;

/** Options pointing the driver at the stand-in: accessUrl + explicit account, no login retries. */
export function standinOptions(standin: SnowflakeStandin, extra: Partial<ConnectionOptions> = {}): ConnectionOptions {
  return {
    account: standin.account,
    accessUrl: standin.accessUrl,
    username: standin.defaultUser.user,
    password: standin.defaultUser.password,
    sfRetryMaxLoginRetries: 0,
    timeout: 10_000,
    ...extra,
  } as ConnectionOptions;
}

export function connect(options: ConnectionOptions): Promise<Connection> {
  const connection = snowflake.createConnection(options);
  return new Promise((resolve, reject) => connection.connect((err, conn) => (err ? reject(err) : resolve(conn))));
}

export function query<T = Record<string, unknown>>(
  connection: Connection,
  sqlText: string,
  /** The driver also binds Date values (sent as toJSON()), which its typings omit. */
  binds?: ReadonlyArray<snowflake.Bind | Date | ReadonlyArray<snowflake.Bind>>,
  extra: Partial<snowflake.StatementOption> = {},
): Promise<{ rows: T[]; statement: snowflake.RowStatement }> {
  return new Promise((resolve, reject) =>
    connection.execute({
      sqlText,
      binds: binds as snowflake.Binds | undefined,
      ...extra,
      complete: (err, statement, rows) => (err ? reject(err) : resolve({ rows: (rows ?? []) as T[], statement })),
    }),
  );
}

export function destroy(connection: Connection): Promise<void> {
  return new Promise((resolve, reject) => connection.destroy((err) => (err ? reject(err) : resolve())));
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `statement.getSessionState()` is typed as `object`; this is what it holds (result.js). */
export interface SessionState {
  getCurrentDatabase(): string | null;
  getCurrentSchema(): string | null;
  getCurrentWarehouse(): string | null;
  getCurrentRole(): string | null;
}

export const sessionStateOf = (statement: snowflake.RowStatement): SessionState => statement.getSessionState() as SessionState;
