/**
 * `batch-snowflake status`: verdict first (healthy / degraded / failing) with the next command, then the
 * task, image, stream, outbox, last runs and rejected attributes. Exit code 0 healthy, 10 degraded,
 * 11 failing (OPERATE_EXIT_CODES), so scripts and monitors can act on it.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { StatusOptions } from './options.js';
import { loadInstalled, withInstalledSession } from '../operate/installed.js';
import { renderStatus } from '../operate/render-status.js';
import { gatherStatus } from '../operate/status-report.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';

export async function run(options: StatusOptions, context: CommandContext): Promise<CommandOutcome> {
  const installed = await loadInstalled(context);
  const report = await withInstalledSession(context, installed, ({ session }) =>
    context.output.step('Reading the sync state', () => gatherStatus(session, installed, options.runs), (r) => `Sync is ${r.verdict.level}`),
  );
  return { result: report, text: renderStatus(report), exitCode: OPERATE_EXIT_CODES[report.verdict.level] };
}
