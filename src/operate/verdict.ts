/**
 * The verdict `status` prints first: healthy / degraded / failing, why, and the one command to run next.
 * Pure: decided from the facts gathered by status-report.ts.
 * - failing: the sync cannot deliver changes (task or stream missing, stream stale, task suspended by
 *   Snowflake after failures, the last run failed);
 * - degraded: it delivers, but something needs attention (paused by a user, stream about to go stale,
 *   attributes rejected by the last run, unsent changes left in the outbox);
 * - healthy: otherwise (including "installed, no run yet").
 */
import type { RunView } from './merge-runs.js';
import type { StreamHealth } from './stream-health.js';
import { isAutoSuspended, type TaskInfo } from './task-state.js';

export type VerdictLevel = 'healthy' | 'degraded' | 'failing';

export interface Verdict {
  level: VerdictLevel;
  /** One line each, most important first. */
  reasons: string[];
  /** The next command to run (null when nothing is needed). */
  next: string | null;
}

/** Exit codes of `status` and `run` when they completed but report a problem (errors use 2–7, see errors.ts). */
export const OPERATE_EXIT_CODES = { healthy: 0, degraded: 10, failing: 11, timedOut: 12, notInstalled: 13 } as const;

/** The symbol of the "Sync is …" step line. */
export const VERDICT_STATUS = { healthy: 'ok', degraded: 'warn', failing: 'fail' } as const;

export interface VerdictFacts {
  task: TaskInfo | null;
  /** Runner external: no task; the pause flag of the control table instead. */
  external?: { paused: boolean };
  /** Schedule continuous: no task; the long-running service (null: missing). */
  service?: { name: string; status: string } | null;
  stream: StreamHealth;
  /** Newest first. */
  runs: readonly RunView[];
  outboxRows: number | null;
  /** Tables/objects init recorded that are gone. */
  missing: readonly string[];
  /** The image the task runs, and whether SHOW IMAGES lists it (null: could not be checked). */
  image?: { reference: string; present: boolean | null } | undefined;
  /** When the task's next scheduled run is due (TASK_HISTORY SCHEDULED); null/absent when unknown or no task. */
  nextRun?: Date | null;
  now: Date;
}

