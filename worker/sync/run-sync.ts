import { randomUUID } from 'node:crypto';
import { findIdColumn, type PayloadMapping } from '../../shared/payload/index.js';
import { UserError, usageError } from '../../shared/errors.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { BatchClient } from '../batch/client.js';
import { MAX_OPERATIONS, type Endpoint } from '../../shared/batch/constants.js';
import type { WorkerOptions } from '../options-types.js';
import type { Secret } from '../secret.js';
import { captureChanges } from './capture.js';
import { controlTable, type ControlRow } from '../../shared/state/control-table.js';
import { beginResync, finishResync, outboxRows } from './resync.js';
import { clearPending, clearPendingIfDone } from './pending-marker.js';
import { errorFields, type Logger } from './log.js';
import { readOutboxState, recordRunEnd, recordRunStart, type RunStatus, type RunTotals } from './runs.js';
import type { ProfileSender } from './send-batch.js';
import { emptySendCounters, sendOutbox, type SendCounters } from './send-outbox.js';
import { sendSelected, type SelectedResult } from './send-selected.js';
import { ensureStateTables, stateTables } from './state-tables.js';
import { StateWriter } from './state-writer.js';
import { timedSession } from './timed-session.js';
import { explainStatementTimeout } from './timeout-diagnosis.js';

export interface RunSummary extends RunTotals {
  runId: string;
  status: Exclude<RunStatus, 'RUNNING'>;
  durationMs: number;
  rowsRead: number;
  deletesIgnored: number;
  /** Rows a resync request put into the outbox in this run (absent when no resync was pending). */
  resyncRows?: number;
  /** Statements sent to Snowflake by this run (from the table probe on; login and key lookup excluded). */
  statements: number;
  /** Of which progress statements (outbox deletes, rejected-row inserts) sent beside sending. */
  progressStatements: number;
  /** Time the run waited on statements: all of them but the progress ones that ran beside sending. */
  statementWaitMs: number;
  /** Restricted runs only: each selected ID with its operation and Batch's answer, and the rows left pending. */
  selected?: SelectedResult[];
  outboxLeft?: number;
  error?: unknown;
}

type StatementFigures = Pick<RunSummary, 'statements' | 'progressStatements' | 'statementWaitMs'>;

export interface SyncDependencies {
  session: SnowflakeSession;
  options: WorkerOptions;
  mapping: PayloadMapping;
  apiKey: Secret;
  log: Logger;
  signal: AbortSignal;
  tuning?: ClientTuning;
  /** Progress interval while sending (default PROGRESS_INTERVAL_MS; env BATCH_SYNC_PROGRESS_INTERVAL_MS). */
  progressIntervalMs?: number;
  /** Tests and the bench may swap the HTTP sender; defaults to a BatchClient built from the options. */
  sender?: ProfileSender & { stats?: { requests: number; retries: number } };
  /** The control row read when the run lock was taken: carries a resync request (worker/sync/resync.ts). */
  control?: ControlRow | null;
}

/** The stream's own columns (METADATA$* excluded), read with LIMIT 0: a SELECT never advances the offset. */
export async function streamDataColumns(session: SnowflakeSession, streamSql: string): Promise<ColumnInfo[]> {
  const probe = await session.query(`SELECT * FROM ${streamSql} LIMIT 0`);
  return probe.columns.filter((c) => !c.name.toUpperCase().startsWith('METADATA$'));
}

export function chooseEndpoint(options: WorkerOptions, pending: number, initial: boolean): Endpoint {
  if (options.endpoint !== 'auto') return options.endpoint;
  return initial || pending >= options.massUpdateThreshold ? 'mass-update' : 'update';
}

/**
 * Env-only tuning knobs (not part of Batch's job interface): BATCH_API_VERSION, BATCH_REQUEST_TIMEOUT_MS
 * (per attempt, default 30 000) and BATCH_MAX_ATTEMPTS (per request, default 8).
 */
