/**
 * `batch-snowflake run`: EXECUTE TASK now, wait (spinner on a TTY) for that run to finish by polling
 * TASK_HISTORY until --timeout, then print its summary from the runs table, or the failure with the last
 * lines of the job's log. Exit 0 succeeded/skipped, 10 partial (rejections), 11 failed, 12 still running
 * at the deadline (the run goes on in Snowflake).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { RunOptions } from './options.js';
import { scheduleMode } from '../config/answers.js';
import { eventSyncUnsupported, loadInstalled, runEventSync, withInstalledSession } from '../operate/installed.js';
import { allSyncsOrNull, syncRequiredFor } from '../operate/each-sync.js';
import { usageError } from '../../shared/errors.js';
import { resyncExternal, runTaskOn } from './run-task.js';

async function restrictedRun(options: RunOptions, context: CommandContext): Promise<CommandOutcome> {
  const { firstSend, parseIds, parseLimit } = await import('./first-send.js');
  if (options.limit !== undefined && options.ids !== undefined) throw usageError('INVALID_ARGUMENT', '--limit and --ids cannot be combined.', { suggestion: 'Pass --limit N for the first N pending changes, or --ids A,B,C for those IDs.' });
  const installed = await loadInstalled(context, options.sync);
  if (installed.answers.kind === 'event') {
    const flag = options.limit !== undefined ? '--limit' : '--ids';
    throw eventSyncUnsupported(installed.sync, `${flag} sends a few profiles' attributes now (/profiles/update)`, 'nothing was sent', `Send its pending events with \`${runEventSync(installed.sync)}\` (without ${flag}: the worker batches and paces them).`);
  }
  const restriction = options.limit !== undefined ? { kind: 'limit' as const, limit: parseLimit(options.limit) } : { kind: 'ids' as const, ids: parseIds(options.ids ?? '') };
  return firstSend(installed, { restriction, restApiKeyStdin: options.restApiKeyStdin }, context);
}

/** --resync re-sends a profile view; an event sync sends each event once and has nothing to re-send. */
export function resyncOfEventSync(sync: string) {
  return eventSyncUnsupported(sync, '--resync re-sends every row of a profile view (mass-update)', 'events are sent once, never re-sent: nothing was requested', `Send its pending events with \`${runEventSync(sync)}\` (without --resync).`);
}

/** A continuous sync has no task to run: its service runs the sync as soon as the stream has changes. */
export function continuousNoRun(sync: string) {
  return usageError('CONTINUOUS_NO_RUN', `Sync ${sync} is continuous: its service runs the sync as soon as the stream has changes, so there is no task to run.`, {
    suggestion: '`batch-snowflake status` shows the service; `batch-snowflake logs` its last runs; `batch-snowflake run --limit N` sends a few profiles from here.',
  });
}

export async function run(options: RunOptions, context: CommandContext): Promise<CommandOutcome> {
  const all = await allSyncsOrNull(context, options.sync);
  if (all) {
    // Several syncs, no --sync: --limit/--ids pick profiles of one sync; the rest runs every sync in turn.
    const flag = options.limit !== undefined ? '--limit' : options.ids !== undefined ? '--ids' : null;
    if (flag) throw syncRequiredFor(flag, all.syncs.map((s) => s.sync));
    return (await import('./run-all.js')).runAll(all.syncs, options, context);
  }
  // A few profiles now, from here (the worker's own code; why not as a job: src/commands/first-send.ts).
  if (options.limit !== undefined || options.ids !== undefined) return restrictedRun(options, context);
  const installed = await loadInstalled(context, options.sync);
  if (options.resync && installed.answers.kind === 'event') throw resyncOfEventSync(installed.sync);
  if (options.resync && installed.answers.runner === 'external') return resyncExternal(options, context, installed);
  // No task outside SPCS: `run` is one `sync` from here (the same worker code, the same records).
  if (installed.answers.runner === 'external') return (await import('./sync.js')).run({ sync: options.sync, dryRun: false, restApiKeyStdin: options.restApiKeyStdin }, context);
  if (scheduleMode(installed.answers.schedule) === 'continuous') throw continuousNoRun(installed.sync);
  return withInstalledSession(context, installed, ({ session }) => runTaskOn(session, installed, options, context));
}
