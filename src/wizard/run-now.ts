/**
 * `init --run-now`: the plan's last step sends EXECUTE TASK (through `startRun`, which notes the server time
 * just before it); after the config is saved, `firstRunOutcome` waits for that run in TASK_HISTORY (deadline,
 * polling with back-off) and shows its result the way `batch-snowflake run` does, with the operate readers:
 * the worker's runs table for the summary, the job's log lines (SYSTEM$GET_SERVICE_LOGS) when it failed.
 * EXECUTE TASK returns no run id (reference §5.2), hence the time-based match in src/operate/wait-run.ts.
 */
import type { CommandOutcome } from '../runtime/context.js';
import { serverNow } from '../operate/installed.js';
import { mergeRuns, type RunView } from '../operate/merge-runs.js';
import { renderRunSummary } from '../operate/render-status.js';
import { readRunRecords } from '../operate/run-records.js';
import { formatLogLine, jobOfRunView, readJobLogs, type JobLogs } from '../operate/service-logs.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { triggerRun, waitForRun } from '../operate/wait-run.js';
import type { ResolvedNames } from '../plan/names.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Wizard } from './context.js';

/** A job on a compute pool that was suspended can take minutes to start (the pool resumes first, §2.2). */
export const RUN_NOW_TIMEOUT_SECONDS = 900;
const FAILURE_LOG_LINES = 40;

export interface FirstRun {
  /** Sends EXECUTE TASK (the executor's run-now step); remembers when. */
  start(): Promise<void>;
  /** null when the run-now step did not run. */
  since(): Date | null;
}

export function firstRunStarter(session: SnowflakeSession, names: ResolvedNames): FirstRun {
  let since: Date | null = null;
  return {
    start: async () => {
      since = await triggerRun(session, names);
    },
    since: () => since,
  };
}

export interface FirstRunReport {
  result: Record<string, unknown>;
  /** Lines appended to init's closing text. */
  lines: string[];
  /** Set when the first run did not succeed (same codes as `batch-snowflake run`). */
  exitCode?: CommandOutcome['exitCode'];
}

async function jobLogs(w: Wizard, session: SnowflakeSession, names: ResolvedNames, view: RunView): Promise<JobLogs | null> {
  const job = jobOfRunView(view);
  if (!job) return null;
  try {
    return await readJobLogs(session, names, job, FAILURE_LOG_LINES);
  } catch (error) {
    w.output.warn(`Could not read the job's log: ${(error as Error).message}`);
    return null;
  }
}

export async function firstRunOutcome(w: Wizard, session: SnowflakeSession, names: ResolvedNames, since: Date, timeoutSeconds = RUN_NOW_TIMEOUT_SECONDS): Promise<FirstRunReport> {
  const waited = await w.output.step(
    `Waiting for the first run to finish (up to ${timeoutSeconds} s)`,
    () => waitForRun(session, names, since, { timeoutMs: timeoutSeconds * 1000, signal: w.signal }),
    (r) => (r.timedOut ? `First run still going after ${timeoutSeconds} s` : `First run finished (${r.run?.state.toLowerCase() ?? 'state unknown'})`),
  );
  if (waited.timedOut || !waited.run) {
    const seen = waited.run ? `it is ${waited.run.state.toLowerCase()}` : 'TASK_HISTORY does not show it yet';
    return {
      result: { timedOut: true, state: waited.run?.state ?? null },
      lines: [`First run: not finished within ${timeoutSeconds} s (${seen}); it goes on in Snowflake.`, '  next: batch-snowflake status'],
      exitCode: OPERATE_EXIT_CODES.timedOut,
    };
  }
  if (waited.run.state === 'SKIPPED') {
    return { result: { skipped: true }, lines: ['First run: skipped, the stream has no changes to send (the task runs only WHEN SYSTEM$STREAM_HAS_DATA).'] };
  }
  const records = (await readRunRecords(session, names, 5)) ?? [];
  const [view] = mergeRuns([waited.run], records, 1, await serverNow(session));
  const run = view!;
  const summary = `First run — ${renderRunSummary(run)}`;
  if (run.outcome === 'failed' || run.outcome === 'cancelled') {
    const logs = await jobLogs(w, session, names, run);
    const lines = logs?.lines ?? [];
    const shown = lines.length > 0 ? [`Last ${lines.length} log line(s) of job ${logs!.job}:`, ...lines.map((l) => `  ${formatLogLine(l)}`)] : [];
    return {
      result: { run, job: logs?.job ?? null, logLines: lines },
      lines: [summary, ...shown, `  next: ${run.spcsJobId ? 'batch-snowflake logs' : 'batch-snowflake status'} (fix the cause, then: batch-snowflake run)`],
      exitCode: OPERATE_EXIT_CODES.failing,
    };
  }
  if (run.outcome === 'partial') {
    return { result: { run }, lines: [summary, '  next: batch-snowflake status   (rejected values grouped by reason)'], exitCode: OPERATE_EXIT_CODES.degraded };
  }
  return { result: { run }, lines: [summary] };
}
