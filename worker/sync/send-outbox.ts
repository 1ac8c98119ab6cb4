import { createTransform, type PayloadMapping, type Rejection, type RowTransform } from '../../shared/payload/index.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Endpoint } from '../../shared/batch/constants.js';
import { setImmediate as ioTurn } from 'node:timers/promises';
import { OperationBatch } from '../batch/operation-batch.js';
import type { ProfileOperation } from '../batch/types.js';
import type { DeletePolicy } from '../options-types.js';
import type { Logger } from './log.js';
import { OutboxLedger, type Segment } from './outbox-ledger.js';
import { readOutbox, transformColumns } from './outbox-read.js';
import { BatchDeliverer, type ProfileSender } from './send-batch.js';
import { OUTBOX_BOOKKEEPING, OUTBOX_COLUMNS, type StateTables } from './state-tables.js';
import type { RejectedRecord, StateWriter } from './state-writer.js';

export interface SendSpec {
  session: SnowflakeSession;
  tables: StateTables;
  sender: ProfileSender;
  writer: StateWriter;
  mapping: PayloadMapping;
  deletePolicy: DeletePolicy;
  endpoint: Endpoint;
  /** The stream's columns (the outbox's data columns) with their declared types. */
  dataColumns: readonly ColumnInfo[];
  batchSize: number;
  /** Requests at once (each first waits for the rate limit). */
  concurrency: number;
  /** Prepared batches that may wait for a free sender (default 2). */
  readAhead?: number;
  /**
   * How often progress is recorded (the handled prefix deleted from the outbox) while sending, default
   * PROGRESS_INTERVAL_MS. A crash resends what was accepted since the last recorded progress.
   */
  progressIntervalMs?: number;
  signal: AbortSignal;
  log: Logger;
  /** Attributes sent as null with every operation (a resync that unsets columns removed from the mapping). */
  unsetAttributes?: readonly string[];
}

export interface SendCounters {
  rowsRead: number;
  profilesSent: number;
  rowsRejected: number;
  attributesRejected: number;
  deletesIgnored: number;
}

export const toRejectedRecord = (r: Rejection): RejectedRecord => ({
  customId: r.customId,
  attribute: r.attribute,
  valueExcerpt: r.valueExcerpt,
  reason: r.reason,
  message: r.message,
  origin: 'transform',
});

/** A promise and its resolve (Promise.withResolvers needs Node 22). */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * About 2 s of sending between progress statements: a crash resends at most that much (plus the requests
 * in flight and the delete itself), while a 1 M-row backfill (100 s at 10 000/s) costs ~50 statements
 * instead of one per 5 000 rows, each of which keeps the warehouse up.
 */
export const PROGRESS_INTERVAL_MS = 2_000;

/**
 * Rows between turns of the event loop while reading. The rows of a fetched result chunk arrive as a chain of
 * microtasks, so without these turns a request the senders just started is not written to its socket (nor a new
 * connection opened) until the whole chunk is transformed: requests paced apart then reach Batch bunched, and its
 * bucket answers 429 (bench:worker saw one after the first burst of most runs). 256 rows are ~20 ms of CPU.
 */
export const IO_TURN_ROWS = 256;

const bareName = (key: string) => /^(?:date|url)\((.*)\)$/.exec(key)?.[1] ?? key;

/** Adds `name: null` for each attribute to unset that the operation does not already carry (under any type). */
export function withUnset(operation: ProfileOperation, unset: readonly string[] | undefined): ProfileOperation {
  if (!unset || unset.length === 0) return operation;
  const attributes = (operation.attributes ??= {});
  const present = new Set(Object.keys(attributes).map(bareName));
  for (const name of unset) if (!present.has(name)) attributes[name] = null;
  return operation;
}

export const emptySendCounters = (): SendCounters => ({ rowsRead: 0, profilesSent: 0, rowsRejected: 0, attributesRejected: 0, deletesIgnored: 0 });

/**
 * Streams the outbox in BATCH_SYNC_ID order, transforms each row and hands full batches to a queue that
 * `concurrency` senders drain, so reading goes on while requests wait for the rate limit or for Batch.
 * Memory stays bounded: at most `readAhead` prepared batches wait besides the ones being sent. The ledger
 * deletes what was handled. Stops reading on abort or on the first fatal error; whatever was not handled
 * (including prepared batches never sent) stays in the outbox for the next run.
 * `counters` is updated as the run goes, so an interrupted run still reports what it did.
 */
