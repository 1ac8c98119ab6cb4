/**
 * `batch-snowflake logs [--run ID] [--lines N]`: the worker container's log for the last run, or for the run
 * given (the RUN ID `status` shows, a TASK_HISTORY query id or the SPCS job id). A run that failed before its
 * job started has no container log: the error says why and names the last run that has one. Without --sync
 * on a project of several syncs: each sync's last run, under a heading (src/commands/logs-all.ts).
 */

import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { LogsOptions } from './options.js';
import { loadInstalled, withInstalledSession } from '../operate/installed.js';
import { allSyncsOrNull, syncRequiredFor } from '../operate/each-sync.js';
import { logsOn } from './logs-read.js';

export async function run(options: LogsOptions, context: CommandContext): Promise<CommandOutcome> {
  const all = await allSyncsOrNull(context, options.sync);
  if (all) {
    if (options.run !== undefined) throw syncRequiredFor('--run', all.syncs.map((s) => s.sync));
    return (await import('./logs-all.js')).logsAll(all.syncs, options, context);
  }
  const installed = await loadInstalled(context, options.sync);
  const logs = await withInstalledSession(context, installed, ({ session }) => logsOn(session, installed, options));
  context.output.info(logs.header);
  return { result: logs.result, text: logs.text };
}
