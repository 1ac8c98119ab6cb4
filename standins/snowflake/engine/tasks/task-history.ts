/**
 * TASK_HISTORY (reference §5.3, https://docs.snowflake.com/en/sql-reference/functions/task_history):
 * `TABLE([<db>.]INFORMATION_SCHEMA.TASK_HISTORY(SCHEDULED_TIME_RANGE_START => e, SCHEDULED_TIME_RANGE_END => e,
 * RESULT_LIMIT => n, TASK_NAME => '…', ERROR_ONLY => b))` is replaced, FROM included, by an inline relation with
 * Snowflake's columns. Documented and applied here: RESULT_LIMIT 1–10000, default 100, the most recent runs kept;
 * the range (TIMESTAMP_LTZ constant expressions, evaluated by task-history-args.ts) keeps runs scheduled in
 * [start, end] and must lie within the last 7 days, else an error; without an end, future SCHEDULED runs are
 * included; runs older than 7 days are never returned; ERROR_ONLY keeps failed (and FAILED_AND_AUTO_SUSPENDED)
 * and cancelled runs. A started task also has one SCHEDULED row for its next run, as Snowflake shows.
 */
import { objectDoesNotExist, SnowflakeSqlError } from '../errors.js';
import { findTableFunctionCalls, inlineRelation, type HistoryColumn } from '../history-calls.js';
import { isIdent, isOp, isWord, type Token } from '../lexer.js';

export type RunState = 'SCHEDULED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'FAILED_AND_AUTO_SUSPENDED' | 'SKIPPED' | 'CANCELLED';

export interface TaskRun {
  queryId: string | null;
  name: string;
  database: string;
  schema: string;
  queryText: string;
  conditionText: string | null;
  state: RunState;
  errorCode: string | null;
  errorMessage: string | null;
  scheduledTime: Date;
  queryStartTime: Date | null;
  nextScheduledTime: Date | null;
  completedTime: Date | null;
  rootTaskId: string;
  graphVersion: number;
  runId: number;
  scheduledFrom: 'SCHEDULE' | 'EXECUTE TASK' | 'TRIGGER';
  attemptNumber: number;
  /** NUMBER: the job service's SERVICE_ID (behaviour change 2026_02, bcr-2182). */
  spcsJobId: number | null;
}

const COLUMNS: Array<HistoryColumn<TaskRun>> = [
  ['QUERY_ID', 'VARCHAR', (r) => r.queryId], ['NAME', 'VARCHAR', (r) => r.name], ['DATABASE_NAME', 'VARCHAR', (r) => r.database],
  ['SCHEMA_NAME', 'VARCHAR', (r) => r.schema], ['QUERY_TEXT', 'VARCHAR', (r) => r.queryText], ['CONDITION_TEXT', 'VARCHAR', (r) => r.conditionText],
  ['STATE', 'VARCHAR', (r) => r.state], ['ERROR_CODE', 'VARCHAR', (r) => r.errorCode], ['ERROR_MESSAGE', 'VARCHAR', (r) => r.errorMessage],
  ['SCHEDULED_TIME', 'TIMESTAMPTZ', (r) => r.scheduledTime], ['QUERY_START_TIME', 'TIMESTAMPTZ', (r) => r.queryStartTime],
  ['NEXT_SCHEDULED_TIME', 'TIMESTAMPTZ', (r) => r.nextScheduledTime], ['COMPLETED_TIME', 'TIMESTAMPTZ', (r) => r.completedTime],
  ['ROOT_TASK_ID', 'VARCHAR', (r) => r.rootTaskId], ['GRAPH_VERSION', 'DECIMAL(38,0)', (r) => r.graphVersion], ['RUN_ID', 'DECIMAL(38,0)', (r) => r.runId],
  ['RETURN_VALUE', 'VARCHAR', () => null], ['SCHEDULED_FROM', 'VARCHAR', (r) => r.scheduledFrom], ['ATTEMPT_NUMBER', 'DECIMAL(38,0)', (r) => r.attemptNumber],
  ['CONFIG', 'VARCHAR', () => null], ['QUERY_HASH', 'VARCHAR', () => null], ['QUERY_HASH_VERSION', 'DECIMAL(38,0)', () => null],
  ['QUERY_PARAMETERIZED_HASH', 'VARCHAR', () => null], ['QUERY_PARAMETERIZED_HASH_VERSION', 'DECIMAL(38,0)', () => null],
  ['GRAPH_RUN_GROUP_ID', 'VARCHAR', (r) => (r.queryId ? String(r.runId) : null)], ['BACKFILL_INFO', 'VARCHAR', () => null], ['SPCS_JOB_ID', 'DECIMAL(38,0)', (r) => r.spcsJobId],
];

export function historyRelation(runs: TaskRun[]): string {
  return inlineRelation(COLUMNS, runs);
}

export interface HistoryCall {
  /** Token span to replace: from the FROM keyword to the closing parenthesis of TABLE(…). */
  start: number;
  end: number;
  database: string | null;
  taskName: string | null;
  /** RESULT_LIMIT as written (validated by historyReplacement). */
  resultLimit: number;
  /** SCHEDULED_TIME_RANGE_START / _END: the argument's SQL text (a constant expression). */
  rangeStart: string | null;
  rangeEnd: string | null;
  errorOnly: boolean;
  /** An alias follows (`… ) h`), so the relation must not be named. */
  aliased: boolean;
}