export async function sendOutbox(spec: SendSpec, counters: SendCounters = emptySendCounters()): Promise<SendCounters> {
  const ledger = new OutboxLedger(spec.writer);
  const deliverer = new BatchDeliverer(spec.sender, spec.endpoint);
  const readAhead = Math.max(1, spec.readAhead ?? 2);
  const window = (spec.concurrency + readAhead) * 4;
  const ready: Array<{ segment: Segment; batch: OperationBatch }> = [];
  const inflight = new Set<Promise<void>>();
  let fatal: unknown;
  let progress = signalled();
  const stopped = () => spec.signal.aborted || fatal !== undefined;
  const countRejections = (records: readonly { attribute: string | null }[], scopeRow: (i: number) => boolean) =>
    records.forEach((_, i) => (scopeRow(i) ? counters.rowsRejected++ : counters.attributesRejected++));

  const pump = () => {
    while (!stopped() && inflight.size < spec.concurrency && ready.length > 0) {
      const { segment, batch } = ready.shift()!;
      const task = deliverer
        .deliver(batch, spec.signal)
        .then((delivery) => {
          counters.profilesSent += delivery.accepted;
          countRejections(delivery.rejections, (i) => delivery.rejections[i]!.attribute === null);
          spec.writer.reject(delivery.rejections);
          ledger.complete(segment);
        })
        .catch((error: unknown) => {
          fatal ??= error;
        })
        .finally(() => {
          inflight.delete(task);
          pump();
          progress.resolve();
        });
      inflight.add(task);
    }
  };
  const waitForProgress = async () => {
    await progress.promise;
    progress = signalled();
  };

  const dispatch = async (syncIds: string[], operations: ProfileOperation[]) => {
    const segment: Segment = ledger.openSegment(syncIds);
    if (operations.length === 0) return ledger.complete(segment);
    ready.push({ segment, batch: new OperationBatch(operations) });
    pump();
    while (!stopped() && (ready.length > readAhead || ledger.open > window)) await waitForProgress();
  };

  // One statement in flight besides sending: a tick while the previous progress statement still runs is
  // skipped, so a slow warehouse never queues deletes and the send loop never waits for one.
  // Each committed progress is logged with the time its tick started: what Batch accepted after that
  // time is what a crash would resend (the kill test's bound).
  const progressTimer = setInterval(() => {
    const issuedAt = new Date().toISOString();
    if (spec.writer.idle) ledger.recordProgress((rowsDeleted) => spec.log.info('progress.recorded', { issuedAt, rowsDeleted }));
  }, spec.progressIntervalMs ?? PROGRESS_INTERVAL_MS);
  progressTimer.unref();
  const { columns, rows } = readOutbox(spec.session, spec.tables, spec.dataColumns);
  let transform: RowTransform | undefined;
  let syncIds: string[] = [];
  let operations: ProfileOperation[] = [];
  const readStart = performance.now();
  let firstRowMs: number | undefined;
  try {
    for await (const row of rows) {
      firstRowMs ??= Math.round(performance.now() - readStart);
      transform ??= createTransform(transformColumns(await columns, spec.dataColumns), { ...spec.mapping, ignoreColumns: [...(spec.mapping.ignoreColumns ?? []), ...OUTBOX_BOOKKEEPING] });
      if (spec.signal.aborted || fatal !== undefined || spec.writer.error !== undefined) break;
      counters.rowsRead++;
      if (counters.rowsRead % IO_TURN_ROWS === 0) await ioTurn();
      syncIds.push(String(row[OUTBOX_COLUMNS.syncId]));
      const isDelete = row[OUTBOX_COLUMNS.action] === 'DELETE';
      if (isDelete && spec.deletePolicy === 'ignore') {
        counters.deletesIgnored++;
      } else {
        const result = isDelete ? transform.toDeleteOperation(row) : transform.toOperation(row);
        countRejections(result.rejections, (i) => result.rejections[i]!.scope === 'row');
        spec.writer.reject(result.rejections.map(toRejectedRecord));
        if (result.operation) operations.push(withUnset(result.operation, spec.unsetAttributes));
      }
      if (operations.length >= spec.batchSize) {
        await dispatch(syncIds, operations);
        syncIds = [];
        operations = [];
      }
    }
    if (!spec.signal.aborted && fatal === undefined && syncIds.length > 0) await dispatch(syncIds, operations);
    spec.log.info('send.read_done', { rowsRead: counters.rowsRead, firstRowMs: firstRowMs ?? null, readMs: Math.round(performance.now() - readStart) });
  } finally {
    clearInterval(progressTimer);
    // Even when reading the outbox failed: what Batch accepted is deleted, so the next run does not resend it.
    // Finished requests start queued ones (unless the run stopped), so wait until none is left.
    while (inflight.size > 0) await Promise.all([...inflight]);
    ledger.settle();
    await spec.writer.flush();
  }
  if (spec.signal.aborted) throw spec.signal.reason;
  if (fatal !== undefined) throw fatal;
  return counters;
}
