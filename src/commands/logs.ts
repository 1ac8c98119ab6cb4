/**
 * `batch-snowflake logs [--run ID] [--lines N]`: the worker container's log for the last run, or for the run
 * given (the RUN ID `status` shows, a TASK_HISTORY query id or the SPCS job id). A run that failed before its
 * job started has no container log: the error says why and names the last run that has one.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { LogsOptions } from './options.js';
import { UserError, usageError } from '../../shared/errors.js';
import { loadInstalled, serverNow, withInstalledSession } from '../operate/installed.js';
import { mergeRuns, type RunView } from '../operate/merge-runs.js';
import { when } from '../operate/render-status.js';
import { readRunRecords } from '../operate/run-records.js';
import { formatLogLine, jobOfRunView, readJobLogs, WORKER_CONTAINER_NAME } from '../operate/service-logs.js';
import { scheduleMode } from '../config/answers.js';
import { renderQualifiedName } from '../../shared/sql/identifiers.js';
import { sqlLiteral } from '../../shared/sql/literals.js';
import { executedRuns, readTaskHistory } from '../operate/task-history.js';
import { oneLine } from '../operate/verdict.js';

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
  const [last] = runs;
  if (!last) throw new UserError('sql', 'NO_RUN_YET', 'The task has not run yet: there are no logs.', { suggestion: 'Run it now: batch-snowflake run' });
  return last;
}

export async function run(options: LogsOptions, context: CommandContext): Promise<CommandOutcome> {
  const installed = await loadInstalled(context, options.sync);
  if (scheduleMode(installed.answers.schedule) === 'continuous' && options.run === undefined) {
    // The long-running service's container log (SYSTEM$GET_SERVICE_LOGS, reference §3.4): every run of the loop.
    return withInstalledSession(context, installed, async ({ session }) => {
      const service = renderQualifiedName(installed.names.service);
      const { rows } = await session.query<{ LOGS: unknown }>(`SELECT SYSTEM$GET_SERVICE_LOGS(${sqlLiteral(service)}, 0, ${sqlLiteral(WORKER_CONTAINER_NAME)}, ${Math.max(1, Math.floor(options.lines))}) AS LOGS`);
      const lines = String(rows[0]?.LOGS ?? '').split(/\r?\n/).filter((line) => line !== '');
      context.output.info(`Service ${service} (continuous), last ${lines.length} line(s):`);
      return { result: { service, source: 'SYSTEM$GET_SERVICE_LOGS', lines }, text: lines.length > 0 ? lines.map(formatLogLine).join('\n') : '(the service wrote no log lines yet)' };
    });
  }
  return withInstalledSession(context, installed, async ({ session }) => {
    const [history, records, now] = await Promise.all([
      readTaskHistory(session, installed.names),
      readRunRecords(session, installed.names, 200),
      serverNow(session),
    ]);
    const runs = mergeRuns(executedRuns(history), records ?? [], 500, now);
    const chosen = pickRun(runs, options.run);
    if (!chosen.spcsJobId) {
      const earlier = runs.find((r) => r.spcsJobId !== null);
      const why = chosen.outcome === 'running' ? 'has not started its container job yet' : `did not start a container job${chosen.error ? ` (${oneLine(chosen.error)})` : ''}`;
      throw new UserError('sql', 'NO_JOB_FOR_RUN', `Run ${chosen.id} (${chosen.outcome}, ${when(chosen.startedAt)}) ${why}, so it has no container logs.`, {
        suggestion: chosen.outcome === 'running' ? 'Wait a moment and rerun `batch-snowflake logs`.' : `Fix the cause, then: batch-snowflake run${earlier ? `. Logs of the last run that had a job: batch-snowflake logs --run ${earlier.id}` : ''}`,
        details: { run: chosen },
      });
    }
    const logs = await readJobLogs(session, installed.names, jobOfRunView(chosen)!, options.lines);
    const header = `Run ${chosen.id} (${chosen.outcome}, started ${when(chosen.startedAt)}), job ${logs.job}, last ${logs.lines.length} line(s):`;
    context.output.info(header);
    const text = logs.lines.length > 0 ? logs.lines.map(formatLogLine).join('\n') : '(the job wrote no log lines)';
    return { result: { run: chosen, jobId: logs.jobId, job: logs.job, via: logs.via, source: logs.source, lines: logs.lines }, text };
  });
}
