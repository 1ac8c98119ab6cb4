/**
 * Sends the events outbox: ONE ordered read (profile, then time), each row → event (shared/events), events
 * grouped per profile in operations of ≤ 15 (split in time order beyond), ≤ batchSize operations per
 * /profiles/update call, paced by the client's bucket (one operation = one custom ID). Progress is recorded
 * per acknowledged request: as soon as a request is accepted (and every request before it in read order),
 * one prefix delete is queued if none is running, else right after the running one commits. Sending never
 * waits for it, and a crash resends only the requests in flight plus those acknowledged while the last
 * delete ran (the kill test's bound).
 */
import { EventOperationBuilder, createEventTransform, eventWindow, type EventMapping, type EventOperation } from '../../shared/events/index.js';
import type { Rejection } from '../../shared/payload/types.js';
import type { ColumnInfo, SnowflakeSession } from '../../shared/snowflake/types.js';
import { setImmediate as ioTurn } from 'node:timers/promises';
import { OperationBatch } from '../batch/operation-batch.js';
import type { ProfileOperation } from '../batch/types.js';
import type { Logger } from '../sync/log.js';
import { OutboxLedger, type Segment } from '../sync/outbox-ledger.js';
import { readOutbox, transformColumns } from '../sync/outbox-read.js';
import { BatchDeliverer, type ProfileSender } from '../sync/send-batch.js';
import { IO_TURN_ROWS, toRejectedRecord } from '../sync/send-outbox.js';
import { OUTBOX_BOOKKEEPING, OUTBOX_COLUMNS, type StateTables } from '../sync/state-tables.js';
import type { StateWriter } from '../sync/state-writer.js';

export interface EventSendSpec {
  session: SnowflakeSession;
  tables: StateTables;
  sender: ProfileSender;
  writer: StateWriter;
  mapping: EventMapping;
  dataColumns: readonly ColumnInfo[];
  /** Operations per request (≤ 200). */
  batchSize: number;
  concurrency: number;
  readAhead: number;
  signal: AbortSignal;
  log: Logger;
  /** The wall clock for the 24-hour window (tests move it). */
  now?: () => number;
}

export interface EventCounters {
  rowsRead: number;
  eventsSent: number;
  operationsSent: number;
  eventsRejected: number;
  attributesRejected: number;
  tooOld: number;
}

export const emptyEventCounters = (): EventCounters => ({ rowsRead: 0, eventsSent: 0, operationsSent: 0, eventsRejected: 0, attributesRejected: 0, tooOld: 0 });

export async function sendEvents(spec: EventSendSpec, counters: EventCounters = emptyEventCounters()): Promise<EventCounters> {
  const { writer, log } = spec;
  const now = spec.now ?? Date.now;
  const ledger = new OutboxLedger(writer);
  const deliverer = new BatchDeliverer(spec.sender, 'update');
  const window = (spec.concurrency + spec.readAhead) * 4;
  const ready: Array<{ segment: Segment; batch: OperationBatch; events: number }> = [];
  const inflight = new Set<Promise<void>>();
  let fatal: unknown;
  let wake: () => void = () => {};
  const stopped = () => spec.signal.aborted || fatal !== undefined;

  // One progress delete at a time: an acknowledgement starts one when the writer is idle; each commit starts
  // the next if more was acknowledged meanwhile (the writer runs them in order, never two at once).
  const progress = (): void => {
    const issuedAt = new Date().toISOString();
    ledger.recordProgress((rowsDeleted) => {
      log.info('progress.recorded', { issuedAt, rowsDeleted });
      if (!stopped()) progress();
    });
  };
  const record = (rejections: readonly Rejection[]) => {
    for (const r of rejections) {
      if (r.scope === 'row') counters.eventsRejected++;
      else counters.attributesRejected++;
      if (r.reason === 'too_old') counters.tooOld++;
    }
    writer.reject(rejections.map(toRejectedRecord));
  };

  const pump = () => {
    while (!stopped() && inflight.size < spec.concurrency && ready.length > 0) {
      const { segment, batch, events } = ready.shift()!;
      const task = deliverer
        .deliver(batch, spec.signal)
        .then((delivery) => {
          counters.operationsSent += delivery.accepted;
          // Exact unless Batch refused a whole request (bisected, rare): then proportional to the operations.
          counters.eventsSent +=
            delivery.accepted === batch.count ? events - delivery.rejections.length : Math.round((events * delivery.accepted) / batch.count);
          counters.eventsRejected += delivery.rejections.length;
          writer.reject(delivery.rejections);
          ledger.complete(segment);
          if (writer.idle) progress();
        })
        .catch((error: unknown) => {
          fatal ??= error;
        })
        .finally(() => {
          inflight.delete(task);
          pump();
          wake();
        });
      inflight.add(task);
    }
  };
  const dispatch = async (keys: string[], operations: EventOperation[]) => {
    const segment = ledger.openSegment(keys);
    if (operations.length === 0) return ledger.complete(segment);
    const events = operations.reduce((n, op) => n + op.events.length, 0);
    ready.push({ segment, batch: new OperationBatch(operations as unknown as ProfileOperation[]), events });
    pump();
    while (!stopped() && (ready.length > spec.readAhead || ledger.open > window)) await new Promise<void>((resolve) => (wake = resolve));
  };

  const { columns, rows } = readOutbox(spec.session, spec.tables, spec.dataColumns);
  const builder = new EventOperationBuilder();
  let transform: ReturnType<typeof createEventTransform> | undefined;
  let batchKeys: string[] = [];
  let batchOps: EventOperation[] = [];
  /** Keys of the rows read since the last completed operation (the open operation's events, rejected rows). */
  let openKeys: string[] = [];
  try {
    for await (const row of rows) {
      transform ??= createEventTransform(transformColumns(await columns, spec.dataColumns), { ...spec.mapping, ignoreColumns: [...OUTBOX_BOOKKEEPING] });
      if (stopped() || writer.error !== undefined) break;
      counters.rowsRead++;
      if (counters.rowsRead % IO_TURN_ROWS === 0) await ioTurn(); // see IO_TURN_ROWS
      const key = String(row[OUTBOX_COLUMNS.syncId]);
      const result = transform.toEvent(row);
      record(result.rejections);
      const late = result.record ? eventWindow(result.record, now()) : null;
      if (late) record([late]);
      if (result.record && !late) {
        const done = builder.add(result.record);
        if (done) {
          batchOps.push(done);
          batchKeys.push(...openKeys);
          openKeys = [];
        }
      }
      openKeys.push(key);
      if (batchOps.length >= spec.batchSize) {
        await dispatch(batchKeys, batchOps);
        batchKeys = [];
        batchOps = [];
      }
    }
    if (!stopped()) {
      const last = builder.flush();
      if (last) batchOps.push(last);
      batchKeys.push(...openKeys);
      if (batchOps.length > 0 || batchKeys.length > 0) await dispatch(batchKeys, batchOps);
    }
  } finally {
    while (inflight.size > 0) await Promise.all([...inflight]);
    ledger.settle();
    await writer.flush();
  }
  if (spec.signal.aborted) throw spec.signal.reason;
  if (fatal !== undefined) throw fatal;
  return counters;
}
