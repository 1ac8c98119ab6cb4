/**
 * `pause` / `resume`: ALTER TASK … SUSPEND / RESUME (reference §5.2), idempotent: a task already in the
 * wanted state is left alone and nothing is sent. `--dry-run` prints the statement without connecting.
 * Resuming checks that the task owner has USAGE on the warehouse and the global EXECUTE TASK privilege; its
 * privilege error therefore names that GRANT (only ACCOUNTADMIN can grant EXECUTE TASK, §5.2).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { UserError, sqlError } from '../../shared/errors.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { loadInstalled, withInstalledSession, type Installed } from './installed.js';
import { isAutoSuspended, readTask, taskToggleSql, type TaskInfo } from './task-state.js';
import { toggleExternal } from './pause-flag.js';
import { toggleService } from './service-state.js';
import { scheduleMode } from '../config/answers.js';

export type ToggleAction = 'suspend' | 'resume';

export function taskMissing(installed: Installed): UserError {
  return sqlError('TASK_MISSING', `The task ${installed.taskSql} does not exist (or role ${installed.answers.role} cannot see it).`, {
    suggestion: 'Run `batch-snowflake init` to recreate it (it reuses your saved answers).',
    details: { task: installed.taskSql },
  });
}

/** The task, or TASK_MISSING. */
export async function requireTask(session: SnowflakeSession, installed: Installed): Promise<TaskInfo> {
  const task = await readTask(session, installed.names);
  if (!task) throw taskMissing(installed);
  return task;
}

function resumeRefused(error: UserError, installed: Installed): UserError {
  const role = renderQualifiedName([installed.answers.role]);
  const warehouse = renderQualifiedName([installed.answers.warehouse]);
  return new UserError(error.kind, error.code, `Snowflake refused to resume ${installed.taskSql}: ${error.message}`, {
    cause: error,
    details: error.details,
    suggestion: `Resuming needs OWNERSHIP or OPERATE on the task, and its owner role needs USAGE on the warehouse and the account-level EXECUTE TASK privilege. Ask an admin (ACCOUNTADMIN) to run: GRANT EXECUTE TASK ON ACCOUNT TO ROLE ${role}; GRANT USAGE ON WAREHOUSE ${warehouse} TO ROLE ${role};`,
  });
}

export interface ToggleResult {
  task: string;
  state: string;
  changed: boolean;
  sql?: string;
}

/** Suspends or resumes one sync's task on a connected session (nothing sent when it already is). */
export async function toggleOn(session: SnowflakeSession, installed: Installed, action: ToggleAction, context: CommandContext): Promise<{ result: ToggleResult; text: string; before: string }> {
  const sql = taskToggleSql(installed.names, action);
  const wanted = action === 'suspend' ? 'suspended' : 'started';
  const before = await requireTask(session, installed);
  const verb = action === 'suspend' ? 'paused' : 'resumed';
  if (before.state === wanted) {
    const already = action === 'suspend' ? `already paused${isAutoSuspended(before) ? ` (suspended by Snowflake: ${before.lastSuspendedReason})` : ''}` : 'already running on its schedule';
    return { result: { task: installed.taskSql, state: before.state, changed: false }, text: `Task ${installed.taskSql} is ${already}; nothing changed.`, before: before.state };
  }
  if (action === 'resume' && isAutoSuspended(before)) {
    context.output.warn(`Snowflake suspended the task ${installed.taskSql} after repeated failures (${before.lastSuspendedReason}). If the cause is not fixed, it will fail again: see \`batch-snowflake logs\`.`);
  }
  try {
    await context.output.step(`${action === 'suspend' ? 'Suspending' : 'Resuming'} ${installed.taskSql}`, () => session.query(sql), () => `Task ${installed.taskSql} ${verb}`);
  } catch (error) {
    if (action === 'resume' && error instanceof UserError && error.kind === 'permission') throw resumeRefused(error, installed);
    throw error;
  }
  const after = await requireTask(session, installed);
  const follow = action === 'suspend' ? 'No scheduled runs until `batch-snowflake resume`.' : `${after.schedule ? `Runs every ${after.schedule}` : 'Runs when the stream has data (triggered)'}; \`batch-snowflake run\` runs it now.`;
  return { result: { task: installed.taskSql, state: after.state, changed: true, sql }, text: `Task ${installed.taskSql} ${verb}. ${follow}`, before: before.state };
}

export async function toggleTask(action: ToggleAction, dryRun: boolean, context: CommandContext, sync?: string): Promise<CommandOutcome> {
  const installed = await loadInstalled(context, sync);
  if (installed.answers.runner === 'external') return toggleExternal(action, dryRun, context, installed);
  if (scheduleMode(installed.answers.schedule) === 'continuous') return toggleService(action, dryRun, context, installed);
  const sql = taskToggleSql(installed.names, action);
  const wanted = action === 'suspend' ? 'suspended' : 'started';
  if (dryRun) {
    context.output.info(context.output.style.dim(`Dry run: nothing was executed (the statement runs only if the task is not already ${wanted}).`));
    return { result: { dryRun: true, task: installed.taskSql, sql }, text: `${sql};` };
  }
  return withInstalledSession(context, installed, ({ session }) => toggleOn(session, installed, action, context));
}
