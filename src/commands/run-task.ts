/**
 * `run` on the SPCS path, on a connected session: EXECUTE TASK now, wait for that run by polling TASK_HISTORY
 * until --timeout, then its summary from the runs table, or the failure with the last lines of the job's log.
 * `run` of one sync (src/commands/run.ts) and of every sync (src/commands/run-all.ts) share it, and the
 * external path's --resync.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { RunOptions } from './options.js';
import { withInstalledSession, type Installed } from '../operate/installed.js';
import { readPaused } from '../operate/pause-flag.js';
import type { RunView } from '../operate/merge-runs.js';
import { renderRunSummary } from '../operate/render-status.js';
import { formatLogLine, jobOfRunView, readJobLogs, type JobLogs } from '../operate/service-logs.js';
import { requireTask } from '../operate/task-toggle.js';
import { describeResync, recordResync } from '../operate/resync-request.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { runStatus, summarizeRun, triggerRun, waitForRun } from '../operate/wait-run.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';

const FAILURE_LOG_LINES = 40;

async function failureLogs(session: SnowflakeSession, installed: Installed, view: RunView, context: CommandContext): Promise<JobLogs | null> {
  const job = jobOfRunView(view);
  if (!job) return null;
  try {
    return await readJobLogs(session, installed.names, job, FAILURE_LOG_LINES);
  } catch (error) {
    context.output.warn(`Could not read the job's log: ${(error as Error).message}`);
    return null;
  }
}

export type TaskRunOptions = Pick<RunOptions, 'wait' | 'timeout' | 'resync'>;

export async function runTaskOn(session: SnowflakeSession, installed: Installed, options: TaskRunOptions, context: CommandContext): Promise<CommandOutcome> {
  const task = installed.taskSql;
  const before = await requireTask(session, installed);
  if (options.resync) {
    const recorded = await context.output.step('Recording the resync request', () => recordResync(session, installed, new Date()));
    context.output.info(describeResync(recorded));
    if (before.state === 'suspended') {
      const text = 'The task is paused: the resync is queued; the first run after `batch-snowflake resume` re-sends every row.';
      context.output.warn(text);
      return { result: { task, resync: { ...recorded, queued: true } }, text };
    }
  }
  if (before.state === 'suspended') context.output.info(`The task is paused; this runs it once without resuming it (\`batch-snowflake resume\` restarts the schedule).`);
  const since = await context.output.step(`Starting ${task}`, () => triggerRun(session, installed.names), () => `Started ${task} (EXECUTE TASK)`);
  if (!options.wait) {
    return { result: { task, started: true, since: since.toISOString() }, text: `Started a run of ${task}. Follow it with \`batch-snowflake status\`.` };
  }
  const waited = await context.output.step(
    `Waiting for the run to finish (up to ${options.timeout} s)`,
    () => waitForRun(session, installed.names, since, { timeoutMs: options.timeout * 1000, signal: context.signal }),
    (w) => (w.timedOut ? { text: `Still running after ${options.timeout} s`, status: 'warn' } : { text: `Run ${w.run?.state.toLowerCase() ?? 'finished'}`, status: runStatus(w.run?.state) }),
  );
  if (waited.timedOut || !waited.run) {
    const seen = waited.run ? `it is ${waited.run.state.toLowerCase()}` : 'TASK_HISTORY does not show it yet';
    return {
      result: { task, timedOut: true, state: waited.run?.state ?? null, queryId: waited.run?.queryId ?? null },
      text: `The run did not finish within ${options.timeout} s (${seen}); it goes on in Snowflake.\n  next: batch-snowflake status   (or wait longer: batch-snowflake run --timeout SECONDS)`,
      exitCode: OPERATE_EXIT_CODES.timedOut,
    };
  }
  if (waited.run.state === 'SKIPPED') {
    return { result: { task, skipped: true, run: waited.run }, text: 'Skipped: the stream has no changes to send (the task runs only WHEN SYSTEM$STREAM_HAS_DATA).' };
  }
  const view = await summarizeRun(session, installed.names, waited.run);
  if (view.outcome === 'failed' || view.outcome === 'cancelled') {
    const logs = await failureLogs(session, installed, view, context);
    const shown = logs && logs.lines.length > 0 ? ['', `Last ${logs.lines.length} log line(s) of job ${logs.job}:`, ...logs.lines.map((l) => `  ${formatLogLine(l)}`)] : [];
    const next = view.spcsJobId ? 'batch-snowflake logs' : 'batch-snowflake status';
    return {
      result: { task, run: view, job: logs?.job ?? null, logLines: logs?.lines ?? [] },
      text: [renderRunSummary(view), ...shown, '', `  next: ${next}`].join('\n'),
      exitCode: OPERATE_EXIT_CODES.failing,
    };
  }
  const partial = view.outcome === 'partial';
  return {
    result: { task, run: view },
    text: partial ? `${renderRunSummary(view)}\n  next: batch-snowflake status   (rejected values grouped by reason)` : renderRunSummary(view),
    exitCode: partial ? OPERATE_EXIT_CODES.degraded : 0,
  };
}

/** --resync on an external install: record the request, then one sync (or say it is queued while paused). */
export async function resyncExternal(options: RunOptions, context: CommandContext, installed: Installed): Promise<CommandOutcome> {
  const { recorded, paused } = await withInstalledSession(context, installed, async ({ session }) => ({
    recorded: await context.output.step('Recording the resync request', () => recordResync(session, installed, new Date())),
    paused: await readPaused(session, installed),
  }));
  context.output.info(describeResync(recorded));
  if (paused) {
    const text = 'The sync is paused: the resync is queued; the first `batch-snowflake sync` after `batch-snowflake resume` re-sends every row.';
    context.output.warn(text);
    return { result: { resync: { ...recorded, queued: true } }, text };
  }
  const outcome = await (await import('./sync.js')).run({ sync: installed.sync, dryRun: false, restApiKeyStdin: false }, context);
  return { ...outcome, result: { ...(outcome.result as object), resync: recorded } };
}
