/**
 * `--loop-interval-seconds N`: the worker as a long-running SPCS service (init's `continuous` schedule). One
 * connection for the whole life of the container; every N seconds one cheap check,
 * `SELECT SYSTEM$STREAM_HAS_DATA(<stream>) [OR SYSTEM$STREAM_HAS_DATA(<marker stream>)]` (the same condition a
 * task's WHEN uses, https://docs.snowflake.com/en/sql-reference/functions/system_stream_has_data), and a full
 * run (lock, capture, send) only when it is true; after a successful run it checks again at once. A failed run is logged and retried at the next poll (the marker
 * keeps the condition true); a failed poll (connection lost, token expired) ends the process with exit code 1 so
 * that Snowflake restarts the container with a fresh token ("if a service container stops, for whatever reason,
 * Snowflake restarts that container", .../snowpark-container-services/working-with-services). SIGTERM (ALTER
 * SERVICE … SUSPEND, DROP SERVICE) stops it between polls or mid-run like a one-off run.
 */
import { sqlLiteral } from '../shared/sql/literals.js';
import type { SnowflakeSession } from '../shared/snowflake/types.js';
import type { WorkerOptions } from './options-types.js';
import { errorFields, type Logger } from './sync/log.js';
import { stateTables } from './sync/state-tables.js';
import { pause } from '../shared/pause.js';

/** What the loop needs of run-worker.ts's context and outcome (kept structural: run-worker.ts imports this module). */
interface LoopContext {
  log: Logger;
  signal: AbortSignal;
}
interface LoopOutcome {
  exitCode: number;
  status: string;
  error?: Record<string, unknown>;
}

function hasDataSql(options: WorkerOptions): string {
  const streams = [options.sourceStream.sql];
  if (options.pendingMarker) streams.push(stateTables(options.stateSchema?.sql ?? null, options.syncName).pendingStream);
  return `SELECT ${streams.map((s) => `SYSTEM$STREAM_HAS_DATA(${sqlLiteral(s)})`).join(' OR ')} AS HAS_DATA`;
}

export async function runLoop<C extends LoopContext, O extends LoopOutcome>(session: SnowflakeSession, options: WorkerOptions, context: C, lockedRun: (session: SnowflakeSession, options: WorkerOptions, context: C) => Promise<O>): Promise<O | LoopOutcome> {
  const { log, signal } = context;
  const intervalMs = (options.loopIntervalSeconds ?? 1) * 1000;
  const sql = hasDataSql(options);
  let last: O | LoopOutcome = { exitCode: 0, status: 'SUCCESS' };
  let runs = 0;
  log.info('loop.start', { intervalSeconds: options.loopIntervalSeconds, check: sql });
  while (!signal.aborted) {
    let hasData: boolean;
    try {
      const { rows } = await session.query<{ HAS_DATA: unknown }>(sql);
      hasData = rows[0]?.HAS_DATA === true;
    } catch (error) {
      if (signal.aborted) break;
      log.error('loop.poll_failed', { ...errorFields(error), action: 'exit; the service restarts the container' });
      return { exitCode: 1, status: 'ERROR', error: errorFields(error) };
    }
    if (hasData) {
      last = await lockedRun(session, options, context);
      runs += 1;
      if (last.status === 'ERROR' && !signal.aborted) log.warn('loop.run_failed', { action: `retried at the next poll in ${options.loopIntervalSeconds} s` });
    }
    // Right after a successful run more changes may have arrived while it sent: check again at once.
    if (!hasData || last.status === 'ERROR') await pause(intervalMs, signal);
  }
  log.info('loop.stop', { runs, reason: String((signal.reason as Error | undefined)?.message ?? 'stopped') });
  // Stopped by a signal: a clean exit whatever the last run did (its outcome is in the runs table).
  return { ...last, exitCode: 0 };
}
