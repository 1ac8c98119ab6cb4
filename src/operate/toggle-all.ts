/**
 * `pause` / `resume` without --sync on a project of several syncs: every sync's task (or, runner external,
 * its PAUSED flag) in config order, on one session, then a table of what changed (sync, kind, task, before →
 * after, changed). Idempotent per sync like the single toggle; a sync whose task is missing or refused gets
 * its error in its row and does not stop the others; the exit code is the worst sync's. `--dry-run` prints
 * every sync's statement without connecting. --json: `{ syncs: [{ sync, kind, task, before, state, changed, sql, error }] }`.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { Installed } from './installed.js';
import { allSyncsOrNull, errorNotes, forEachSync, SharedSession, renderTable, worstExitCode, type SyncError } from './each-sync.js';
import { isSyncInstalled } from './status-overview.js';
import { externalToggleSql, toggleExternalOn } from './pause-flag.js';
import { taskToggleSql } from './task-state.js';
import { scheduleMode } from '../config/answers.js';
import { serviceToggleSql, toggleService } from './service-state.js';
import { toggleOn, toggleTask, type ToggleAction } from './task-toggle.js';

export interface ToggleRow {
  sync: string;
  kind: 'profile' | 'event';
  /** The task (SPCS) or the control table's flag (external). */
  target: string;
  /** started / suspended (task), running / paused (external flag); null when unknown. */
  before: string | null;
  state: string | null;
  changed: boolean;
  sql: string | null;
  error: SyncError | null;
}

const flagState = (paused: boolean) => (paused ? 'paused' : 'running');

export function renderToggleTable(action: ToggleAction, rows: readonly ToggleRow[]): string {
  const cells = rows.map((r) => [r.sync, r.kind, r.target, r.error ? 'error' : `${r.before ?? '?'} → ${r.state ?? '?'}`, r.error ? '-' : r.changed ? 'yes' : 'no (already)']);
  const changed = rows.filter((r) => r.changed).length;
  const verb = action === 'suspend' ? 'Paused' : 'Resumed';
  const errors = errorNotes(rows);
  const follow = action === 'suspend' ? 'No scheduled runs until `batch-snowflake resume`.' : '`batch-snowflake run` runs every sync now.';
  return [renderTable(['sync', 'kind', 'task', 'state', 'changed'], cells), '', `${verb} ${changed} of ${rows.length} sync(s). ${follow}`, ...(errors.length > 0 ? ['', ...errors] : [])].join('\n');
}

function dryRunAll(action: ToggleAction, context: CommandContext, syncs: readonly Installed[]): CommandOutcome {
  const statements = syncs.map((one) => ({
    sync: one.sync,
    sql: scheduleMode(one.answers.schedule) === 'continuous' ? serviceToggleSql(one.names, action) : one.answers.runner === 'external' ? externalToggleSql(one, action) : taskToggleSql(one.names, action),
  }));
  context.output.info(context.output.style.dim('Dry run: nothing was executed (each statement runs only if that sync is not already in the wanted state).'));
  return { result: { dryRun: true, syncs: statements }, text: statements.map((s) => `-- sync ${s.sync}\n${s.sql};`).join('\n') };
}

export async function toggleAll(action: ToggleAction, dryRun: boolean, context: CommandContext, syncs: readonly Installed[]): Promise<CommandOutcome> {
  const live = syncs.filter(isSyncInstalled);
  if (dryRun) return dryRunAll(action, context, live);
  const shared = new SharedSession(context);
  let rows: ToggleRow[];
  try {
    const done = await forEachSync(live, context.signal, async (one): Promise<Omit<ToggleRow, 'sync' | 'kind' | 'error'>> => {
      const session = await shared.of(one);
      if (scheduleMode(one.answers.schedule) === 'continuous') {
        // The sync's service (its own session: service-state.ts); its status before is the other one when it changed.
        const result = (await toggleService(action, false, context, one)).result as { service: string; state: string | null; changed: boolean; sql?: string };
        return { target: result.service, before: result.changed ? null : result.state, state: result.state, changed: result.changed, sql: result.sql ?? null };
      }
      if (one.answers.runner === 'external') {
        const { result } = await toggleExternalOn(session, one, action, context);
        // setPaused says whether it changed the flag: before is the other state then, the same otherwise.
        return { target: `${result.table} (PAUSED)`, before: flagState(result.changed ? !result.paused : result.paused), state: flagState(result.paused), changed: result.changed, sql: result.changed ? externalToggleSql(one, action) : null };
      }
      const { result, before } = await toggleOn(session, one, action, context);
      return { target: one.taskSql, before, state: result.state, changed: result.changed, sql: result.sql ?? null };
    });
    rows = done.map((d) => ({ sync: d.sync.sync, kind: d.sync.answers.kind, ...(d.value ?? { target: d.sync.taskSql, before: null, state: null, changed: false, sql: null }), error: d.error ?? null }));
  } finally {
    await shared.close();
  }
  const skipped = syncs.filter((s) => !isSyncInstalled(s)).map((s) => s.sync);
  const note = skipped.length > 0 ? `\nNot installed (skipped): ${skipped.join(', ')}.` : '';
  return { result: { syncs: rows, notInstalled: skipped }, text: renderToggleTable(action, rows) + note, exitCode: worstExitCode(rows.map((r) => r.error?.exitCode ?? 0)) };
}

/** `pause` / `resume`: every sync without --sync on a project of several, else the one (task-toggle.ts). */
export async function toggleCommand(action: ToggleAction, dryRun: boolean, context: CommandContext, sync?: string): Promise<CommandOutcome> {
  const all = await allSyncsOrNull(context, sync);
  return all ? toggleAll(action, dryRun, context, all.syncs) : toggleTask(action, dryRun, context, sync);
}
