import { createTransform, type PayloadMapping, type Rejection, type RowTransform } from '../../src/core/payload/index.js';
import type { SnowflakeSession } from '../../src/snowflake/types.js';
import type { Endpoint } from '../batch/constants.js';
import type { ProfileOperation } from '../batch/types.js';
import type { DeletePolicy } from '../options-types.js';
import type { Logger } from './log.js';
import { OutboxLedger, type Segment } from './outbox-ledger.js';
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
  batchSize: number;
  concurrency: number;
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

/**
 * Streams the outbox in BATCH_SYNC_ID order (bounded memory: at most `window` batches exist at once),
 * transforms each row, sends full batches concurrently, and lets the ledger delete what was handled.
 * Stops reading on abort or on the first fatal error; whatever was not handled stays for the next run.
 */
export const emptySendCounters = (): SendCounters => ({ rowsRead: 0, profilesSent: 0, rowsRejected: 0, attributesRejected: 0, deletesIgnored: 0 });

/** `counters` is updated as the run goes, so an interrupted run still reports what it did. */
export async function sendOutbox(spec: SendSpec, counters: SendCounters = emptySendCounters()): Promise<SendCounters> {
  const ledger = new OutboxLedger(spec.writer, Math.max(5_000, spec.batchSize));
  const deliverer = new BatchDeliverer(spec.sender, spec.endpoint);
  const window = spec.concurrency * 4;
  const inflight = new Set<Promise<void>>();
  let fatal: unknown;
  const countRejections = (records: readonly { attribute: string | null }[], scopeRow: (i: number) => boolean) =>
    records.forEach((_, i) => (scopeRow(i) ? counters.rowsRejected++ : counters.attributesRejected++));

  const dispatch = async (syncIds: string[], operations: ProfileOperation[]) => {
    const segment: Segment = ledger.openSegment(syncIds);
    if (operations.length === 0) return ledger.complete(segment);
    while (inflight.size >= spec.concurrency || ledger.open > window) await Promise.race(inflight);
    const task = deliverer
      .deliver(operations, spec.signal)
      .then((delivery) => {
        counters.profilesSent += delivery.accepted;
        countRejections(delivery.rejections, (i) => delivery.rejections[i]!.attribute === null);
        spec.writer.reject(delivery.rejections);
        ledger.complete(segment);
      })
      .catch((error: unknown) => {
        fatal ??= error;
      })
      .finally(() => inflight.delete(task));
    inflight.add(task);
  };

  const { columns, rows } = spec.session.stream<Record<string, unknown>>(
    `SELECT * FROM ${spec.tables.outbox} ORDER BY ${OUTBOX_COLUMNS.syncId}`,
  );
  let transform: RowTransform | undefined;
  let syncIds: string[] = [];
  let operations: ProfileOperation[] = [];
  try {
    for await (const row of rows) {
      transform ??= createTransform(await columns, { ...spec.mapping, ignoreColumns: [...(spec.mapping.ignoreColumns ?? []), ...OUTBOX_BOOKKEEPING] });
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
  } finally {
    // Even when reading the outbox failed: what Batch accepted is deleted, so the next run does not resend it.
    await Promise.all(inflight);
    ledger.settle();
    await spec.writer.flush();
  }
  if (spec.signal.aborted) throw spec.signal.reason;
  if (fatal !== undefined) throw fatal;
  return counters;
}
