/**
 * `TABLE([<db>.]INFORMATION_SCHEMA.ALERT_HISTORY(SCHEDULED_TIME_RANGE_START => …, RESULT_LIMIT => n,
 * ALERT_NAME => '…'))` (https://docs.snowflake.com/en/sql-reference/functions/alert_history) is replaced, FROM
 * included, by an inline relation with the documented columns, newest first; RESULT_LIMIT defaults to 100.
 * Time-range arguments are accepted and not applied (a stand-in never runs 7 days). "Returns results only for the
 * ACCOUNTADMIN role [or] the alert owner": rows of other owners are left out.
 */
import { sqlString } from '../catalog.js';
import { objectDoesNotExist, syntaxError } from '../errors.js';
import { isIdent, isOp, isWord, matchParen, type Token } from '../lexer.js';

export type AlertRunState = 'SCHEDULED' | 'EXECUTING' | 'CONDITION_FALSE' | 'CONDITION_FAILED' | 'ACTION_FAILED' | 'TRIGGERED' | 'CANCELLED';

export interface AlertRun {
  name: string;
  database: string;
  schema: string;
  owner: string;
  condition: string;
  action: string;
  conditionQueryId: string | null;
  actionQueryId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  state: AlertRunState;
  scheduledTime: Date;
  completedTime: Date | null;
  scheduledFrom: 'SCHEDULE' | 'EXECUTE ALERT';
}

const COLUMNS: Array<[string, string, (r: AlertRun) => string | Date | null]> = [
  ['NAME', 'VARCHAR', (r) => r.name], ['DATABASE_NAME', 'VARCHAR', (r) => r.database], ['SCHEMA_NAME', 'VARCHAR', (r) => r.schema],
  ['ACTION', 'VARCHAR', (r) => r.action], ['ACTION_QUERY_ID', 'VARCHAR', (r) => r.actionQueryId], ['CONDITION', 'VARCHAR', (r) => r.condition],
  ['CONDITION_QUERY_ID', 'VARCHAR', (r) => r.conditionQueryId], ['ERROR_CODE', 'VARCHAR', (r) => r.errorCode], ['ERROR_MESSAGE', 'VARCHAR', (r) => r.errorMessage],
  ['STATE', 'VARCHAR', (r) => r.state], ['SCHEDULED_TIME', 'TIMESTAMPTZ', (r) => r.scheduledTime], ['COMPLETED_TIME', 'TIMESTAMPTZ', (r) => r.completedTime],
  ['SCHEDULED_FROM', 'VARCHAR', (r) => r.scheduledFrom],
];

function literal(v: string | Date | null, type: string): string {
  if (v === null) return `CAST(NULL AS ${type})`;
  return `CAST(${sqlString(v instanceof Date ? v.toISOString() : v)} AS ${type})`;
}

function relation(runs: AlertRun[]): string {
  if (runs.length === 0) return `SELECT ${COLUMNS.map(([n, t]) => `CAST(NULL AS ${t}) AS "${n}"`).join(', ')} WHERE FALSE`;
  const rows = runs.map((r) => `(${COLUMNS.map(([, t, get]) => literal(get(r), t)).join(', ')})`);
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS t(${COLUMNS.map(([n]) => `"${n}"`).join(', ')})`;
}

const CLAUSE_WORDS = new Set(['WHERE', 'ORDER', 'GROUP', 'LIMIT', 'HAVING', 'QUALIFY', 'UNION', 'JOIN', 'LEFT', 'INNER', 'CROSS', 'ON', 'AS']);

/** Replacements (token index → [end, SQL]) for every ALERT_HISTORY call of a query. */
export function alertHistoryReplacements(sql: string, tokens: Token[], runs: (database: string) => AlertRun[], currentDatabase: string | null, databaseExists: (db: string) => boolean): Map<number, [number, string]> {
  const out = new Map<number, [number, string]>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'FROM') || !isWord(tokens[i + 1], 'TABLE') || !isOp(tokens[i + 2], '(')) continue;
    let k = i + 3;
    const parts: string[] = [];
    while (isIdent(tokens[k])) {
      parts.push(tokens[k]!.value);
      if (!isOp(tokens[k + 1], '.')) break;
      k += 2;
    }
    if (parts[parts.length - 1] !== 'ALERT_HISTORY' || parts[parts.length - 2] !== 'INFORMATION_SCHEMA' || parts.length > 3) continue;
    const open = k + 1;
    const closeCall = matchParen(tokens, open);
    const closeTable = matchParen(tokens, i + 2);
    if (!isOp(tokens[open], '(') || closeCall < 0 || closeTable !== closeCall + 1) throw syntaxError(sql, tokens[i + 1]!.pos);
    let alertName: string | null = null;
    let limit = 100;
    for (let a = open + 1; a < closeCall; a++) {
      if (!isIdent(tokens[a]) || !isOp(tokens[a + 1], '=>')) continue;
      const value = tokens[a + 2];
      if (tokens[a]!.value === 'ALERT_NAME' && value?.type === 'string') alertName = value.value.toUpperCase();
      if (tokens[a]!.value === 'RESULT_LIMIT' && value?.type === 'number') limit = Math.min(10_000, Math.max(1, Number(value.value)));
    }
    const database = parts.length === 3 ? parts[0]! : currentDatabase;
    if (!database || !databaseExists(database)) throw objectDoesNotExist(`${parts.join('.')}`);
    const selected = runs(database)
      .filter((r) => alertName === null || r.name === alertName)
      .sort((a, b) => b.scheduledTime.getTime() - a.scheduledTime.getTime())
      .slice(0, limit);
    const next = tokens[closeTable + 1];
    const aliased = isWord(next, 'AS') || (isIdent(next) && !(next.type === 'word' && CLAUSE_WORDS.has(next.value)));
    out.set(i, [closeTable + 1, `FROM (${relation(selected)})${aliased ? '' : ' AS ALERT_HISTORY'}`]);
    i = closeTable;
  }
  return out;
}