export interface ClientTuning {
  batchApiVersion?: string;
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

export function clientTuningFromEnv(env: NodeJS.ProcessEnv): ClientTuning {
  const positive = (text: string | undefined) => {
    const value = Number(text);
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const timeout = positive(env.BATCH_REQUEST_TIMEOUT_MS);
  const attempts = positive(env.BATCH_MAX_ATTEMPTS);
  return {
    ...(env.BATCH_API_VERSION ? { batchApiVersion: env.BATCH_API_VERSION } : {}),
    ...(timeout ? { requestTimeoutMs: timeout } : {}),
    ...(attempts ? { maxAttempts: attempts } : {}),
  };
}

/**
 * Operations per request. update: up to 200 within the burst. mass-update: a quarter of a second's worth
 * (2 500 at the documented 10 000/s) rather than the allowed 10 000: Batch's mass-update bucket holds one
 * second ("no burst", batch-api.md §2.2), so 10 000-operation calls leave no room for requests that reach
 * Batch bunched together (measured: 429s on most bench runs); smaller calls let the client keep 250 ms of
 * headroom at no cost to the sustained rate.
 */
export function batchSizes(options: Pick<WorkerOptions, 'burst' | 'massUpdateRate'>): Record<Endpoint, number> {
  return {
    update: Math.max(1, Math.min(MAX_OPERATIONS.update, Math.floor(options.burst))),
    'mass-update': Math.max(1, Math.min(MAX_OPERATIONS['mass-update'], Math.floor(options.massUpdateRate / 4))),
  };
}

export function buildClient(options: WorkerOptions & ClientTuning, apiKey: Secret, log: Logger): BatchClient {
  return new BatchClient({
    baseUrl: options.batchApiUrl,
    apiKey: apiKey.reveal(),
    projectKey: options.projectKey,
    ...(options.batchApiVersion ? { version: options.batchApiVersion } : {}),
    ...(options.requestTimeoutMs ? { timeoutMs: options.requestTimeoutMs } : {}),
    ...(options.maxAttempts ? { backoff: { maxAttempts: options.maxAttempts } } : {}),
    largestRequest: batchSizes(options),
    rateLimits: {
      update: { perSecond: options.rate, burst: options.burst },
      // "No burst" (batch-api.md §2.2): the bucket holds one second of refill.
      'mass-update': { perSecond: options.massUpdateRate, burst: options.massUpdateRate },
    },
    onEvent: (event) => log.log(event.type === 'retry' ? 'info' : 'warn', `batch.${event.type}`, { ...event }),
  });
}

/** One run: ensure tables → record start → capture (consumes the stream) → send the outbox → record end. */
export async function runSync(deps: SyncDependencies): Promise<RunSummary> {
  const { options, log, signal } = deps;
  const { session, stats } = timedSession(deps.session);
  const started = performance.now();
  const runId = randomUUID();
  const stream = options.sourceStream.sql;
  // The sync's own outbox and pending marker (--sync-name; shared/state/sync-names.ts).
  const tables = stateTables(options.stateSchema?.sql ?? null, options.syncName);
  const totals: RunTotals = { endpoint: null, rowsCaptured: 0, profilesSent: 0, rowsRejected: 0, attributesRejected: 0, requests: 0, retries: 0 };
  const counters = emptySendCounters();
  const sender = deps.sender ?? buildClient({ ...options, ...deps.tuning }, deps.apiKey, log);
  let runRecorded = false;
  let writer: StateWriter | undefined;
  const statementFigures = () => ({
    statements: stats.statements,
    progressStatements: writer?.statements ?? 0,
    statementWaitMs: Math.round(stats.statementMs - (writer?.backgroundMs ?? 0)),
  });
  try {
    const dataColumns = await streamDataColumns(session, stream);
    const id = findIdColumn(dataColumns, options.idColumn);
    if (!id) {
      throw usageError('ID_COLUMN_NOT_FOUND', `--id-column ${options.idColumn} is not a column of ${stream}.`, {
        suggestion: `Use one of: ${dataColumns.map((c) => c.name).join(', ')}`,
      });
    }
    await ensureStateTables(session, tables, dataColumns);
    // Recorded before the call: when the marker's half of the request fails, the run's row still gets its ERROR.
    runRecorded = true;
    await recordRunStart(session, tables, runId, stream, options.pendingMarker);
    log.info('run.start', { runId, stream, outbox: tables.outbox });

    const captureStart = performance.now();
    const capture = await captureChanges(session, { tables, streamSql: stream, dataColumns, idColumn: id.name, deletePolicy: options.deletePolicy, runId });
    totals.rowsCaptured = capture.captured;
    log.info('capture.done', { ...capture, durationMs: Math.round(performance.now() - captureStart) });

    const resyncSpec = { tables, controlTable: controlTable(options.stateSchema?.sql ?? null), syncName: stream, dataColumns, idColumn: id.name, runId };
    // A restricted first send (run --limit/--ids) leaves a pending resync to the scheduled run.
    const resync = options.restriction ? null : await beginResync(session, resyncSpec, deps.control ?? null, log);

    const { pending, initialBackfill } = await readOutboxState(session, tables, stream);
    if (options.restriction) {
      totals.endpoint = 'update';
      writer = new StateWriter(session, tables, runId, stream);
      log.info('send.start', { pending, endpoint: 'update', restriction: options.restriction.kind, batchSize: 1 });
      const selected = await sendSelected({ session, tables, sender, writer, mapping: deps.mapping, deletePolicy: options.deletePolicy, dataColumns, restriction: options.restriction, signal, log }, counters);
      Object.assign(totals, mergeCounters(counters, sender));
      const outboxLeft = pending - writer.deletedRows;
      log.info('send.done', { ...counters, outboxRowsDeleted: writer.deletedRows, outboxLeft });
      if (options.pendingMarker) await clearPendingIfDone(session, tables, resyncSpec, runId);
      const status = totals.rowsRejected + totals.attributesRejected > 0 ? 'PARTIAL' : 'SUCCESS';
      await recordRunEnd(session, tables, runId, status, totals, null);
      return { ...summary(runId, status, totals, counters, started), ...statementFigures(), selected, outboxLeft };
    }
    // A resync is a backfill again: same endpoint (mass-update) as the first run.
    const endpoint = chooseEndpoint(options, pending, initialBackfill || resync !== null);
    totals.endpoint = endpoint;
    const batchSize = batchSizes(options)[endpoint];
    const perSecond = endpoint === 'update' ? options.rate : options.massUpdateRate;
    // Half a second of sending prepared ahead, so that a slow moment of reading does not idle the senders;
    // more would only keep operations alive long enough to be promoted to the old heap (peak RSS).
    const readAhead = Math.max(2, Math.ceil((perSecond * 0.5) / batchSize));
    // Paced mass-update calls leave every 250 ms and answer within that: two at once keep the pipe full.
    const concurrency = endpoint === 'mass-update' ? Math.min(options.concurrency, 2) : options.concurrency;
    log.info('send.start', { pending, endpoint, batchSize, concurrency, readAhead });

    writer = new StateWriter(session, tables, runId, stream);
    const sendStart = performance.now();
    // Nothing captured and nothing left from an interrupted run: no outbox read at all.
    if (pending > 0) {
      await sendOutbox(
        { session, tables, sender, writer, mapping: deps.mapping, deletePolicy: options.deletePolicy, endpoint, dataColumns, batchSize, concurrency, readAhead, signal, log, ...(deps.progressIntervalMs ? { progressIntervalMs: deps.progressIntervalMs } : {}), ...(resync ? { unsetAttributes: resync.request.unset } : {}) },
        counters,
      );
    }
    Object.assign(totals, mergeCounters(counters, sender));
    log.info('send.done', { ...counters, outboxRowsDeleted: writer.deletedRows, durationMs: Math.round(performance.now() - sendStart) });
    // The honoured request is cleared before the marker, so that the marker's clear sees only a newer request.
    const left = options.pendingMarker || resync ? await outboxRows(session, tables) : 0;
    if (resync) await finishResync(session, resyncSpec, resync, left, log);
    if (options.pendingMarker) {
      if (left > 0) log.warn('pending.kept', { outboxRows: left, note: 'the next run sends them' });
      else await clearPending(session, tables, resyncSpec, runId);
    }
    const status = totals.rowsRejected + totals.attributesRejected > 0 ? 'PARTIAL' : 'SUCCESS';
    await recordRunEnd(session, tables, runId, status, totals, null);
    return { ...summary(runId, status, totals, counters, started), ...statementFigures(), ...(resync ? { resyncRows: resync.filled } : {}) };
  } catch (caught) {
    const error = await explainStatementTimeout(session, caught);
    Object.assign(totals, mergeCounters(counters, sender));
    if (runRecorded) {
      await recordRunEnd(session, tables, runId, 'ERROR', totals, errorMessage(error)).catch((recordError: unknown) =>
        log.warn('run.record_failed', errorFields(recordError)),
      );
    }
    return { ...summary(runId, 'ERROR', totals, counters, started), ...statementFigures(), error };
  }
}

function mergeCounters(counters: SendCounters, sender: SyncDependencies['sender'] | BatchClient): Partial<RunTotals> {
  return {
    profilesSent: counters.profilesSent,
    attributesRejected: counters.attributesRejected,
    rowsRejected: counters.rowsRejected,
    requests: sender?.stats?.requests ?? 0,
    retries: sender?.stats?.retries ?? 0,
  };
}

function summary(runId: string, status: RunSummary['status'], totals: RunTotals, counters: SendCounters, started: number): Omit<RunSummary, keyof StatementFigures> {
  return { runId, status, ...totals, rowsRead: counters.rowsRead, deletesIgnored: counters.deletesIgnored, durationMs: Math.round(performance.now() - started) };
}

/** For the runs table: a UserError's message and what to do about it; anything else keeps its class name. */
export function errorMessage(error: unknown): string {
  if (error instanceof UserError) return error.suggestion ? `${error.message} Fix: ${error.suggestion}` : error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
