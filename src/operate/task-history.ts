/**
 * Runs of the task from INFORMATION_SCHEMA.TASK_HISTORY (reference §5.3): the function must be qualified
 * with the task's database, TASK_NAME takes the unqualified name only (so rows are filtered to the task's
 * schema here), only the last 7 days are covered, RESULT_LIMIT defaults to 100 (max 10 000). STATE is one
 * of SCHEDULED, EXECUTING, SUCCEEDED, FAILED, FAILED_AND_AUTO_SUSPENDED, CANCELLED, SKIPPED; SPCS_JOB_ID
 * names the job service a run started (null when it did not run as a container job).
 */
import { text, type ShowRow } from '../introspect/show.js';
import type { ResolvedNames } from '../plan/names.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { toDate } from './installed.js';

export type TaskRunState = 'SCHEDULED' | 'EXECUTING' | 'SUCCEEDED' | 'FAILED' | 'FAILED_AND_AUTO_SUSPENDED' | 'CANCELLED' | 'SKIPPED';

export const FINISHED_STATES: ReadonlySet<string> = new Set(['SUCCEEDED', 'FAILED', 'FAILED_AND_AUTO_SUSPENDED', 'CANCELLED', 'SKIPPED']);
export const FAILED_STATES: ReadonlySet<string> = new Set(['FAILED', 'FAILED_AND_AUTO_SUSPENDED']);

export interface TaskRun {
  queryId: string | null;
  state: TaskRunState;
  scheduledTime: Date | null;
  queryStartTime: Date | null;
  completedTime: Date | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The job service the run started (argument of SYSTEM$GET_SERVICE_LOGS). */
  spcsJobId: string | null;
  /** e.g. SCHEDULE or EXECUTE TASK. */
  scheduledFrom: string | null;
}

export interface TaskHistory {
  /** Newest first: every run except the SCHEDULED placeholder. */
  runs: TaskRun[];
  /** SCHEDULED_TIME of the pending SCHEDULED row (the next run of a started task). */
  nextRun: Date | null;
}

const pick = (row: ShowRow, column: string): unknown => row[column] ?? row[column.toLowerCase()];

function toRun(row: ShowRow): TaskRun {
  const str = (column: string) => text(pick(row, column)) || null;
  return {
    queryId: str('QUERY_ID'),
    state: (str('STATE')?.toUpperCase() ?? 'SCHEDULED') as TaskRunState,
    scheduledTime: toDate(pick(row, 'SCHEDULED_TIME')),
    queryStartTime: toDate(pick(row, 'QUERY_START_TIME')),
    completedTime: toDate(pick(row, 'COMPLETED_TIME')),
    errorCode: str('ERROR_CODE'),
    errorMessage: str('ERROR_MESSAGE'),
    spcsJobId: str('SPCS_JOB_ID'),
    scheduledFrom: str('SCHEDULED_FROM'),
  };
}

export interface HistoryOptions {
  /** Earliest SCHEDULED_TIME wanted (default: the 7 days TASK_HISTORY covers, minus a minute of margin). */
  since?: Date;
  limit?: number;
}

export function taskHistorySql(names: ResolvedNames, options: HistoryOptions = {}): string {
  const [database, schema, task] = names.task as [string, string, string];
  const start = options.since ? `TO_TIMESTAMP_LTZ(${sqlLiteral(options.since.toISOString())})` : "DATEADD('minute', -10079, CURRENT_TIMESTAMP())";
  const limit = Math.min(10_000, Math.max(1, Math.floor(options.limit ?? 1000)));
  return (
    `SELECT * FROM TABLE(${renderQualifiedName([database, 'INFORMATION_SCHEMA'])}.TASK_HISTORY(` +
    `SCHEDULED_TIME_RANGE_START => ${start}, RESULT_LIMIT => ${limit}, TASK_NAME => ${sqlLiteral(task)}))` +
    ` WHERE SCHEMA_NAME = ${sqlLiteral(schema)} AND NAME = ${sqlLiteral(task)} ORDER BY SCHEDULED_TIME DESC`
  );
}

export async function readTaskHistory(session: SnowflakeSession, names: ResolvedNames, options: HistoryOptions = {}): Promise<TaskHistory> {
  const { rows } = await session.query<ShowRow>(taskHistorySql(names, options));
  const all = rows.map(toRun);
  const scheduled = all.filter((run) => run.state === 'SCHEDULED').map((run) => run.scheduledTime).filter((d): d is Date => d !== null);
  return {
    runs: all.filter((run) => run.state !== 'SCHEDULED'),
    nextRun: scheduled.length > 0 ? new Date(Math.min(...scheduled.map((d) => d.getTime()))) : null,
  };
}

/** Runs that did something (SKIPPED = the WHEN condition was false: no changes in the stream). */
export const executedRuns = (history: TaskHistory): TaskRun[] => history.runs.filter((run) => run.state !== 'SKIPPED');
