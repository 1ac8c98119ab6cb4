/**
 * `pause` / `resume` of an install whose sync runs outside Snowflake (runner external): there is no task to
 * suspend, so they set PAUSED in the control table (shared/state/control-table.ts); every `sync` run (and the
 * worker image) reads it first and sends nothing while it is set. Idempotent like the task toggle.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import { CONTROL_TABLE_NAME, controlTable, readControlRow, setPaused } from '../../shared/state/control-table.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { withInstalledSession, type Installed } from './installed.js';

export function controlTableOf(installed: Installed): string {
  return controlTable(renderQualifiedName(installed.names.schema));
}

/** The control row's key: the stream as the worker names it (its --source-stream argument). */
export function syncNameOf(installed: Installed): string {
  return renderQualifiedName(installed.names.stream);
}

/** PAUSED of the control row; false before the first run or pause created it. */
export async function readPaused(session: SnowflakeSession, installed: Installed): Promise<boolean> {
  try {
    return (await readControlRow(session, controlTableOf(installed), syncNameOf(installed)))?.paused ?? false;
  } catch {
    return false; // no control table yet: never paused
  }
}

/** The statement that sets the flag (dry runs print it; setPaused creates the table and row first if missing). */
export function externalToggleSql(installed: Installed, action: 'suspend' | 'resume'): string {
  return `UPDATE ${controlTableOf(installed)} SET PAUSED = ${action === 'suspend' ? 'TRUE' : 'FALSE'} WHERE SYNC_NAME = ${sqlLiteral(syncNameOf(installed))}`;
}

export async function toggleExternal(action: 'suspend' | 'resume', dryRun: boolean, context: CommandContext, installed: Installed): Promise<CommandOutcome> {
  const sql = externalToggleSql(installed, action);
  if (dryRun) {
    context.output.info(context.output.style.dim(`Dry run: nothing was executed (the ${CONTROL_TABLE_NAME} table and row are created first if missing).`));
    return { result: { dryRun: true, runner: 'external', sql }, text: `${sql};` };
  }
  return withInstalledSession(context, installed, ({ session }) => toggleExternalOn(session, installed, action, context));
}

/** Sets or clears one external sync's PAUSED flag on a connected session. */
export async function toggleExternalOn(session: SnowflakeSession, installed: Installed, action: 'suspend' | 'resume', context: Pick<CommandContext, 'output'>): Promise<{ result: { runner: 'external'; paused: boolean; changed: boolean; table: string }; text: string }> {
  const paused = action === 'suspend';
  const table = controlTableOf(installed);
  const changed = await context.output.step(`${paused ? 'Pausing' : 'Resuming'} the sync`, () => setPaused(session, table, syncNameOf(installed), paused));
  const state = paused ? 'paused' : 'resumed';
  const follow = paused ? 'Scheduled `batch-snowflake sync` runs send nothing (exit 0) until `batch-snowflake resume`.' : 'The next `batch-snowflake sync` sends the changes made meanwhile.';
  const text = changed ? `Sync ${state}. ${follow}` : `The sync is already ${paused ? 'paused' : 'running'}; nothing changed.`;
  return { result: { runner: 'external', paused, changed, table }, text };
}
