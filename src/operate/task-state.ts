/**
 * The task as SHOW TASKS reports it (reference §5.3: `state` is 'started' or 'suspended', lowercase;
 * `last_suspended_reason` includes SUSPENDED_DUE_TO_ERRORS) and the image tag its job specification runs.
 */
import { showExact, text } from '../introspect/show.js';
import type { ResolvedNames } from '../plan/names.js';
import { WORKER_IMAGE_NAME } from '../plan/task-steps.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { renderTemplate } from '../plan/sql-templates.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { toDate } from './installed.js';

export interface TaskInfo {
  name: string;
  state: 'started' | 'suspended';
  schedule: string | null;
  /** The WHEN condition (e.g. SYSTEM$STREAM_HAS_DATA('…')), null when every run executes. */
  condition: string | null;
  lastSuspendedOn: Date | null;
  /** e.g. SUSPENDED_DUE_TO_ERRORS; null when never suspended or suspended by a user. */
  lastSuspendedReason: string | null;
  /** Tag of the worker image the task's specification runs (null if the definition does not name one). */
  imageTag: string | null;
  owner: string | null;
}

/** `last_suspended_reason` of a task Snowflake suspended after SUSPEND_TASK_AFTER_NUM_FAILURES failed runs. */
export const SUSPENDED_DUE_TO_ERRORS = 'SUSPENDED_DUE_TO_ERRORS';

export function imageTagOf(definition: string | null): string | null {
  if (!definition) return null;
  const match = new RegExp(`/${WORKER_IMAGE_NAME}:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})`).exec(definition);
  return match?.[1] ?? null;
}

/** null when the task does not exist or the role can neither own, monitor nor operate it. */
export async function readTask(session: SnowflakeSession, names: ResolvedNames): Promise<TaskInfo | null> {
  const [row] = await showExact(session, 'TASKS', names.task, true);
  if (!row) return null;
  const reason = text(row.last_suspended_reason);
  return {
    name: renderQualifiedName(names.task),
    state: text(row.state) === 'started' ? 'started' : 'suspended',
    schedule: text(row.schedule) || null,
    condition: text(row.condition) || null,
    lastSuspendedOn: toDate(row.last_suspended_on),
    lastSuspendedReason: reason && reason.toUpperCase() !== 'NULL' ? reason : null,
    imageTag: imageTagOf(text(row.definition)),
    owner: text(row.owner) || null,
  };
}

export function isAutoSuspended(task: TaskInfo): boolean {
  return task.state === 'suspended' && task.lastSuspendedReason !== null && task.lastSuspendedReason.toUpperCase().includes('ERROR');
}

/** ALTER TASK … SUSPEND / RESUME, rendered by the same templates init uses. */
export function taskToggleSql(names: ResolvedNames, action: 'suspend' | 'resume'): string {
  return renderTemplate(action === 'suspend' ? 'task-suspend' : 'task-resume', { name: names.task }).trim();
}

export function executeTaskSql(names: ResolvedNames): string {
  return renderTemplate('execute-task', { name: names.task }).trim();
}
