/**
 * STATEMENT_TIMEOUT_IN_SECONDS (https://docs.snowflake.com/en/sql-reference/parameters#statement-timeout-in-seconds):
 * "Amount of time, in seconds, after which a running SQL statement is canceled by the system"; default 172800
 * (2 days), 0 = the maximum. It can be set for the account, a user, a session and a warehouse; "if the parameter is
 * set for both a warehouse and a session, the lowest non-zero value is enforced". Modelled here: the session's
 * value (login SESSION_PARAMETERS or ALTER SESSION) and the session warehouse's (ALTER WAREHOUSE … SET). The user
 * and account levels are not modelled (docs-wise they sit under the session value; a test sets the session's).
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

export const DEFAULT_STATEMENT_TIMEOUT_SECONDS = 172_800;

function positive(value: unknown): number | null {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** The timeout that applies to the session's next statement, in seconds (a request's own parameters win over the session's). */
export function statementTimeoutSeconds(state: StandinState, session: Session, requestParameters?: Record<string, unknown>): number {
  const name = 'STATEMENT_TIMEOUT_IN_SECONDS';
  const sessionValue = positive(requestParameters?.[name] ?? session.engineSession.parameters?.get(name) ?? session.parameters.find((p) => p.name === name)?.value);
  const warehouse = session.engineSession.context.warehouse;
  const engine = state.engine;
  const warehouseValue = warehouse && engine instanceof SnowflakeEngine
    ? positive(engine.core.catalog.accountObjects('WAREHOUSE').get(warehouse)?.props[name])
    : null;
  const set = [sessionValue, warehouseValue].filter((v): v is number => v !== null);
  return set.length === 0 ? DEFAULT_STATEMENT_TIMEOUT_SECONDS : Math.min(...set);
}

export function statementTimeoutAnswer(seconds: number, queryId: string): Record<string, unknown> {
  return failure('000630', `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`, { sqlState: '57014', queryId, type: 'EXECUTION' });
}
