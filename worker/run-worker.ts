/**
 * One worker run, as a function: the image's entry point (worker/main.ts) and the CLI's `batch-snowflake
 * sync` (src/commands/sync.ts, the one CLI module allowed to import it, see .dependency-cruiser.cjs) both
 * call it, so a run from a scheduler outside SPCS is the same code as the job inside it.
 * Never throws; the outcome carries the exit code and the run's summary.
 */
import { isUserError } from '../shared/errors.js';
import { connect, driverLoadTimeMs } from '../shared/snowflake/client.js';
import type { SnowflakeConnectionOptions, SnowflakeSession } from '../shared/snowflake/types.js';
import { describeOptions, parseWorkerOptions, toPayloadMapping, wantsHelp, WORKER_USAGE, type WorkerOptions } from './options.js';
import { resolveRestApiKey } from './sync/credentials.js';
import { errorFields, type Logger } from './sync/log.js';

export { createJsonLogger, type Logger } from './sync/log.js';
import { previewRun } from './sync/preview.js';
import { acquireRunLock, lockTtlFromEnv } from './sync/run-lock.js';
import { clientTuningFromEnv, runSync, type RunSummary } from './sync/run-sync.js';
import { stateTables } from './sync/state-tables.js';
import { runEventSync } from './events/run-events.js';
import { previewEvents } from './events/preview.js';
import { runLoop } from './run-loop.js';

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGTERM: 143, SIGINT: 130 };
/** Another run holds the lock: sysexits' EX_TEMPFAIL ("try again later"), which schedulers treat as retryable. */
export const LOCK_BUSY_EXIT_CODE = 75;
/** The lock was taken over while this run was stalled past its expiry: it stopped sending. */
export const LOCK_LOST_EXIT_CODE = 75;

export interface WorkerContext {
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Aborted with Error('SIGTERM') / Error('SIGINT') by the entry point. */
  signal: AbortSignal;
  /**
   * The CLI resolves the connection itself (flags, connections.toml, key pair / PAT / OAuth) and passes it
   * here; without it the worker resolves its own (SPCS token file, or --connection / SNOWFLAKE_* env).
   */
  connection?: () => Promise<SnowflakeConnectionOptions>;
}

export type WorkerStatus = RunSummary['status'] | 'PAUSED' | 'LOCKED' | 'DRY_RUN';

export interface WorkerOutcome {
  exitCode: number;
  status: WorkerStatus;
  summary?: Omit<RunSummary, 'error'>;
  error?: Record<string, unknown>;
  /** When LOCKED: who holds the lock and until when (server time). */
  lock?: { holder: string | null; expiresAt: string | null };
}

function exitCodeOf(error: unknown, signal: AbortSignal): number {
  if (signal.aborted) {
    const reason = String((signal.reason as Error | undefined)?.message);
    if (reason === 'LOCK_LOST') return LOCK_LOST_EXIT_CODE;
    return SIGNAL_EXIT_CODES[reason] ?? 143;
  }
  return isUserError(error) ? error.exitCode : 1;
}

async function dryRun(session: SnowflakeSession, options: WorkerOptions, log: Logger): Promise<WorkerOutcome> {
  if (options.kind === 'event') {
    log.info('dry_run.summary', { ...(await previewEvents(session, options)), note: 'dry run: nothing was sent, written or consumed' });
    return { exitCode: 0, status: 'DRY_RUN' };
  }
  const preview = await previewRun({
    session,
    streamSql: options.sourceStream.sql,
    tables: stateTables(options.stateSchema?.sql ?? null, options.syncName),
    stateSchemaSql: options.stateSchema?.sql ?? null,
    mapping: toPayloadMapping(options),
    deletePolicy: options.deletePolicy,
  });
  log.info('dry_run.summary', { ...preview, note: 'dry run: nothing was sent, written or consumed' });
  return { exitCode: 0, status: 'DRY_RUN' };
}

