/**
 * `batch-snowflake logs [--run ID] [--lines N]`: the worker container's log for the last run that started a
 * job, or for the run given (the RUN ID `status` shows, a TASK_HISTORY query id or the SPCS job id).
 */
import type { CommandContext, CommandOutcome } from '../cli/command-spec.js';
import type { LogsOptions } from '../cli/commands/operate.js';
import { UserError, usageError } from '../core/errors.js';
import { loadInstalled, serverNow, withInstalledSession } from '../operate/installed.js';
import { mergeRuns, type RunView } from '../operate/merge-runs.js';
import { when } from '../operate/render-status.js';
import { readRunRecords } from '../operate/run-records.js';
import { formatLogLine, readJobLogs } from '../operate/service-logs.js';
import { executedRuns, readTaskHistory } from '../operate/task-history.js';

function pickRun(runs: readonly RunView[], wanted: string | undefined): RunView {
  if (wanted !== undefined) {
    const run = runs.find((r) => r.id === wanted || r.queryId === wanted || r.spcsJobId === wanted);
    if (!run) {
      throw usageError('RUN_NOT_FOUND', `No run ${wanted} in the last 7 days of task history or in the runs table.`, {
        suggestion: '`batch-snowflake status --runs 50` lists recent runs with their RUN ID.',
      });
    }
    return run;
  }
  const run = runs.find((r) => r.spcsJobId !== null);
  if (!run) {
    throw new UserError('sql', 'NO_JOB_RUN', runs.length === 0 ? 'The task has not run yet: there are no logs.' : 'None of the recent runs started a container job (TASK_HISTORY.SPCS_JOB_ID is empty).', {
      suggestion: runs.length === 0 ? 'Run it now: batch-snowflake run' : '`batch-snowflake status` shows why the runs failed before starting the job.',
    });
  }
  return run;
}

export async function run(options: LogsOptions, context: CommandContext): Promise<CommandOutcome> {
  const installed = await loadInstalled(context);
  return withInstalledSession(context, installed, async ({ session }) => {
    const [history, records, now] = await Promise.all([
      readTaskHistory(session, installed.names),
      readRunRecords(session, installed.names, 200),
      serverNow(session),
    ]);
    const runs = mergeRuns(executedRuns(history), records ?? [], 500, now);
    const chosen = pickRun(runs, options.run);
    if (!chosen.spcsJobId) {
      throw new UserError('sql', 'NO_JOB_FOR_RUN', `Run ${chosen.id} (${chosen.outcome}) did not start a container job, so there are no container logs${chosen.error ? `: ${chosen.error}` : '.'}`, {
        suggestion: 'Fix the cause shown above, then: batch-snowflake run',
      });
    }
    const logs = await readJobLogs(session, installed.names, chosen.spcsJobId, options.lines);
    const header = `Run ${chosen.id} (${chosen.outcome}, started ${when(chosen.startedAt)}), job ${logs.jobId}, last ${logs.lines.length} line(s):`;
    context.output.info(header);
    const text = logs.lines.length > 0 ? logs.lines.map(formatLogLine).join('\n') : '(the job wrote no log lines)';
    return { result: { run: chosen, jobId: logs.jobId, source: logs.source, lines: logs.lines }, text };
  });
}
