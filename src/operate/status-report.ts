/**
 * Gathers everything `status` shows, with independent reads in parallel: the task (SHOW TASKS), its
 * history (TASK_HISTORY), the worker's records (runs, rejected, outbox), the stream's health, and whether
 * the objects init created still exist (the same introspection init uses). Read-only.
 */

import { EVENTS_OUTBOX_NAME, scheduleMode, STATE_TABLE_NAMES } from '../config/answers.js';
import { readService, type ServiceInfo } from './service-state.js';
import { existsLive } from '../plan/uninstall-plan.js';
import type { LiveState } from '../plan/live-state.js';
import { WORKER_IMAGE_NAME } from '../plan/task-steps.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Installed } from './installed.js';
import { readLiveState, serverNow } from './installed.js';
import { mergeRuns, type RunView } from './merge-runs.js';
import { countOutbox, readRejections, readRunRecords, type RejectionGroup } from './run-records.js';
import { readStreamHealth, type StreamHealth } from './stream-health.js';
import { executedRuns, readTaskHistory, type TaskHistory } from './task-history.js';
import { readTask, type TaskInfo } from './task-state.js';
import { readPaused } from './pause-flag.js';
import { estimateCost, type CostEstimate } from './cost-estimate.js';
import { readActualUsage, type ActualUsage } from './cost-usage.js';
import { decideVerdict, suspendedByFailures, type Verdict } from './verdict.js';
import { readAlertStatus, type AlertStatus } from './alert-status.js';

export interface StatusReport {
  verdict: Verdict;
  /** spcs: a task runs the sync; external: the user's scheduler runs `batch-snowflake sync` (no task). */
  runner: 'spcs' | 'external';
  /** Runner external: the pause flag (`pause` / `resume`); null for spcs (the task state says it). */
  paused: boolean | null;
  task: {
    name: string;
    exists: boolean;
    state: TaskInfo['state'] | null;
    schedule: string | null;
    condition: string | null;
    autoSuspended: boolean;
    lastSuspendedReason: string | null;
    lastSuspendedOn: string | null;
    nextRun: string | null;
    /** Runs skipped because the stream had no changes (WHEN SYSTEM$STREAM_HAS_DATA), in TASK_HISTORY's 7 days. */
    skippedRuns: number | null;
  };
  /** Schedule `continuous`: the long-running service instead of a task (null otherwise). */
  service?: ServiceInfo | null;
  runs: RunView[];
  pending: { streamHasData: boolean | null; streamRows: number | null; outboxRows: number | null };
  stream: { name: string; exists: boolean; source: string | null; stale: boolean; staleAfter: string | null; staleSoon: boolean };
  /** Rejections of the last 7 days grouped by reason; null before the first run created the table. */
  rejected: RejectionGroup[] | null;
  /** inRepository: SHOW IMAGES lists the task's tag (null: not checked or not readable). */
  image: { deployedTag: string | null; taskTag: string | null; inRepository: boolean | null };
  /** Objects init created that no longer exist. */
  missing: string[];
  /** Estimated credits per run and per day (null before the first run with changes). */
  cost: CostEstimate | null;
  /** The sync's alerts and when each last fired; absent when the project has no alert destinations. */
  alerts?: AlertStatus[];
  /** `status --cost`: actual credits from Account Usage; absent without --cost or when not readable (notes say why). */
  usage?: ActualUsage;
  /** Things that could not be read (e.g. TASK_HISTORY without MONITOR EXECUTION). */
  notes: string[];
  checkedAt: string;
}

function missingObjects(live: LiveState, installed: Installed): string[] {
  const stateTables: readonly string[] = [...STATE_TABLE_NAMES, EVENTS_OUTBOX_NAME];
  return installed.created
    .filter((object) => {
      const { parts } = object;
      // The worker (re)creates its state tables on each run: their absence only means "no run yet".
      if (object.type === 'TABLE' && (stateTables.includes(parts[parts.length - 1] as string) || parts[parts.length - 1] === installed.names.outbox[2])) return false;
      // Task, service and stream have their own, more precise lines.
      if (object.type === 'TASK' || object.type === 'STREAM' || object.type === 'SERVICE') return false;
      return existsLive(object, installed.names, live) === false;
    })
    .map((object) => `${object.type.toLowerCase()} ${object.name}`);
}