/** Takes the run lock (or reports paused / busy), runs the sync, releases the lock. */
async function lockedRun(session: SnowflakeSession, options: WorkerOptions, context: WorkerContext): Promise<WorkerOutcome> {
  const { env, log } = context;
  const lockLost = new AbortController();
  const signal = AbortSignal.any([context.signal, lockLost.signal]);
  const attempt = await acquireRunLock(session, options.stateSchema?.sql ?? null, options.sourceStream.sql, {
    ttlSeconds: lockTtlFromEnv(env),
    onLost: (reason) => {
      log.error('lock.lost', { reason, action: 'stop sending; unsent rows stay in the outbox' });
      lockLost.abort(new Error('LOCK_LOST'));
    },
  });
  if (attempt.kind === 'paused') {
    log.info('run.summary', { status: 'PAUSED', note: 'the sync is paused (batch-snowflake resume); nothing was read or sent' });
    return { exitCode: 0, status: 'PAUSED' };
  }
  if (attempt.kind === 'busy') {
    const lock = { holder: attempt.holder, expiresAt: attempt.expiresAt };
    log.warn('run.summary', { status: 'LOCKED', ...lock, note: 'another run of this sync is in progress; nothing was read or sent. A crashed run\'s lock expires at expiresAt.' });
    return { exitCode: LOCK_BUSY_EXIT_CODE, status: 'LOCKED', lock };
  }
  const { lock, control } = attempt;
  log.info('lock.acquired', { holder: lock.holder, ttlSeconds: lockTtlFromEnv(env) });
  lock.startRenewing();
  try {
    const apiKey = await resolveRestApiKey(session, options.restApiKey, options.projectKey);
    if (!apiKey) throw new Error('No REST API key resolved outside a dry run');
    log.addSecret(apiKey);
    const progressIntervalMs = Number(env.BATCH_SYNC_PROGRESS_INTERVAL_MS);
    const summary =
      options.kind === 'event'
        ? await runEventSync({ session, options, apiKey, log, signal, tuning: clientTuningFromEnv(env) })
        : await runSync({
            session, options, mapping: toPayloadMapping(options), apiKey, log, signal, tuning: clientTuningFromEnv(env), control,
            ...(Number.isInteger(progressIntervalMs) && progressIntervalMs > 0 ? { progressIntervalMs } : {}),
          });
    // The selected operations carry customer data: returned to the caller, never logged.
    const { error, ...rest } = summary;
    const { selected, ...counts } = rest as typeof rest & { selected?: unknown };
    const usage = process.resourceUsage();
    const peakRssMb = Math.round(usage.maxRSS / 1024);
    const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
    const fields = error === undefined ? {} : errorFields(error);
    log.log(summary.status === 'ERROR' ? 'error' : 'info', 'run.summary', { ...counts, peakRssMb, cpuMs, ...fields });
    return {
      exitCode: summary.status === 'ERROR' ? exitCodeOf(error, signal) : 0,
      status: summary.status,
      summary: selected ? { ...counts, selected } : counts,
      ...(error === undefined ? {} : { error: fields }),
    };
  } finally {
    await lock.release().catch((error: unknown) => log.warn('lock.release_failed', { ...errorFields(error), note: 'the lock expires by itself' }));
  }
}

export async function runWorkerOnce(argv: readonly string[], context: WorkerContext): Promise<WorkerOutcome> {
  const { env, log, signal } = context;
  log.addSecret(env.BATCH_REST_API_KEY);
  log.addSecret(env.SNOWFLAKE_PASSWORD);
  let session: SnowflakeSession | undefined;
  try {
    const options = parseWorkerOptions(argv, { env });
    log.info('worker.start', describeOptions(options));
    const connection = await (context.connection ?? options.snowflake.resolve)();
    for (const secret of [connection.password, connection.token, connection.privateKeyPass, connection.passcode]) log.addSecret(secret);
    // Its own application name in Snowflake's login history, apart from the CLI's (batch-snowflake).
    session = await connect({ application: 'batch-snowflake-worker', ...connection }, { timeoutMs: 60_000 });
    // What the start cost (bench:worker-start): the driver's import, and the CPU the process used up to here.
    const cpu = process.cpuUsage();
    log.info('snowflake.connected', { driverLoadMs: Math.round(driverLoadTimeMs() ?? 0), startCpuMs: Math.round((cpu.user + cpu.system) / 1000), uptimeMs: Math.round(process.uptime() * 1000) });
    if (options.dryRun) return await dryRun(session, options, log);
    if (options.loopIntervalSeconds !== null) return (await runLoop(session, options, context, lockedRun)) as WorkerOutcome;
    return await lockedRun(session, options, context);
  } catch (error) {
    const fields = errorFields(error);
    log.error('run.summary', { status: 'ERROR', ...fields });
    return { exitCode: exitCodeOf(error, signal), status: 'ERROR', error: fields };
  } finally {
    await session?.destroy().catch((error: unknown) => log.warn('snowflake.destroy_failed', errorFields(error)));
  }
}

/** One worker run; returns the exit code. Never throws. */
export async function runWorker(argv: readonly string[], context: WorkerContext): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${WORKER_USAGE}\n`);
    return 0;
  }
  return (await runWorkerOnce(argv, context)).exitCode;
}
