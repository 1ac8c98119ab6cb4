/**
 * `TABLE([<db>.]INFORMATION_SCHEMA.ALERT_HISTORY(SCHEDULED_TIME_RANGE_START => …, RESULT_LIMIT => n,
 * ALERT_NAME => '…'))` (https://docs.snowflake.com/en/sql-reference/functions/alert_history) is replaced, FROM
 * included, by an inline relation with the documented columns, newest first; RESULT_LIMIT defaults to 100.
 * Time-range arguments are accepted and not applied (a stand-in never runs 7 days). "Returns results only for the
 * ACCOUNTADMIN role [or] the alert owner": rows of other owners are left out.
 */
import { objectDoesNotExist } from '../errors.js';
import { clampResultLimit, findTableFunctionCalls, inlineRelation, simpleArguments, type HistoryColumn } from '../history-calls.js';
import type { Token } from '../lexer.js';

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

const COLUMNS: Array<HistoryColumn<AlertRun>> = [
  ['NAME', 'VARCHAR', (r) => r.name], ['DATABASE_NAME', 'VARCHAR', (r) => r.database], ['SCHEMA_NAME', 'VARCHAR', (r) => r.schema],
  ['ACTION', 'VARCHAR', (r) => r.action], ['ACTION_QUERY_ID', 'VARCHAR', (r) => r.actionQueryId], ['CONDITION', 'VARCHAR', (r) => r.condition],
  ['CONDITION_QUERY_ID', 'VARCHAR', (r) => r.conditionQueryId], ['ERROR_CODE', 'VARCHAR', (r) => r.errorCode], ['ERROR_MESSAGE', 'VARCHAR', (r) => r.errorMessage],
  ['STATE', 'VARCHAR', (r) => r.state], ['SCHEDULED_TIME', 'TIMESTAMPTZ', (r) => r.scheduledTime], ['COMPLETED_TIME', 'TIMESTAMPTZ', (r) => r.completedTime],
  ['SCHEDULED_FROM', 'VARCHAR', (r) => r.scheduledFrom],
];

/** Replacements (token index → [end, SQL]) for every ALERT_HISTORY call of a query. */
export function alertHistoryReplacements(sql: string, tokens: Token[], runs: (database: string) => AlertRun[], currentDatabase: string | null, databaseExists: (db: string) => boolean): Map<number, [number, string]> {
  const out = new Map<number, [number, string]>();
  for (const call of findTableFunctionCalls(sql, tokens, 'ALERT_HISTORY')) {
    const args = simpleArguments(tokens, call);
    const nameArg = args.get('ALERT_NAME');
    const alertName = nameArg?.type === 'string' ? nameArg.value.toUpperCase() : null;
    const limit = clampResultLimit(args.get('RESULT_LIMIT')) ?? 100;
    const database = call.database ?? currentDatabase;
    if (!database || !databaseExists(database)) throw objectDoesNotExist(call.parts.join('.'));
    const selected = runs(database)
      .filter((r) => alertName === null || r.name === alertName)
      .sort((a, b) => b.scheduledTime.getTime() - a.scheduledTime.getTime())
      .slice(0, limit);
    out.set(call.start, [call.end, `FROM (${inlineRelation(COLUMNS, selected)})${call.aliased ? '' : ' AS ALERT_HISTORY'}`]);
  }
  return out;
}