/** Finds `FROM TABLE([db.]INFORMATION_SCHEMA.TASK_HISTORY(…))` calls in a query's tokens. */
export function findHistoryCalls(sql: string, tokens: Token[]): HistoryCall[] {
  return findTableFunctionCalls(sql, tokens, 'TASK_HISTORY').map(({ start, end, open, closeCall, database, aliased }) => {
    const call: HistoryCall = { start, end, database, taskName: null, resultLimit: 100, rangeStart: null, rangeEnd: null, errorOnly: false, aliased };
    for (let a = open + 1; a < closeCall; a++) {
      if (!isIdent(tokens[a]) || !isOp(tokens[a + 1], '=>')) continue;
      const value = tokens[a + 2];
      const argEnd = argumentEnd(tokens, a + 2, closeCall);
      const text = sql.slice(value?.pos ?? 0, tokens[argEnd]!.pos).trim();
      if (tokens[a]!.value === 'TASK_NAME' && value?.type === 'string') call.taskName = value.value.toUpperCase();
      if (tokens[a]!.value === 'RESULT_LIMIT') call.resultLimit = value?.type === 'number' && argEnd === a + 3 ? Number(value.value) : NaN;
      if (tokens[a]!.value === 'ERROR_ONLY') call.errorOnly = isWord(value, 'TRUE');
      if (tokens[a]!.value === 'SCHEDULED_TIME_RANGE_START') call.rangeStart = text;
      if (tokens[a]!.value === 'SCHEDULED_TIME_RANGE_END') call.rangeEnd = text;
      a = argEnd;
    }
    return call;
  });
}

/** The token index ending an argument expression: the next comma at depth 0, or the call's closing parenthesis. */
function argumentEnd(tokens: Token[], from: number, close: number): number {
  let depth = 0;
  for (let k = from; k < close; k++) {
    if (isOp(tokens[k], '(')) depth++;
    else if (isOp(tokens[k], ')')) depth--;
    else if (depth === 0 && isOp(tokens[k], ',')) return k;
  }
  return close;
}

/** The range arguments, evaluated (virtual clock: CURRENT_TIMESTAMP is the stand-in's now). */
export interface HistoryRange {
  start: Date | null;
  end: Date | null;
  now: Date;
}

const ERROR_STATES = new Set<RunState>(['FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED']);
const SEVEN_DAYS_MS = 7 * 86_400_000;

/** The replacement SQL for one call, given every run visible to the session. */
export function historyReplacement(call: HistoryCall, runs: TaskRun[], currentDatabase: string | null, databaseExists: (db: string) => boolean, range: HistoryRange): string {
  const database = call.database ?? currentDatabase;
  if (!database || !databaseExists(database)) throw objectDoesNotExist(`${call.database ?? ''}${call.database ? '.' : ''}INFORMATION_SCHEMA.TASK_HISTORY`);
  if (!Number.isInteger(call.resultLimit) || call.resultLimit < 1 || call.resultLimit > 10_000) throw invalidHistoryArgument('RESULT_LIMIT', 'must be an integer from 1 to 10000');
  const oldest = range.now.getTime() - SEVEN_DAYS_MS;
  if (range.start && range.start.getTime() < oldest) throw invalidHistoryArgument('SCHEDULED_TIME_RANGE_START', 'must be within the last 7 days');
  if (range.end && range.end.getTime() < oldest) throw invalidHistoryArgument('SCHEDULED_TIME_RANGE_END', 'must be within the last 7 days');
  if (range.start && range.end && range.end.getTime() < range.start.getTime()) throw invalidHistoryArgument('SCHEDULED_TIME_RANGE_END', 'must not be before SCHEDULED_TIME_RANGE_START');
  const inRange = (r: TaskRun) => {
    const t = r.scheduledTime.getTime();
    return t >= Math.max(oldest, range.start?.getTime() ?? -Infinity) && (range.end === null || t <= range.end.getTime());
  };
  const selected = runs
    .filter((r) => r.database === database && (call.taskName === null || r.name === call.taskName) && (!call.errorOnly || ERROR_STATES.has(r.state)) && inRange(r))
    .sort((a, b) => b.scheduledTime.getTime() - a.scheduledTime.getTime())
    .slice(0, call.resultLimit);
  return `FROM (${historyRelation(selected)})${call.aliased ? '' : ' AS TASK_HISTORY'}`;
}

/**
 * A TASK_HISTORY argument out of its documented range. The docs say only "an error is returned" (range not in the
 * last 7 days) and give RESULT_LIMIT's range 1–10000; code and text are UNCONFIRMED (stricter choice: refuse).
 */
function invalidHistoryArgument(name: string, rule: string): SnowflakeSqlError {
  return new SnowflakeSqlError('002031', '22023', `SQL compilation error:\ninvalid value for argument ${name} of function TASK_HISTORY: ${rule}.`);
}
