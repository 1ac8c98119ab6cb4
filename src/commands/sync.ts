/**
 * `batch-snowflake sync`: one sync run from this machine, for installs whose sync runs outside Snowflake
 * (`init --runner external`): cron, CI, Kubernetes or a person. It calls the worker's own run function
 * (worker/run-worker.ts, the code the image runs; the one import of worker/ allowed in src/, see
 * .dependency-cruiser.cjs) with the install's arguments and this CLI's connection (flags, connections.toml,
 * key pair / PAT / OAuth), so it writes the same BATCH_SYNC_RUNS / REJECTED records `status` reads.
 *
 * Exit codes for schedulers: 0 sent (or nothing to send, or paused), 10 partial (values rejected),
 * 11 the run failed, 75 another run holds the lock (try later), 2/3/4/5/7 usage/connection/permission/SQL/
 * Batch API errors before or during the run.
 */
import type { CommandContext, CommandOutcome } from '../runtime/context.js';
import type { SyncOptions } from './options.js';
import { usageError } from '../../shared/errors.js';
import { loadInstalled, type Installed } from '../operate/installed.js';
import { OPERATE_EXIT_CODES } from '../operate/verdict.js';
import { workerArgs } from '../plan/task-steps.js';
import { restKey, workerConnection, workerEnv } from './worker-env.js';
import { createJsonLogger, runWorkerOnce, type WorkerOutcome } from '../../worker/run-worker.js';

/** Errors of these kinds keep their own exit code; any other failed run is 11. */
const KEPT_EXIT_CODES = new Set([2, 3, 4, 5, 7, 130, 143]);

function runsInSnowflake(installed: Installed): Error {
  const { schedule } = installed.answers;
  return usageError('SYNC_RUNS_IN_SNOWFLAKE', `This install runs the sync on Snowpark Container Services: the task ${installed.taskSql} runs it every ${schedule}, so \`sync\` does not run it from here.`, {
    suggestion: 'Run it now with `batch-snowflake run` (EXECUTE TASK, waits for the result); `batch-snowflake status` shows the last runs. To run the sync from your own scheduler instead, rerun `batch-snowflake init --runner external`.',
  });
}

function exitCodeOf(outcome: WorkerOutcome): number {
  switch (outcome.status) {
    case 'PARTIAL':
      return OPERATE_EXIT_CODES.degraded;
    case 'ERROR':
      return KEPT_EXIT_CODES.has(outcome.exitCode) ? outcome.exitCode : OPERATE_EXIT_CODES.failing;
    default:
      return outcome.exitCode;
  }
}

function describe(outcome: WorkerOutcome): string {
  const s = outcome.summary;
  switch (outcome.status) {
    case 'SUCCESS':
    case 'PARTIAL': {
      const counts = `${s?.rowsCaptured ?? 0} change(s) captured, ${s?.profilesSent ?? 0} profile(s) sent in ${s?.requests ?? 0} request(s)`;
      const rejected = (s?.rowsRejected ?? 0) + (s?.attributesRejected ?? 0);
      return outcome.status === 'SUCCESS' ? `Sync run ${s?.runId ?? ''} succeeded: ${counts}.` : `Sync run ${s?.runId ?? ''} partial: ${counts}; ${rejected} rejected value(s).\n  next: batch-snowflake status   (rejected values grouped by reason)`;
    }
    case 'PAUSED':
      return 'The sync is paused: nothing was read or sent.\n  next: batch-snowflake resume';
    case 'LOCKED':
      return `Another run of this sync is in progress (lock held until ${outcome.lock?.expiresAt ?? '?'} unless renewed): nothing was read or sent. Try again later; a crashed run's lock expires by itself.`;
    case 'DRY_RUN':
      return 'Dry run: nothing was sent, written or consumed (rerun with --verbose for the preview).';
    default: {
      const error = outcome.error ?? {};
      const suggestion = typeof error.suggestion === 'string' ? `\n  → ${error.suggestion}` : '';
      return `Sync run failed: ${String(error.error ?? 'unknown error')}${suggestion}\n  next: batch-snowflake status`;
    }
  }
}

export async function run(options: SyncOptions, context: CommandContext): Promise<CommandOutcome> {
  const installed = await loadInstalled(context, options.sync);
  if (installed.answers.runner !== 'external') throw runsInSnowflake(installed);
  const connection = await workerConnection(installed, context);
  const key = await restKey(installed, context, { restApiKeyStdin: options.restApiKeyStdin, optional: options.dryRun });
  const argv = [...workerArgs(installed.answers, installed.names), ...(options.dryRun ? ['--dry-run'] : [])];
  const log = createJsonLogger((line) => context.output.debug(line.trimEnd()));
  const outcome = await context.output.step(
    `Running the sync (${installed.answers.projectKey})`,
    () => runWorkerOnce(argv, { env: workerEnv(installed, context, key), log, signal: context.signal, connection }),
    (o) => `Sync ${o.status.toLowerCase().replace('_', ' ')}`,
  );
  const { exitCode: _workerExitCode, ...result } = outcome;
  return { result, text: describe(outcome), exitCode: exitCodeOf(outcome) };
}
