/**
 * Entry point of the sync worker: `npm run worker -- <args>` from a clone, `node dist/worker/main.js` in
 * the image (the task's EXECUTE JOB SERVICE). One run per process; exit code 0 = SUCCESS or PARTIAL.
 */
process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION ??= 'true';

import { isUserError } from '../shared/errors.js';
import { connect } from '../shared/snowflake/client.js';
import type { SnowflakeSession } from '../shared/snowflake/types.js';
import { describeOptions, parseWorkerOptions, toPayloadMapping, wantsHelp, WORKER_USAGE, type WorkerOptions } from './options.js';
import { resolveRestApiKey } from './sync/credentials.js';
import { createJsonLogger, errorFields, type Logger } from './sync/log.js';
import { previewRun } from './sync/preview.js';
import { clientTuningFromEnv, runSync } from './sync/run-sync.js';
import { stateTables } from './sync/state-tables.js';

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGTERM: 143, SIGINT: 130 };

function exitCodeOf(error: unknown, signal: AbortSignal): number {
  if (signal.aborted) return SIGNAL_EXIT_CODES[String((signal.reason as Error | undefined)?.message)] ?? 143;
  return isUserError(error) ? error.exitCode : 1;
}

async function dryRun(session: SnowflakeSession, options: WorkerOptions, log: Logger): Promise<number> {
  const preview = await previewRun({
    session,
    streamSql: options.sourceStream.sql,
    tables: stateTables(options.stateSchema?.sql ?? null),
    stateSchemaSql: options.stateSchema?.sql ?? null,
    mapping: toPayloadMapping(options),
    deletePolicy: options.deletePolicy,
  });
  log.info('dry_run.summary', { ...preview, note: 'dry run: nothing was sent, written or consumed' });
  return 0;
}

export interface WorkerContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Aborted with Error('SIGTERM') / Error('SIGINT') by the entry point. */
  signal: AbortSignal;
}

/** One worker run; returns the exit code. Never throws. */
export async function runWorker(argv: readonly string[], context: WorkerContext): Promise<number> {
  const { env, log, signal } = context;
  if (wantsHelp(argv)) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return 0;
  }
  log.addSecret(env.BATCH_REST_API_KEY);
  log.addSecret(env.SNOWFLAKE_PASSWORD);

  let session: SnowflakeSession | undefined;
  try {
    const options = parseWorkerOptions(argv, { env });
    log.info('worker.start', describeOptions(options));
    const connection = await options.snowflake.resolve();
    for (const secret of [connection.password, connection.token, connection.privateKeyPass, connection.passcode]) log.addSecret(secret);
    // Its own application name in Snowflake's login history, apart from the CLI's (batch-snowflake).
    session = await connect({ application: 'batch-snowflake-worker', ...connection }, { timeoutMs: 60_000 });
    if (options.dryRun) return await dryRun(session, options, log);

    const apiKey = await resolveRestApiKey(session, options.restApiKey, options.projectKey);
    if (!apiKey) throw new Error('No REST API key resolved outside a dry run');
    log.addSecret(apiKey);
    const progressIntervalMs = Number(env.BATCH_SYNC_PROGRESS_INTERVAL_MS);
    const summary = await runSync({
      session, options, mapping: toPayloadMapping(options), apiKey, log, signal, tuning: clientTuningFromEnv(env),
      ...(Number.isInteger(progressIntervalMs) && progressIntervalMs > 0 ? { progressIntervalMs } : {}),
    });
    const { error, ...counts } = summary;
    const usage = process.resourceUsage();
    const peakRssMb = Math.round(usage.maxRSS / 1024);
    const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
    log.log(summary.status === 'ERROR' ? 'error' : 'info', 'run.summary', { ...counts, peakRssMb, cpuMs, ...(error === undefined ? {} : errorFields(error)) });
    return summary.status === 'ERROR' ? exitCodeOf(error, signal) : 0;
  } catch (error) {
    log.error('run.summary', { status: 'ERROR', ...errorFields(error) });
    return exitCodeOf(error, signal);
  } finally {
    await session?.destroy().catch((error: unknown) => log.warn('snowflake.destroy_failed', errorFields(error)));
  }
}

const isEntryPoint = process.argv[1] !== undefined && /worker[\\/]main\.[jt]s$/.test(process.argv[1]);
if (isEntryPoint) {
  const log = createJsonLogger();
  const controller = new AbortController();
  for (const name of ['SIGTERM', 'SIGINT'] as const) {
    process.once(name, () => {
      log.warn('signal', { signal: name, action: 'stop sending; unsent rows stay in the outbox for the next run' });
      controller.abort(new Error(name));
    });
  }
  runWorker(process.argv.slice(2), { env: process.env, log, signal: controller.signal }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`worker crashed: ${error instanceof Error ? error.name : 'error'}\n`);
      process.exit(1);
    },
  );
}
