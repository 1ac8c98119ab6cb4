/**
 * One list of recent runs from two sources: TASK_HISTORY (did the task run, did the job fail, its SPCS job)
 * and the worker's runs table (rows captured, profiles sent, rejected, requests). They share no key: the
 * worker generates its own run id, so a record belongs to the latest task run started before the record's
 * STARTED_AT, if that run had not ended by then (runs of one task never overlap, reference §5.1). Pure.
 */
import type { RunRecord } from './run-records.js';
import { FAILED_STATES, type TaskRun } from './task-history.js';

export type RunOutcome = 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';

export interface RunView {
  /** The worker's RUN_ID when it recorded the run, else the task run's QUERY_ID. */
  id: string;
  outcome: RunOutcome;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** TASK_HISTORY STATE (null when the run is only in the runs table, e.g. older than 7 days). */
  taskState: string | null;
  /** Worker STATUS (null when the job never reached the point of recording, e.g. image pull failure). */
  workerStatus: string | null;
  rowsCaptured: number | null;
  profilesSent: number | null;
  rowsRejected: number | null;
  attributesRejected: number | null;
  requests: number | null;
  retries: number | null;
  error: string | null;
  spcsJobId: string | null;
  queryId: string | null;
  /** When the task run started (TASK_HISTORY), before its job was created: bounds the job's created_on. */
  taskStartedAt: string | null;
}

/**
 * Both times come from the server's clock (TASK_HISTORY and the worker's CURRENT_TIMESTAMP): the worker's first
 * statement is never before its task run started; it may be recorded a moment after the run's end is stamped.
 */
const END_SLACK_MS = 2_000;

function outcomeOf(task: TaskRun | undefined, record: RunRecord | undefined): RunOutcome {
  if (task && FAILED_STATES.has(task.state)) return 'failed';
  if (task?.state === 'CANCELLED') return 'cancelled';
  if (record?.status === 'ERROR') return 'failed';
  if (record?.status === 'PARTIAL') return 'partial';
  if (record?.status === 'SUCCESS') return 'succeeded';
  if (task?.state === 'SUCCEEDED') return record ? 'failed' : 'succeeded'; // a RUNNING record after the job ended: killed
  return 'running';
}

const startOf = (task: TaskRun) => (task.queryStartTime ?? task.scheduledTime)?.getTime();

/** The task run a record belongs to: the latest one started before it, if the record began before that run ended. */
function ownerOf(record: RunRecord, tasks: readonly TaskRun[], now: Date): TaskRun | undefined {
  const started = record.startedAt?.getTime();
  if (started === undefined) return undefined;
  let owner: TaskRun | undefined;
  for (const task of tasks) {
    const start = startOf(task);
    if (start === undefined || start > started) continue;
    if (!owner || start > startOf(owner)!) owner = task;
  }
  const end = owner && (owner.completedTime ?? now).getTime();
  return end !== undefined && started <= end + END_SLACK_MS ? owner : undefined;
}

function view(task: TaskRun | undefined, record: RunRecord | undefined): RunView {
  const startedAt = record?.startedAt ?? task?.queryStartTime ?? task?.scheduledTime ?? null;
  const endedAt = record?.endedAt ?? task?.completedTime ?? null;
  const killed = record?.status === 'RUNNING' && task?.completedTime;
  return {
    id: record?.runId ?? task?.queryId ?? '?',
    outcome: outcomeOf(task, record),
    startedAt: startedAt?.toISOString() ?? null,
    endedAt: endedAt?.toISOString() ?? null,
    durationMs: startedAt && endedAt ? Math.max(0, endedAt.getTime() - startedAt.getTime()) : null,
    taskState: task?.state ?? null,
    workerStatus: record?.status ?? null,
    rowsCaptured: record?.rowsCaptured ?? null,
    profilesSent: record?.profilesSent ?? null,
    rowsRejected: record?.rowsRejected ?? null,
    attributesRejected: record?.attributesRejected ?? null,
    requests: record?.requests ?? null,
    retries: record?.retries ?? null,
    // The worker's own message is the cause; the task's error repeats the job's log tail after it.
    error: record?.errorMessage ?? task?.errorMessage ?? (killed ? 'the job ended while the worker was still running (killed or timed out)' : null),
    spcsJobId: task?.spcsJobId ?? null,
    queryId: task?.queryId ?? null,
    taskStartedAt: (task?.queryStartTime ?? task?.scheduledTime)?.toISOString() ?? null,
  };
}

/** Newest first, at most `limit`. `taskRuns` must not contain SCHEDULED or SKIPPED rows. */
export function mergeRuns(taskRuns: readonly TaskRun[], records: readonly RunRecord[], limit: number, now: Date): RunView[] {
  const byTask = new Map<TaskRun, RunRecord>();
  const unmatched: RunRecord[] = [];
  for (const record of records) {
    const owner = ownerOf(record, taskRuns, now);
    // One task run starts one job, which records one run; a second claimant is kept on its own.
    if (owner && !byTask.has(owner)) byTask.set(owner, record);
    else unmatched.push(record);
  }
  const merged = [...taskRuns.map((task) => view(task, byTask.get(task))), ...unmatched.map((record) => view(undefined, record))];
  const at = (run: RunView) => Date.parse(run.startedAt ?? '') || 0;
  return merged.sort((a, b) => at(b) - at(a)).slice(0, limit);
}
