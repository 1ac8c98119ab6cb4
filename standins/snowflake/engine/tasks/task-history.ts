/**
 * TASK_HISTORY (reference §5.3): `TABLE([<db>.]INFORMATION_SCHEMA.TASK_HISTORY(TASK_NAME => '…', RESULT_LIMIT => n,
 * ERROR_ONLY => b))` is replaced, FROM included, by an inline relation with Snowflake's columns, newest first.
 * SCHEDULED_TIME_RANGE_* arguments are accepted and not applied (docs: only the last 7 days are covered, and a
 * stand-in never runs that long). A started task also has one SCHEDULED row for its next run, as Snowflake shows.
 */
import { sqlString } from '../catalog.js';
import { objectDoesNotExist, syntaxError } from '../errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from '../lexer.js';

export type RunState = 'SCHEDULED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELLED';

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

const COLUMNS: Array<[string, string, (r: TaskRun) => string | number | Date | null]> = [
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

function literal(v: string | number | Date | null, type: string): string {
  if (v === null) return `CAST(NULL AS ${type})`;
  if (v instanceof Date) return `CAST(${sqlString(v.toISOString())} AS ${type})`;
  return `CAST(${typeof v === 'number' ? v : sqlString(v)} AS ${type})`;
}

export function historyRelation(runs: TaskRun[]): string {
  const names = COLUMNS.map(([n]) => `"${n}"`).join(', ');
  if (runs.length === 0) return `SELECT ${COLUMNS.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const rows = runs.map((r) => `(${COLUMNS.map(([, t, get]) => literal(get(r), t)).join(', ')})`);
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${names})`;
}

export interface HistoryCall {
  /** Token span to replace: from the FROM keyword to the closing parenthesis of TABLE(…). */
  start: number;
  end: number;
  database: string | null;
  taskName: string | null;
  resultLimit: number;
  errorOnly: boolean;
  /** An alias follows (`… ) h`), so the relation must not be named. */
  aliased: boolean;
}

const CLAUSE_WORDS = new Set(['WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON', 'AS']);

/** Finds `FROM TABLE([db.]INFORMATION_SCHEMA.TASK_HISTORY(…))` calls in a query's tokens. */
export function findHistoryCalls(sql: string, tokens: Token[]): HistoryCall[] {
  const calls: HistoryCall[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM') || !isWord(tokens[i + 1], 'TABLE') || !isOp(tokens[i + 2], '(')) continue;
    let k = i + 3;
    const parts: string[] = [];
    while (isIdent(tokens[k])) {
      parts.push(tokens[k]!.value);
      if (!isOp(tokens[k + 1], '.')) break;
      k += 2;
    }
    if (parts[parts.length - 1] !== 'TASK_HISTORY' || parts[parts.length - 2] !== 'INFORMATION_SCHEMA' || parts.length > 3) continue;
    const open = k + 1;
    const closeCall = matchParen(tokens, open);
    const closeTable = matchParen(tokens, i + 2);
    if (!isOp(tokens[open], '(') || closeCall < 0 || closeTable !== closeCall + 1) throw syntaxError(sql, tokens[i + 1]!.pos);
    const call: HistoryCall = { start: i, end: closeTable + 1, database: parts.length === 3 ? parts[0]! : null, taskName: null, resultLimit: 100, errorOnly: false, aliased: false };
    for (let a = open + 1; a < closeCall; a++) {
      if (!isIdent(tokens[a]) || !isOp(tokens[a + 1], '=>')) continue;
      const value = tokens[a + 2];
      if (tokens[a]!.value === 'TASK_NAME' && value?.type === 'string') call.taskName = value.value.toUpperCase();
      if (tokens[a]!.value === 'RESULT_LIMIT' && value?.type === 'number') call.resultLimit = Math.min(10_000, Math.max(1, Number(value.value)));
      if (tokens[a]!.value === 'ERROR_ONLY') call.errorOnly = isWord(value, 'TRUE');
    }
    const next = tokens[closeTable + 1];
    call.aliased = isWord(next, 'AS') || (isIdent(next) && !(next.type === 'word' && CLAUSE_WORDS.has(next.value)));
    calls.push(call);
    i = closeTable;
  }
  return calls;
}

/** The replacement SQL for one call, given every run visible to the session. */
export function historyReplacement(call: HistoryCall, runs: TaskRun[], currentDatabase: string | null, databaseExists: (db: string) => boolean): string {
  const database = call.database ?? currentDatabase;
  if (!database || !databaseExists(database)) throw objectDoesNotExist(`${call.database ?? ''}${call.database ? '.' : ''}INFORMATION_SCHEMA.TASK_HISTORY`);
  const selected = runs
    .filter((r) => r.database === database && (call.taskName === null || r.name === call.taskName) && (!call.errorOnly || r.state === 'FAILED'))
    .sort((a, b) => b.scheduledTime.getTime() - a.scheduledTime.getTime())
    .slice(0, call.resultLimit);
  return `FROM (${historyRelation(selected)})${call.aliased ? '' : ' AS TASK_HISTORY'}`;
}
