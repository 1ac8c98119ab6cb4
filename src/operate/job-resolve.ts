/**
 * Which job service a task run started, as a name SYSTEM$GET_SERVICE_LOGS takes
 * (https://docs.snowflake.com/en/sql-reference/functions/system_get_service_logs: the service NAME).
 * TASK_HISTORY.SPCS_JOB_ID is a NUMBER: "The identifier corresponds to the SERVICE_ID column in
 * ACCOUNT_USAGE.SERVICES" (behaviour change 2026_02, https://docs.snowflake.com/en/release-notes/bcr-bundles/2026_02/bcr-2182),
 * and SHOW SERVICES has no id column. So, in order:
 * 1. a fixed job NAME from the answers needs no lookup;
 * 2. SNOWFLAKE.ACCOUNT_USAGE.SERVICES by SERVICE_ID (https://docs.snowflake.com/en/sql-reference/account-usage/services):
 *    the documented mapping; it needs IMPORTED PRIVILEGES on the SNOWFLAKE database and Account Usage views lag;
 * 3. otherwise SHOW JOB SERVICES IN SCHEMA <target>: the one job on our pool created while the run ran (runs of one
 *    task never overlap, reference §5.1; a few seconds' slack only when the run's own window holds none, since
 *    another sync's task may start its job right before or after). If that is not exactly one job, the error
 *    says what to grant.
 */
import { UserError } from '../../shared/errors.js';
import { taskJobServices } from '../introspect/job-services.js';
import { errorCode, text, type ShowRow } from '../introspect/show.js';
import type { ResolvedNames } from '../plan/names.js';
import { parseQualifiedName, renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

export interface JobOfRun {
  /** TASK_HISTORY.SPCS_JOB_ID as text. */
  spcsJobId: string;
  /** ISO times of the task run: its start (TASK_HISTORY, before the job is created) and end. */
  startedAt: string | null;
  endedAt: string | null;
}

export interface ResolvedJob {
  /** The job service, qualified, as SQL text. */
  name: string;
  via: 'job-name' | 'account-usage' | 'run-window';
}

/** A job's created_on can be stamped a moment before the task run's QUERY_START_TIME is. */
const CREATED_SLACK_MS = 5_000;

export function accountUsageJobSql(serviceId: string): string {
  if (!/^\d+$/.test(serviceId)) throw new Error(`not a service id: ${serviceId}`);
  return `SELECT SERVICE_CATALOG, SERVICE_SCHEMA, SERVICE_NAME FROM SNOWFLAKE.ACCOUNT_USAGE.SERVICES WHERE SERVICE_ID = ${serviceId}`;
}

async function fromAccountUsage(session: SnowflakeSession, serviceId: string): Promise<{ name: string } | { why: string }> {
  try {
    const { rows } = await session.query<ShowRow>(accountUsageJobSql(serviceId));
    const row = rows[0];
    if (!row) return { why: `ACCOUNT_USAGE.SERVICES has no service ${serviceId} yet (Account Usage views lag)` };
    return { name: renderQualifiedName([text(row.SERVICE_CATALOG) ?? '', text(row.SERVICE_SCHEMA) ?? '', text(row.SERVICE_NAME) ?? '']) };
  } catch (error) {
    if (errorCode(error) === undefined) throw error;
    return { why: `SNOWFLAKE.ACCOUNT_USAGE.SERVICES is not readable by this role (${(error as Error).message.split('\n').join(' ')})` };
  }
}

async function fromRunWindow(session: SnowflakeSession, names: ResolvedNames, run: JobOfRun): Promise<{ name: string } | { why: string }> {
  const start = Date.parse(run.startedAt ?? '');
  if (Number.isNaN(start)) return { why: 'the run has no start time to match a job with' };
  const end = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  const all = (await taskJobServices(session, names)) ?? [];
  const within = (slack: number) => all.filter((job) => {
    const created = job.createdOn?.getTime();
    return created !== undefined && created >= start - slack && created <= end + slack;
  });
  // The run's own window first: another sync's task can start its job seconds before or after this run
  // (runs of several syncs in turn); the slack only widens a window that holds no job.
  const strict = within(0);
  const jobs = strict.length > 0 ? strict : within(CREATED_SLACK_MS);
  if (jobs.length === 1) return { name: renderQualifiedName(jobs[0]!.name) };
  return { why: `SHOW JOB SERVICES IN SCHEMA ${renderQualifiedName(names.schema)} lists ${jobs.length} job(s) created during the run` };
}

export async function resolveRunJob(session: SnowflakeSession, names: ResolvedNames, run: JobOfRun): Promise<ResolvedJob> {
  if (names.jobName) return { name: renderQualifiedName([...names.schema, ...names.jobName].slice(-3)), via: 'job-name' };
  if (!/^\d+$/.test(run.spcsJobId)) {
    // Not an id: a job name (older servers and stand-ins); qualified with the task's schema when it is not.
    let parts: string[];
    try {
      parts = parseQualifiedName(run.spcsJobId, 'job service', [1, 2, 3]);
    } catch {
      parts = [run.spcsJobId];
    }
    return { name: renderQualifiedName([...names.schema, ...parts].slice(-3)), via: 'job-name' };
  }
  const byId = await fromAccountUsage(session, run.spcsJobId);
  if ('name' in byId) return { name: byId.name, via: 'account-usage' };
  const byTime = await fromRunWindow(session, names, run);
  if ('name' in byTime) return { name: byTime.name, via: 'run-window' };
  throw new UserError('sql', 'JOB_NOT_RESOLVED', `The run's job service (SPCS_JOB_ID ${run.spcsJobId}) could not be found: ${byId.why}; ${byTime.why}.`, {
    suggestion: `Let the role read the service ids: GRANT IMPORTED PRIVILEGES ON DATABASE SNOWFLAKE TO ROLE ${renderQualifiedName(names.role)}; (as ACCOUNTADMIN), or set names.jobName in batch-snowflake.json so the task names its job.`,
    details: { spcsJobId: run.spcsJobId },
  });
}
