/**
 * `run`: EXECUTE TASK "manually triggers an asynchronous single run" and returns no run id (reference
 * §5.2), so the run is found in TASK_HISTORY as the first run scheduled at or after the server time taken
 * just before the statement (SCHEDULED_FROM = 'EXECUTE TASK' when the column says so), then polled until its
 * STATE is final or the deadline passes. Polling starts at 1 s and backs off to 5 s.
 */
import type { ResolvedNames } from '../plan/names.js';
import type { SnowflakeSession } from '../../shared/snowflake/types.js';
import { serverNow } from './installed.js';
import { mergeRuns, type RunView } from './merge-runs.js';
import { readRunRecords } from './run-records.js';
import { FAILED_STATES, FINISHED_STATES, readTaskHistory, type TaskRun } from './task-history.js';
import { executeTaskSql } from './task-state.js';
import { pause } from '../../shared/pause.js';

/** The symbol of the step line that reports a finished run: a failed or cancelled run is not a ✔. */
export function runStatus(state: string | undefined): 'ok' | 'warn' | 'fail' {
  if (state === undefined) return 'warn';
  if (FAILED_STATES.has(state)) return 'fail';
  return state === 'CANCELLED' ? 'warn' : 'ok';
}

export interface WaitOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** Called whenever the run's state changes (e.g. to update a spinner). */
  onState?: (state: string) => void;
  /** First poll interval (ms); doubles up to maxPollMs. */
  pollMs?: number;
  maxPollMs?: number;
}

export interface WaitResult {
  /** The run, in its last seen state; null if TASK_HISTORY never showed it before the deadline. */
  run: TaskRun | null;
  timedOut: boolean;
}

/** Sends EXECUTE TASK; returns the server time just before it (the lower bound of the run's SCHEDULED_TIME). */
export async function triggerRun(session: SnowflakeSession, names: ResolvedNames): Promise<Date> {
  const before = await serverNow(session);
  await session.query(executeTaskSql(names));
  return before;
}

function ourRun(runs: readonly TaskRun[], since: Date): TaskRun | null {
  const candidates = runs
    .filter((run) => run.scheduledTime !== null && run.scheduledTime.getTime() >= since.getTime() - 1000)
    .filter((run) => run.scheduledFrom === null || run.scheduledFrom.toUpperCase() === 'EXECUTE TASK');
  // Newest first in TASK_HISTORY: ours is the earliest one triggered after `since`.
  return candidates[candidates.length - 1] ?? null;
}

export async function waitForRun(session: SnowflakeSession, names: ResolvedNames, since: Date, options: WaitOptions): Promise<WaitResult> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.pollMs ?? 1000;
  let run: TaskRun | null = null;
  let lastState = '';
  for (;;) {
    const history = await readTaskHistory(session, names, { since: new Date(since.getTime() - 60_000), limit: 100 });
    run = ourRun(history.runs, since) ?? run;
    if (run && run.state !== lastState) {
      lastState = run.state;
      options.onState?.(run.state);
    }
    if (run && FINISHED_STATES.has(run.state)) return { run, timedOut: false };
    const left = deadline - Date.now();
    if (left <= 0 || options.signal.aborted) return { run, timedOut: !options.signal.aborted };
    await pause(Math.min(interval, left), options.signal);
    interval = Math.min(interval * 2, options.maxPollMs ?? 5000);
  }
}

/**
 * The finished run with the worker's counts. Only records that began after this run started can be its own: a
 * run that failed before its job started has none, and must not borrow the previous run's record.
 */
export async function summarizeRun(session: SnowflakeSession, names: ResolvedNames, run: TaskRun): Promise<RunView> {
  const start = (run.queryStartTime ?? run.scheduledTime)?.getTime() ?? 0;
  const records = ((await readRunRecords(session, names, 5)) ?? []).filter((r) => (r.startedAt?.getTime() ?? 0) >= start);
  const [view] = mergeRuns([run], records, 1, await serverNow(session));
  return view!;
}
