/**
 * `logs` without --sync on a project of several syncs: each sync's last run's container log, in config order,
 * under a heading with the sync's name, read on one session. A sync without a run yet (or not installed)
 * gets a note under its heading and does not fail the command; any other error is noted there too and sets
 * the exit code (the worst sync's). --json: `{ syncs: [{ sync, kind, …what logs --sync NAME returns | error }] }`.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { LogsOptions } from './options.js';
import type { Installed } from '../operate/installed.js';
import { forEachSync, SharedSession, worstExitCode, type SyncError } from '../operate/each-sync.js';
import { isSyncInstalled } from '../operate/status-overview.js';
import { logsOn, type SyncLogs } from './logs-read.js';

/** Not a failure of `logs` over every sync: nothing to show yet. */
const NOTHING_YET = new Set(['NO_RUN_YET', 'NOT_INSTALLED']);

export interface SyncLogsEntry {
  sync: string;
  kind: 'profile' | 'event';
  logs: SyncLogs | null;
  error: SyncError | null;
}

export const heading = (entry: Pick<SyncLogsEntry, 'sync' | 'kind'>) => `══ sync ${entry.sync} (${entry.kind}) ══`;

/** Pure: one section per sync. */
export function renderAllLogs(entries: readonly SyncLogsEntry[]): string {
  return entries
    .map((e) => {
      const body = e.logs
        ? [e.logs.header, e.logs.text]
        : [`(${e.error!.message})`, ...(e.error!.suggestion ? [`  → ${e.error!.suggestion}`] : [])];
      return [heading(e), ...body].join('\n');
    })
    .join('\n\n');
}

export const logsExitCode = (entries: readonly SyncLogsEntry[]) => worstExitCode(entries.map((e) => (e.error && !NOTHING_YET.has(e.error.code) ? e.error.exitCode : 0)));

export async function logsAll(syncs: readonly Installed[], options: LogsOptions, context: CommandContext): Promise<CommandOutcome> {
  const shared = new SharedSession(context);
  let entries: SyncLogsEntry[];
  try {
    const done = await forEachSync(syncs, context.signal, async (one) => {
      if (!isSyncInstalled(one)) return null;
      return logsOn(await shared.of(one), one, options);
    });
    entries = done.map((d) => {
      const id = { sync: d.sync.sync, kind: d.sync.answers.kind };
      if (d.error) return { ...id, logs: null, error: d.error };
      if (d.value) return { ...id, logs: d.value, error: null };
      const absent = { code: 'NOT_INSTALLED', kind: 'usage', message: 'nothing of this sync is installed', suggestion: 'batch-snowflake init', exitCode: 0 };
      return { ...id, logs: null, error: absent };
    });
  } finally {
    await shared.close();
  }
  const result = { syncs: entries.map((e) => ({ sync: e.sync, kind: e.kind, ...(e.logs ? e.logs.result : { error: e.error }) })) };
  return { result, text: renderAllLogs(entries), exitCode: logsExitCode(entries) };
}
