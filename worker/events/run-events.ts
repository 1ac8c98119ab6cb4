/**
 * One event-sync run (`--kind event`): ensure tables → record start → capture the APPEND_ONLY stream into
 * the events outbox (one INSERT … SELECT) → send the outbox (send-events.ts) → record end. The same lock,
 * runs and rejected tables as a profile sync; its own outbox (BATCH_SYNC_EVENTS_OUTBOX).
 */
import { randomUUID } from 'node:crypto';
import { createEventTransform, MAX_EVENTS_PER_OPERATION } from '../../shared/events/index.js';
import { toEventMapping } from '../options-events.js';
import { clearPendingIfDone } from '../sync/pending-marker.js';
import { errorFields } from '../sync/log.js';
import { errorMessage } from '../sync/run-sync.js';
import { recordRunEnd, recordRunStart, readOutboxState, type RunTotals } from '../sync/runs.js';
import { batchSizes, buildClient, streamDataColumns, type RunSummary, type SyncDependencies } from '../sync/run-sync.js';
import { ensureStateTables } from '../sync/state-tables.js';
import { StateWriter } from '../sync/state-writer.js';
import { timedSession } from '../sync/timed-session.js';
import { captureEvents, eventStateTables } from './capture.js';
import { emptyEventCounters, sendEvents } from './send-events.js';
import { explainStatementTimeout } from '../sync/timeout-diagnosis.js';

export type EventRunSummary = RunSummary & { eventsSent: number; operationsSent: number; eventsRejected: number; tooOld: number };

export async function runEventSync(deps: Omit<SyncDependencies, 'mapping'> & { now?: () => number }): Promise<EventRunSummary> {
  const { options, log, signal } = deps;
  const { session, stats } = timedSession(deps.session);
  const started = performance.now();
  const runId = randomUUID();
  const stream = options.sourceStream.sql;
  const tables = eventStateTables(options.stateSchema?.sql ?? null, options.syncName);
  const mapping = toEventMapping(options);
  const totals: RunTotals = { endpoint: 'update', rowsCaptured: 0, profilesSent: 0, rowsRejected: 0, attributesRejected: 0, requests: 0, retries: 0 };
  const counters = emptyEventCounters();
  const sender = deps.sender ?? buildClient({ ...options, ...deps.tuning }, deps.apiKey, log);
  let runRecorded = false;
  let writer: StateWriter | undefined;
  const finish = (status: RunSummary['status'], error?: unknown): EventRunSummary => {
    totals.profilesSent = counters.operationsSent;
    totals.rowsRejected = counters.eventsRejected;
    totals.attributesRejected = counters.attributesRejected;
    totals.requests = sender.stats?.requests ?? 0;
    totals.retries = sender.stats?.retries ?? 0;
    return {
      runId, status, ...totals, rowsRead: counters.rowsRead, deletesIgnored: 0, durationMs: Math.round(performance.now() - started),
      statements: stats.statements, progressStatements: writer?.statements ?? 0,
      statementWaitMs: Math.round(stats.statementMs - (writer?.backgroundMs ?? 0)),
      eventsSent: counters.eventsSent, operationsSent: counters.operationsSent, eventsRejected: counters.eventsRejected, tooOld: counters.tooOld,
      ...(error === undefined ? {} : { error }),
    };
  };
  try {
    const dataColumns = await streamDataColumns(session, stream);
    // Refuses a source without its time / name / ID column before anything is written (UserError with the fix).
    const transform = createEventTransform(dataColumns, mapping);
    const timeColumn = dataColumns.find((c) => c.name === transform.timeColumn)!;
    await ensureStateTables(session, tables, dataColumns);
    runRecorded = true;
    await recordRunStart(session, tables, runId, stream, options.pendingMarker);
    log.info('run.start', { runId, stream, kind: 'event', outbox: tables.outbox });
    const captureStart = performance.now();
    const captured = await captureEvents(session, { tables, streamSql: stream, dataColumns, idColumn: transform.idColumn, timeColumn, runId });
    totals.rowsCaptured = captured;
    log.info('capture.done', {
      captured, durationMs: Math.round(performance.now() - captureStart),
      note: 'APPEND_ONLY stream: updates and deletes of event rows are not events and are ignored (a row inserted and then deleted before this run is still returned by the stream and sent: the event happened)',
    });
    const { pending } = await readOutboxState(session, tables, stream);
    const batchSize = batchSizes(options).update;
    const readAhead = Math.max(2, Math.ceil((options.rate * 0.5) / batchSize));
    log.info('send.start', { pending, endpoint: 'update', batchSize, maxEventsPerOperation: MAX_EVENTS_PER_OPERATION, concurrency: options.concurrency, readAhead });
    writer = new StateWriter(session, tables, runId, stream);
    const sendStart = performance.now();
    if (pending > 0) {
      await sendEvents(
        { session, tables, sender, writer, mapping, dataColumns, batchSize, concurrency: options.concurrency, readAhead, signal, log, ...(deps.now ? { now: deps.now } : {}) },
        counters,
      );
    }
    log.info('send.done', { ...counters, outboxRowsDeleted: writer.deletedRows, durationMs: Math.round(performance.now() - sendStart) });
    if (options.pendingMarker) {
      const left = await clearPendingIfDone(session, tables);
      if (left > 0) log.warn('pending.kept', { outboxRows: left, note: 'the next run sends them' });
    }
    const status = counters.eventsRejected + counters.attributesRejected > 0 ? 'PARTIAL' : 'SUCCESS';
    const summary = finish(status);
    await recordRunEnd(session, tables, runId, status, totals, null);
    return summary;
  } catch (caught) {
    // A capture canceled by STATEMENT_TIMEOUT_IN_SECONDS: name the level that set the limit (sync/timeout-diagnosis.ts).
    const error = await explainStatementTimeout(session, caught);
    const summary = finish('ERROR', error);
    if (runRecorded) {
      await recordRunEnd(session, tables, runId, 'ERROR', totals, errorMessage(error)).catch((recordError: unknown) => log.warn('run.record_failed', errorFields(recordError)));
    }
    return summary;
  }
}
