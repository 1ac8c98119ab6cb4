/**
 * STATEMENT_TIMEOUT_IN_SECONDS (https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds):
 * "Amount of time, in seconds, after which a running SQL statement is canceled by the system"; default 172800
 * (2 days); values 0 to 604800, 0 = the maximum (604800). A session parameter: "can be set for Account » User »
 * Session" and also on a warehouse; "if the parameter is set for both a warehouse and a session, the lowest non-zero
 * value is enforced". The session's value is its own when it set one (login SESSION_PARAMETERS, ALTER SESSION, or
 * the request's parameters), else its user's (ALTER USER … SET), else the account's (ALTER ACCOUNT SET): "session
 * parameters … can be overridden at each level of the parameter hierarchy" — the account default, overridden by the
 * user, overridden by the session (https://docs.snowflake.com/en/sql-reference/parameters, "Parameter hierarchy and
 * types"). So an ALTER USER or ALTER ACCOUNT applies at once to that user's (every user's) new and existing sessions
 * that have not set their own. The session warehouse's value (ALTER WAREHOUSE … SET) then caps it.
 *
 * The canceled statement fails with 000630 / 57014, "Statement reached its statement or warehouse timeout of N
 * second(s) and was canceled." (the connectors surface it so, e.g. "000630 (57014): Statement reached its statement
 * or warehouse timeout of 120 second(s) and was canceled.", github.com/Snowflake-Labs/semantic-model-generator/issues/221),
 * and, like any canceled statement, has no effect.
 */
import { failure } from './http-util.js';
import type { Session } from './sessions.js';
import type { StandinState } from './server.js';
import { SnowflakeEngine } from './engine/index.js';
import { accountParameters } from './engine/parameters/registry.js';

export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 172_800;
/** "0 … specifies that the maximum timeout value is enforced" (7 days). */
export const MAX_STATEMENT_TIMEOUT_SECONDS = 604_800;
const NAME = 'STATEMENT_TIMEOUT_IN_SECONDS';

function seconds(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** The session-level value and where it comes from: the session's own, its user's, the account's, or the default. */
export function sessionStatementTimeout(state: StandinState, session: Session, requestParameters?: Record<string, unknown>): { seconds: number; level: 'SESSION' | 'USER' | 'ACCOUNT' | '' } {
  const own = seconds(requestParameters?.[NAME] ?? session.engineSession.parameters?.get(NAME) ?? session.parameters.find((p) => p.name === NAME)?.value);
  if (own !== null) return { seconds: own, level: 'SESSION' };
  const engine = state.engine;
  if (engine instanceof SnowflakeEngine) {
    const { catalog } = engine.core;
    const user = seconds(catalog.accountObjects('USER').get(session.engineSession.context.user.toUpperCase())?.props[NAME]);
    if (user !== null) return { seconds: user, level: 'USER' };
    const account = seconds(accountParameters(catalog).get(NAME));
    if (account !== null) return { seconds: account, level: 'ACCOUNT' };
  }
  return { seconds: DEFAULT_STATEMENT_TIMEOUT_SECONDS, level: '' };
}

/** The timeout that applies to the session's next statement, in seconds: the lowest non-zero of the session level's and the warehouse's. */
export function statementTimeoutSeconds(state: StandinState, session: Session, requestParameters?: Record<string, unknown>): number {
  const sessionValue = sessionStatementTimeout(state, session, requestParameters).seconds;
  const warehouse = session.engineSession.context.warehouse;
  const engine = state.engine;
  const warehouseValue = warehouse && engine instanceof SnowflakeEngine ? seconds(engine.core.catalog.accountObjects('WAREHOUSE').get(warehouse)?.props[NAME]) : null;
  const set = [sessionValue, warehouseValue].filter((v): v is number => v !== null && v > 0);
  return set.length === 0 ? MAX_STATEMENT_TIMEOUT_SECONDS : Math.min(...set);
}

export function statementTimeoutAnswer(seconds: number, queryId: string): Record<string, unknown> {
  return failure('000630', `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`, { sqlState: '57014', queryId, type: 'EXECUTION' });
}
