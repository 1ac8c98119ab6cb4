import { createTransform, type PayloadMapping, type Rejection, type RowTransform } from '../../shared/payload/index.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import type { Endpoint } from '../../shared/batch/constants.js';
import { OperationBatch } from '../batch/operation-batch.js';
import type { ProfileOperation } from '../batch/types.js';
import type { DeletePolicy } from '../options-types.js';
import type { Logger } from './log.js';
import { OutboxLedger, type Segment } from './outbox-ledger.js';
import { PAGE_END_COLUMN, readOutboxPages, transformColumns, type PageSizes } from './outbox-read.js';
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
  /** Outbox read page sizes (default DEFAULT_PAGE_SIZES). */
  pageSizes?: PageSizes;
  signal: AbortSignal;
  log: Logger;
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
  const ledger = new OutboxLedger(spec.writer, Math.max(5_000, spec.batchSize));
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

  const { columns, rows } = readOutboxPages(spec.session, spec.tables, spec.dataColumns, spec.pageSizes);
  let transform: RowTransform | undefined;
  let syncIds: string[] = [];
  let operations: ProfileOperation[] = [];
  const readStart = performance.now();
  let firstRowMs: number | undefined;
  try {
    for await (const row of rows) {
      firstRowMs ??= Math.round(performance.now() - readStart);
      transform ??= createTransform(transformColumns(await columns, spec.dataColumns), { ...spec.mapping, ignoreColumns: [...(spec.mapping.ignoreColumns ?? []), ...OUTBOX_BOOKKEEPING, PAGE_END_COLUMN] });
      if (spec.signal.aborted || fatal !== undefined || spec.writer.error !== undefined) break;
      counters.rowsRead++;
      syncIds.push(String(row[OUTBOX_COLUMNS.syncId]));
      const isDelete = row[OUTBOX_COLUMNS.action] === 'DELETE';
      if (isDelete && spec.deletePolicy === 'ignore') {
        counters.deletesIgnored++;
      } else {
        const result = isDelete ? transform.toDeleteOperation(row) : transform.toOperation(row);
        countRejections(result.rejections, (i) => result.rejections[i]!.scope === 'row');
        spec.writer.reject(result.rejections.map(toRejectedRecord));
        if (result.operation) operations.push(result.operation);
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
