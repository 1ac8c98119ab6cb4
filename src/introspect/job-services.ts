/**
 * The job services this install's task started. Each run of EXECUTE JOB SERVICE without NAME makes a job
 * named `JOB_<query_job_uuid>` in the task's schema, kept (with its metadata) for 30 days (reference §3.1);
 * a dropped task leaves them behind. Found with `SHOW JOB SERVICES IN SCHEMA <target>` (columns §7: name,
 * status, compute_pool, is_job) and kept only when they are jobs on our compute pool named like the task's
 * jobs (`JOB_…`, or the fixed job NAME when the answers set one). Read-only.
 */
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { ResolvedNames } from '../plan/names.js';
import { errorCode, isNotAvailable, text, type ShowRow } from './show.js';
import { isJobOfTask, type TaskJobService } from '../plan/live-state.js';

function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(parsed) ? null : new Date(parsed);
}

/**
 * Every job service on the project's compute pool in its target schema (shared by all syncs): `null` when the
 * server does not know SHOW JOB SERVICES (the caller says the jobs were not looked for).
 */
export async function poolJobServices(session: SnowflakeSession, names: ResolvedNames): Promise<TaskJobService[] | null> {
  let rows: ShowRow[];
  try {
    ({ rows } = await session.query<ShowRow>(`SHOW JOB SERVICES IN SCHEMA ${renderQualifiedName(names.schema)}`));
  } catch (error) {
    if (errorCode(error) === '002003') return []; // the schema is gone, and its jobs with it
    if (isNotAvailable(error)) return null;
    throw error;
  }
  const pool = (names.computePool[0] ?? '').toUpperCase();
  const [database, schema] = names.schema as [string, string];
  return rows
    .filter((row) => text(row.is_job) === 'true' && (text(row.compute_pool) ?? '').toUpperCase() === pool)
    .filter((row) => text(row.database_name) === database && text(row.schema_name) === schema)
    .map((row) => ({ name: [database, schema, text(row.name) ?? ''], status: text(row.status) ?? '', createdOn: toDate(row.created_on) }));
}

/** The job services of this sync's task (isJobOfTask); `null` as for poolJobServices. */
export async function taskJobServices(session: SnowflakeSession, names: ResolvedNames): Promise<TaskJobService[] | null> {
  const jobs = await poolJobServices(session, names);
  return jobs && jobs.filter((job) => isJobOfTask(job, names.jobName));
}
