/**
 * A statement canceled by STATEMENT_TIMEOUT_IN_SECONDS (000630, STATEMENT_TIMEOUT): which level set the limit, so
 * the run's error in the runs table names the one ALTER that raises it. The lowest non-zero of the warehouse's and
 * the session's value applies, and a session that sets none takes its user's, else the account's
 * (https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds and "Parameter hierarchy and
 * types"); SHOW PARAMETERS prints each value with the level that set it
 * (https://docs.snowflake.com/en/sql-reference/sql/show-parameters). Only on that failure path: three statements
 * (the user and warehouse names, then SHOW PARAMETERS in the session and in the warehouse). If they fail, the
 * driver's error stays as it was.
 */
import { UserError } from '../../shared/errors.js';
import { renderIdentifier } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

const NAME = 'STATEMENT_TIMEOUT_IN_SECONDS';
type ParameterRow = { key?: unknown; value?: unknown; level?: unknown };

async function timeoutParameter(session: SnowflakeSession, scope: string): Promise<{ seconds: number; level: string } | null> {
  const { rows } = await session.query<ParameterRow>(`SHOW PARAMETERS LIKE '${NAME}' IN ${scope}`);
  const row = rows.find((r) => String(r.key).toUpperCase() === NAME);
  return row ? { seconds: Number(row.value), level: String(row.level ?? '').toUpperCase() } : null;
}

/** The same error with a suggestion naming the level that set the limit; any other error as it was. */
export async function explainStatementTimeout(session: SnowflakeSession, error: unknown): Promise<unknown> {
  if (!(error instanceof UserError) || error.code !== 'STATEMENT_TIMEOUT') return error;
  try {
    const who = (await session.query<{ U?: unknown; W?: unknown }>('SELECT CURRENT_USER() AS U, CURRENT_WAREHOUSE() AS W')).rows[0];
    const user = renderIdentifier(String(who?.U ?? ''));
    const warehouse = who?.W ? renderIdentifier(String(who.W)) : null;
    const own = await timeoutParameter(session, 'SESSION');
    const onWarehouse = warehouse ? await timeoutParameter(session, `WAREHOUSE ${warehouse}`) : null;
    if (!own) return error;
    const raise = (target: string) => `${target} SET ${NAME} = 7200;`;
    const warehouseWins = onWarehouse !== null && onWarehouse.level === 'WAREHOUSE' && onWarehouse.seconds > 0 && (own.seconds === 0 || onWarehouse.seconds <= own.seconds);
    const cause = warehouseWins
      ? { by: `the warehouse ${warehouse} (${onWarehouse.seconds} s)`, fix: raise(`ALTER WAREHOUSE ${warehouse}`) }
      : own.level === 'USER'
        ? { by: `the worker's user ${user} (${own.seconds} s, ALTER USER)`, fix: `${raise(`ALTER USER ${user}`)} (or ALTER USER ${user} UNSET ${NAME};)` }
        : own.level === 'ACCOUNT'
          ? { by: `the account (${own.seconds} s, ALTER ACCOUNT)`, fix: `${raise('ALTER ACCOUNT')} as ACCOUNTADMIN (or ALTER USER ${user} SET ${NAME} = 7200; for this user only)` }
          : own.level === 'SESSION'
            ? { by: `the worker's session (${own.seconds} s)`, fix: `unset it where the worker's connection sets it;` }
            : { by: `Snowflake's default (${own.seconds} s)`, fix: `${raise(`ALTER USER ${user}`)}` };
    return new UserError(error.kind, error.code, error.message, {
      cause: error,
      suggestion: `The limit came from ${cause.by}; SHOW PARAMETERS LIKE '${NAME}' IN USER ${user} shows the levels. Raise it: ${cause.fix} or use a larger warehouse.`,
      ...(error.details ? { details: error.details } : {}),
    });
  } catch {
    return error;
  }
}
