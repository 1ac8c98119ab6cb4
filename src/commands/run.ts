/**
 * `batch-snowflake run`: EXECUTE TASK now, wait (spinner on a TTY) for that run to finish by polling
 * TASK_HISTORY until --timeout, then print its summary from the runs table, or the failure with the last
 * lines of the job's log. Exit 0 succeeded/skipped, 10 partial (rejections), 11 failed, 12 still running
 * at the deadline (the run goes on in Snowflake).
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { RunOptions } from './options.js';
import { scheduleMode } from '../config/answers.js';
import { eventSyncUnsupported, loadInstalled, runEventSync, withInstalledSession, type Installed } from '../operate/installed.js';
import type { RunView } from '../operate/merge-runs.js';
import { renderRunSummary } from '../operate/render-status.js';
import { formatLogLine, jobOfRunView, readJobLogs, type JobLogs } from '../operate/service-logs.js';
import { requireTask } from '../operate/task-toggle.js';
import { describeResync, recordResync } from '../operate/resync-request.js';
import { readPaused } from '../operate/pause-flag.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { runStatus, summarizeRun, triggerRun, waitForRun } from '../operate/wait-run.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { usageError } from '../../shared/errors.js';

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

/** --resync on an external install: record the request, then one sync (or say it is queued while paused). */
async function resyncExternal(options: RunOptions, context: CommandContext, installed: Installed): Promise<CommandOutcome> {
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
  const outcome = await (await import('./sync.js')).run({ sync: options.sync, dryRun: false, restApiKeyStdin: false }, context);
  return { ...outcome, result: { ...(outcome.result as object), resync: recorded } };
}

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

export async function run(options: RunOptions, context: CommandContext): Promise<CommandOutcome> {
  // A few profiles now, from here (the worker's own code; why not as a job: src/commands/first-send.ts).
  if (options.limit !== undefined || options.ids !== undefined) return restrictedRun(options, context);
  const installed = await loadInstalled(context, options.sync);
  if (options.resync && installed.answers.runner === 'external') return resyncExternal(options, context, installed);
  // No task outside SPCS: `run` is one `sync` from here (the same worker code, the same records).
  if (installed.answers.runner === 'external') return (await import('./sync.js')).run({ sync: options.sync, dryRun: false, restApiKeyStdin: options.restApiKeyStdin }, context);
  if (scheduleMode(installed.answers.schedule) === 'continuous') {
    // No task to run: the service checks the stream every few seconds by itself.
    throw usageError('CONTINUOUS_NO_RUN', `Sync ${installed.sync} is continuous: its service runs the sync as soon as the stream has changes, so there is no task to run.`, {
      suggestion: '`batch-snowflake status` shows the service; `batch-snowflake logs` its last runs; `batch-snowflake run --limit N` sends a few profiles from here.',
    });
  }
  const task = installed.taskSql;
  return withInstalledSession(context, installed, async ({ session }) => {
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
  });
}
