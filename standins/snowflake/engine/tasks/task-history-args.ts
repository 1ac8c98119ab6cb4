/**
 * Evaluates TASK_HISTORY's SCHEDULED_TIME_RANGE_START / _END arguments: constant expressions read as
 * TIMESTAMP_LTZ (https://docs.snowflake.com/en/sql-reference/functions/task_history). They run through the
 * session's own engine (so DATEADD, casts and the session TIMEZONE apply); CURRENT_TIMESTAMP / SYSDATE() /
 * GETDATE() are the task clock's now, as the runs in the history are on that (possibly accelerated) clock.
 */
import { SnowflakeSqlError } from '../errors.js';
import { isOp, isWord, tokenize } from '../lexer.js';
import type { Session } from '../session.js';
import type { HistoryCall, HistoryRange } from './task-history.js';

const NOW_FUNCTIONS = ['CURRENT_TIMESTAMP', 'SYSDATE', 'GETDATE', 'LOCALTIMESTAMP', 'SYSTIMESTAMP'];

/** The expression with every "now" function replaced by a literal of the task clock's now. */
export function withVirtualNow(expression: string, now: Date): string {
  const tokens = tokenize(expression);
  let out = '';
  let last = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], ...NOW_FUNCTIONS)) continue;
    let end = i + 1;
    if (isOp(tokens[i + 1], '(') && isOp(tokens[i + 2], ')')) end = i + 3;
    else if (isOp(tokens[i + 1], '(') && isOp(tokens[i + 3], ')')) end = i + 4; // CURRENT_TIMESTAMP(3)
    const stop = tokens[end]?.pos ?? expression.length;
    out += `${expression.slice(last, tokens[i]!.pos)}'${now.toISOString()}'::TIMESTAMP_LTZ `;
    last = stop;
    i = end - 1;
  }
  return out + expression.slice(last);
}

async function evaluate(session: Session, name: string, expression: string | null, now: Date): Promise<Date | null> {
  if (expression === null) return null;
  const result = await session.execute(`SELECT (${withVirtualNow(expression, now)})::TIMESTAMP_LTZ`, []);
  const cell = result.rows[0]?.[0];
  if (typeof cell !== 'bigint') {
    // Docs: the argument is a constant TIMESTAMP_LTZ expression; NULL is not a time range (text UNCONFIRMED).
    throw new SnowflakeSqlError('002031', '22023', `SQL compilation error:\ninvalid value for argument ${name} of function TASK_HISTORY: must be a timestamp.`);
  }
  return new Date(Number(cell / 1_000_000n));
}

export async function historyRange(session: Session, call: HistoryCall, now: Date): Promise<HistoryRange> {
  return {
    start: await evaluate(session, 'SCHEDULED_TIME_RANGE_START', call.rangeStart, now),
    end: await evaluate(session, 'SCHEDULED_TIME_RANGE_END', call.rangeEnd, now),
    now,
  };
}
