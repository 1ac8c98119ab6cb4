/**
 * The worker container's logs for one task run (reference §3.4): the run's job service (src/operate/job-resolve.ts:
 * TASK_HISTORY.SPCS_JOB_ID is the job's numeric SERVICE_ID, not its name); SYSTEM$GET_SERVICE_LOGS(service, instance,
 * container, lines) returns up to 100 KB of that container's log. When it fails (e.g. the job's metadata is gone),
 * the event table via <job>!SPCS_GET_LOGS() is tried (it can lag a few minutes). Needs MONITOR on the job service,
 * which the task owner role has (it owns the jobs the task starts).
 */
import { UserError } from '../../shared/errors.js';
import type { ResolvedNames } from '../plan/names.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { resolveRunJob, type JobOfRun, type ResolvedJob } from './job-resolve.js';

/** The container name in the job specification (templates/task-spec.yaml.hbs). */
export const WORKER_CONTAINER_NAME = 'batch-sync';

export interface JobLogs {
  /** TASK_HISTORY.SPCS_JOB_ID. */
  jobId: string;
  /** The job service, qualified (what the logs were read from). */
  job: string;
  /** How the job was found from SPCS_JOB_ID (src/operate/job-resolve.ts). */
  via: ResolvedJob['via'];
  source: 'SYSTEM$GET_SERVICE_LOGS' | 'SPCS_GET_LOGS';
  lines: string[];
}

/** The job reference of a run shown by status/run/logs; null when the run started no container job. */
export function jobOfRunView(view: { spcsJobId: string | null; taskStartedAt: string | null; startedAt: string | null; endedAt: string | null }): JobOfRun | null {
  return view.spcsJobId ? { spcsJobId: view.spcsJobId, startedAt: view.taskStartedAt ?? view.startedAt, endedAt: view.endedAt } : null;
}

const toLines = (text: string) => text.split(/\r?\n/).filter((line, i, all) => line !== '' || i < all.length - 1);

export async function readJobLogs(session: SnowflakeSession, names: ResolvedNames, run: JobOfRun, lines: number): Promise<JobLogs> {
  const jobId = run.spcsJobId;
  const { name: job, via } = await resolveRunJob(session, names, run);
  const count = Math.max(1, Math.floor(lines));
  try {
    const { rows } = await session.query<{ LOGS: unknown }>(`SELECT SYSTEM$GET_SERVICE_LOGS(${sqlLiteral(job)}, 0, ${sqlLiteral(WORKER_CONTAINER_NAME)}, ${count}) AS LOGS`);
    return { jobId, job, via, source: 'SYSTEM$GET_SERVICE_LOGS', lines: toLines(String(rows[0]?.LOGS ?? '')) };
  } catch (first) {
    try {
      const { rows } = await session.query<{ LOG: unknown }>(`SELECT LOG FROM TABLE(${job}!SPCS_GET_LOGS()) WHERE CONTAINER_NAME = ${sqlLiteral(WORKER_CONTAINER_NAME)} ORDER BY TIMESTAMP`);
      return { jobId, job, via, source: 'SPCS_GET_LOGS', lines: rows.map((r) => String(r.LOG ?? '')).slice(-count) };
    } catch {
      throw new UserError(first instanceof UserError ? first.kind : 'sql', 'LOGS_UNAVAILABLE', `Could not read the logs of job ${job}: ${(first as Error).message}`, {
        cause: first,
        suggestion: `The job's logs may have expired. Query the event table: SELECT TIMESTAMP, VALUE FROM SNOWFLAKE.TELEMETRY.EVENTS WHERE RESOURCE_ATTRIBUTES:"snow.service.name" = ${sqlLiteral(job.split('.').pop() ?? job)} AND RECORD_TYPE = 'LOG' ORDER BY TIMESTAMP;`,
        details: { jobId },
      });
    }
  }
}

/**
 * The worker logs JSON lines ({ts, level, event, …fields}, worker/sync/log.ts); shown as
 * `ts level event key=value …`. Other lines (driver, runtime) are shown as they are.
 */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const { ts, level, event, ...fields } = JSON.parse(line) as Record<string, unknown>;
    if (typeof event !== 'string') return line;
    const rest = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
    return [typeof ts === 'string' ? ts : '', typeof level === 'string' ? level.toUpperCase().padEnd(5) : '', event, ...rest].filter(Boolean).join(' ');
  } catch {
    return line;
  }
}