/** options.cost: read actual credits (Account Usage); options.estimate false: skip the estimate (`status` on several syncs without --cost). */
export async function gatherStatus(session: SnowflakeSession, installed: Installed, runLimit: number, options: { cost?: boolean; estimate?: boolean } = {}): Promise<StatusReport> {
  const { names, config } = installed;
  const notes: string[] = [];
  const now = await serverNow(session);
  const external = installed.answers.runner === 'external';
  const continuous = !external && scheduleMode(installed.answers.schedule) === 'continuous';
  const history = external || continuous ? Promise.resolve(null) : readTaskHistory(session, names).catch((error: unknown): TaskHistory | null => {
    notes.push(`TASK_HISTORY could not be read (${(error as Error).message.split('\n')[0]}); runs come from the runs table only. Reading it needs OWNERSHIP of the task or MONITOR EXECUTION.`);
    return null;
  });
  const [task, taskHistory, records, rejected, outboxRows, stream, live, alerts, service] = await Promise.all([
    external || continuous ? Promise.resolve(null) : readTask(session, names),
    history,
    readRunRecords(session, names, runLimit + 5),
    readRejections(session, names),
    countOutbox(session, names),
    readStreamHealth(session, names, now),
    readLiveState(session, installed),
    readAlertStatus(session, installed, notes),
    continuous ? readService(session, names) : Promise.resolve(null),
  ]);
  const missing = missingObjects(live, installed);
  const image = external ? undefined : taskImage(task, live, installed);
  if (image?.present === null) notes.push(`Could not list the images of the repository (SHOW IMAGES): not verified that ${image.reference} was pushed.`);
  const paused = external ? await readPaused(session, installed) : null;
  const executed = taskHistory ? executedRuns(taskHistory) : [];
  const runs = mergeRuns(executed, records ?? [], runLimit, now);
  const verdict = decideVerdict({ task, stream, runs, outboxRows, missing, image, now, nextRun: taskHistory?.nextRun ?? null, ...(external ? { external: { paused: paused === true } } : {}), ...(continuous ? { service: service ? { name: service.name, status: service.status } : null } : {}) });
  const { answers } = installed;
  const usage = options.cost && !external ? await readActualUsage(session, names) : null;
  if (usage?.kind === 'unavailable') notes.push(`Actual credits could not be read: ${usage.reason}; the cost shown is an estimate. To read them: ${usage.grant} (as ACCOUNTADMIN)`);
  const cost = external || options.estimate === false ? null : await estimateCost(session, { instanceFamily: answers.instanceFamily, poolAutoSuspendSecs: answers.autoSuspendSecs, warehouse: answers.warehouse, schedule: continuous ? 'continuous' : (task?.schedule ?? answers.schedule) }, runs);
  return {
    verdict,
    runner: external ? 'external' : 'spcs',
    paused,
    task: {
      name: installed.taskSql,
      exists: task !== null,
      state: task?.state ?? null,
      schedule: task?.schedule ?? null,
      condition: task?.condition ?? null,
      autoSuspended: task ? suspendedByFailures(task, runs) : false,
      lastSuspendedReason: task?.lastSuspendedReason ?? null,
      lastSuspendedOn: task?.lastSuspendedOn?.toISOString() ?? null,
      nextRun: task?.state === 'started' ? (taskHistory?.nextRun?.toISOString() ?? null) : null,
      skippedRuns: taskHistory ? taskHistory.runs.length - executed.length : null,
    },
    ...(continuous ? { service } : {}),
    runs,
    pending: { streamHasData: stream.hasData, streamRows: stream.pendingRows, outboxRows },
    stream: streamJson(stream),
    rejected,
    image: { deployedTag: config.deployedImageTag ?? null, taskTag: task?.imageTag ?? service?.imageTag ?? null, inRepository: image?.present ?? null },
    missing,
    cost,
    ...(alerts ? { alerts } : {}),
    ...(usage?.kind === 'actual' ? { usage: usage.usage } : {}),
    notes,
    checkedAt: now.toISOString(),
  };
}

/** The task's image and whether the repository holds it; undefined when there is no task or repository to check. */
function taskImage(task: TaskInfo | null, live: LiveState, installed: Installed): { reference: string; present: boolean | null } | undefined {
  const repository = live.imageRepository;
  if (!task?.imageTag || !repository) return undefined;
  const reference = `${WORKER_IMAGE_NAME}:${task.imageTag} in ${renderQualifiedName(installed.names.imageRepository)}`;
  if (repository.tagsVerified === false) return { reference, present: null };
  return { reference, present: repository.imageTags.includes(task.imageTag) };
}

function streamJson(stream: StreamHealth): StatusReport['stream'] {
  return { name: stream.name, exists: stream.exists, source: stream.source, stale: stream.stale, staleAfter: stream.staleAfter?.toISOString() ?? null, staleSoon: stream.staleSoon };
}