/** One line of at most `max` characters: Snowflake messages span lines, job failures carry a log tail. */
export function oneLine(message: string, max = 240): string {
  const flat = message.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const toDate = (iso: string | null) => (iso ? new Date(iso) : null);
const day = (date: Date | null) => (date ? date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '?');

/**
 * Suspended by Snowflake after SUSPEND_TASK_AFTER_NUM_FAILURES failed runs (reference §5.1, default 10): SHOW TASKS
 * last_suspended_reason (SUSPENDED_DUE_TO_ERRORS, §5.3), or the newest run's TASK_HISTORY state
 * FAILED_AND_AUTO_SUSPENDED when the reason column is empty.
 */
export function suspendedByFailures(task: TaskInfo, runs: readonly RunView[]): boolean {
  if (task.state !== 'suspended') return false;
  return isAutoSuspended(task) || runs.find((run) => run.taskState !== null)?.taskState === 'FAILED_AND_AUTO_SUSPENDED';
}

export function decideVerdict(facts: VerdictFacts): Verdict {
  const failing: Array<[string, string]> = [];
  const degraded: Array<[string, string]> = [];
  const { task, stream } = facts;
  const last = facts.runs.find((run) => run.outcome !== 'running');

  const { service } = facts;
  if (service === null) failing.push(['the service is missing (or the role cannot see it)', 'batch-snowflake init']);
  else if (service && ['FAILED', 'DONE'].includes(service.status)) failing.push([`the service ${service.name} is ${service.status.toLowerCase()}`, 'batch-snowflake logs']);
  else if (!task && !facts.external && service === undefined) failing.push(['the task is missing (or the role cannot see it)', 'batch-snowflake init']);
  if (service?.status === 'SUSPENDED') degraded.push(['the service is paused (suspended): changes wait in the stream', 'batch-snowflake resume']);
  if (!stream.exists) failing.push([`the stream ${stream.name} is missing`, 'batch-snowflake init']);
  else if (stream.stale) failing.push([`the stream ${stream.name} is stale: its changes can no longer be read; recreating it resends every row`, 'batch-snowflake init']);
  for (const object of facts.missing) failing.push([`${object} is missing`, 'batch-snowflake init']);
  if (task && facts.image?.present === false) {
    failing.push([`the task runs image ${facts.image.reference}, which is not in the image repository (never pushed, or deleted): every run will fail`, 'batch-snowflake init   # builds and pushes it (or push it yourself with docker push)']);
  }
  const autoSuspended = task !== null && suspendedByFailures(task, facts.runs);
  if (autoSuspended) {
    const lastError = facts.runs.find((run) => run.outcome === 'failed' && run.error)?.error;
    const why = `${task.lastSuspendedReason ?? 'FAILED_AND_AUTO_SUSPENDED'}, ${day(task.lastSuspendedOn)}${lastError ? `; last error: ${oneLine(lastError, 160)}` : ''}`;
    failing.push([`Snowflake suspended the task after repeated failures (${why})`, 'batch-snowflake logs   # then fix the cause and: batch-snowflake resume']);
  } else if (last?.outcome === 'failed') {
    failing.push([`the last run failed${last.error ? `: ${oneLine(last.error)}` : ''}`, facts.external ? 'batch-snowflake sync --verbose   # the run\'s log lines' : 'batch-snowflake logs']);
  }

  if (facts.external?.paused) degraded.push(['the sync is paused: scheduled `batch-snowflake sync` runs send nothing', 'batch-snowflake resume']);
  if (task && task.state === 'suspended' && !autoSuspended) degraded.push(['the task is paused (suspended): no scheduled runs', 'batch-snowflake resume']);
  if (stream.exists && stream.staleSoon) degraded.push([`the stream goes stale at ${day(stream.staleAfter)} unless a run consumes it`, 'batch-snowflake run']);
  if (last?.outcome === 'partial') {
    const n = (last.attributesRejected ?? 0) + (last.rowsRejected ?? 0);
    degraded.push([`the last run had ${n} rejection(s): those values did not reach Batch (see Rejected below)`, 'fix the values in your view, then: batch-snowflake run']);
  }
  if ((facts.outboxRows ?? 0) > 0 && last?.outcome !== 'failed') {
    degraded.push([`${facts.outboxRows} captured change(s) wait in the outbox (sent by the next run)`, 'batch-snowflake run']);
  }

  if (failing.length > 0) return { level: 'failing', reasons: [...failing, ...degraded].map(([r]) => r), next: failing[0]![1] };
  if (degraded.length > 0) return { level: 'degraded', reasons: degraded.map(([r]) => r), next: degraded[0]![1] };
  if (!last) return { level: 'healthy', reasons: ['installed; no finished run yet'], next: 'batch-snowflake run' };
  const lastRun = `last run ${last.outcome} at ${day(toDate(last.endedAt ?? last.startedAt))}`;
  const waiting = waitingChanges(facts);
  if (!waiting) return { level: 'healthy', reasons: [lastRun], next: null };
  return { level: 'healthy', reasons: [lastRun, waiting], next: facts.external ? 'batch-snowflake sync   # to send them now' : 'batch-snowflake run   # to send them now' };
}

/** Healthy, but changes wait in the stream (issue 20): how many, and when the next run is due to send them. */
function waitingChanges({ stream, external, task, nextRun }: VerdictFacts): string | null {
  if (!stream.exists || !(stream.hasData === true || (stream.pendingRows ?? 0) > 0)) return null;
  const how = stream.pendingRows !== null && stream.pendingRows > 0 ? `${stream.pendingRows} change(s)` : 'changes';
  const when = external
    ? 'your scheduler\'s next `batch-snowflake sync` sends them'
    : task?.state === 'started' && nextRun ? `the next run, due at ${day(nextRun)}, sends them` : 'the next scheduled run sends them';
  return `${how} wait in the stream ${stream.name}; ${when}`;
}
