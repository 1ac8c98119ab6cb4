/**
 * `batch-snowflake status`: verdict first (healthy / degraded / failing) with the next command, then the
 * task, image, stream, outbox, last runs and rejected attributes. Exit code 0 healthy, 10 degraded,
 * 11 failing (OPERATE_EXIT_CODES), so scripts and monitors can act on it. On a project of several syncs
 * without --sync: one line per sync (src/operate/status-overview.ts), exit code the worst sync's; with --cost, each
 * sync's cost and the actual credits of the shared pool and warehouse, read once (src/operate/overview-cost.ts).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { StatusOptions } from './options.js';
import { loadInstalled, withInstalledSession } from '../operate/installed.js';
import { loadProjectConfig } from '../config/project-config.js';
import { scheduleMode } from '../config/answers.js';
import { gatherOverview, overviewExitCode, renderOverview } from '../operate/status-overview.js';
import { renderStatus } from '../operate/render-status.js';
import { gatherStatus } from '../operate/status-report.js';
import { sharingMetadataReads } from '../operate/metadata-reads.js';
import { OPERATE_EXIT_CODES, VERDICT_STATUS } from '../operate/verdict.js';

/**
 * After `uninstall` (or an init that never got as far as the task) the config keeps the answers but records
 * no task: that is "not installed", said without connecting — not "failing, the task is missing".
 */
function notInstalledOutcome(configPath: string): CommandOutcome {
  const verdict = { level: 'not installed', reasons: [`${configPath} keeps the answers, but nothing batch-snowflake created is installed (uninstalled, or never set up)`], next: 'batch-snowflake init' };
  return {
    result: { installed: false, verdict },
    text: `○ not installed — ${verdict.reasons[0]}\n  next: ${verdict.next}   # sets it up again from the saved answers`,
    exitCode: OPERATE_EXIT_CODES.notInstalled,
  };
}

export async function run(options: StatusOptions, context: CommandContext): Promise<CommandOutcome> {
  if (options.sync === undefined) {
    // Several syncs and no --sync: one line each (the commands that act still refuse to guess: SYNC_REQUIRED).
    const config = await loadProjectConfig(context.configPath);
    if (config && config.syncs.length > 1) {
      if (!config.created.some((object) => object.type === 'TASK' || object.type === 'STREAM' || object.type === 'SERVICE')) return notInstalledOutcome(context.configPath);
      const overview = await gatherOverview(context, config, { cost: options.cost === true, runs: options.runs });
      return { result: overview, text: renderOverview(overview), exitCode: overviewExitCode(overview.syncs) };
    }
  }
  const installed = await loadInstalled(context, options.sync);
  // An external install has no task: its stream is what init created for it.
  const anchor = installed.answers.runner === 'external' ? 'STREAM' : scheduleMode(installed.answers.schedule) === 'continuous' ? 'SERVICE' : 'TASK';
  if (!installed.config.created.some((object) => object.type === anchor)) return notInstalledOutcome(context.configPath);
  const report = await withInstalledSession(context, installed, ({ session }) =>
    context.output.step('Reading the sync state', () => gatherStatus(sharingMetadataReads(session), installed, options.runs, { cost: options.cost === true }), (r) => ({ text: `Sync is ${r.verdict.level}`, status: VERDICT_STATUS[r.verdict.level] })),
  );
  return { result: report, text: renderStatus(report), exitCode: OPERATE_EXIT_CODES[report.verdict.level] };
}
