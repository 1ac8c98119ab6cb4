/**
 * One sync's container log for its last (or a chosen) run, on a connected session: `logs --sync NAME`
 * (src/commands/logs.ts) and `logs` of every sync (src/commands/logs-all.ts).
 */
import type { LogsOptions } from './options.js';
import { UserError, usageError } from '../../shared/errors.js';
import { serverNow, type Installed } from '../operate/installed.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
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

export interface SyncLogs {
  header: string;
  result: { run: RunView; jobId: string; job: string; via: string; source: string; lines: string[] } | { service: string; source: string; lines: string[] };
  text: string;
}

/** The container log of one sync's last (or chosen) run, on a connected session. */
export async function logsOn(session: SnowflakeSession, installed: Installed, options: Pick<LogsOptions, 'run' | 'lines'>): Promise<SyncLogs> {
  if (scheduleMode(installed.answers.schedule) === 'continuous' && options.run === undefined) {
    // The long-running service's container log (SYSTEM$GET_SERVICE_LOGS, reference §3.4): every run of the loop.
    const service = renderQualifiedName(installed.names.service);
    const { rows } = await session.query<{ LOGS: unknown }>(`SELECT SYSTEM$GET_SERVICE_LOGS(${sqlLiteral(service)}, 0, ${sqlLiteral(WORKER_CONTAINER_NAME)}, ${Math.max(1, Math.floor(options.lines))}) AS LOGS`);
    const lines = String(rows[0]?.LOGS ?? '').split(/\r?\n/).filter((line) => line !== '');
    return { header: `Service ${service} (continuous), last ${lines.length} line(s):`, result: { service, source: 'SYSTEM$GET_SERVICE_LOGS', lines }, text: lines.length > 0 ? lines.map(formatLogLine).join('\n') : '(the service wrote no log lines yet)' };
  }
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
  const text = logs.lines.length > 0 ? logs.lines.map(formatLogLine).join('\n') : '(the job wrote no log lines)';
  return { header, text, result: { run: chosen, jobId: logs.jobId, job: logs.job, via: logs.via, source: logs.source, lines: logs.lines } };
}
