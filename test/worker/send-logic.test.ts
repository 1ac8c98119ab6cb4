/** Logic of the send step with fakes (the end-to-end files prove the integration). */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../shared/batch/constants.js';
import { OperationBatch, operationList, requestBody, type Operations } from '../../worker/batch/operation-batch.js';
import type { ProfileOperation, SendOutcome } from '../../worker/batch/types.js';
import { OutboxLedger } from '../../worker/sync/outbox-ledger.js';
import { BatchDeliverer } from '../../worker/sync/send-batch.js';
import type { StateWriter } from '../../worker/sync/state-writer.js';

const ops = (ids: string[]): ProfileOperation[] => ids.map((id) => ({ identifiers: { custom_id: id }, attributes: { a: id } }));

/** Rejects (400) any request containing one of `bad`, like Batch rejecting a whole call. */
function fakeBatch(bad: Set<string>, status = 400) {
  const calls: string[][] = [];
  return {
    calls,
    async send(_endpoint: Endpoint, operations: readonly ProfileOperation[]): Promise<SendOutcome> {
      const ids = operations.map((o) => o.identifiers.custom_id);
      calls.push(ids);
      if (ids.some((id) => bad.has(id))) return { kind: 'rejected', status, errorCode: 'INVALID', message: 'bad op', attempts: 1 };
      return { kind: 'accepted', itemErrors: [], attempts: 1 };
    },
  };
}

describe('BatchDeliverer', () => {
  const signal = new AbortController().signal;

  it('isolates the operation a permanent 4xx is about and delivers all the others', async () => {
    const ids = Array.from({ length: 16 }, (_, i) => `u${i}`);
    const batch = fakeBatch(new Set(['u5']));
    const delivery = await new BatchDeliverer(batch, 'update').deliver(ops(ids), signal);
    expect(delivery.accepted).toBe(15);
    expect(delivery.rejections).toEqual([expect.objectContaining({ customId: 'u5', reason: 'http_400', origin: 'batch' })]);
    expect(batch.calls.length).toBeLessThanOrEqual(2 * Math.log2(16) + 1);
  });

  it('does the same with a serialised batch (the send queue keeps batches as JSON bodies)', async () => {
    const ids = Array.from({ length: 16 }, (_, i) => `u${i}`);
    const bodies: string[] = [];
    const batch = fakeBatch(new Set(['u11']));
    const sender = {
      send: (endpoint: Endpoint, operations: Operations) => {
        bodies.push(requestBody(operations));
        return batch.send(endpoint, operationList(operations));
      },
    };
    const delivery = await new BatchDeliverer(sender, 'mass-update').deliver(new OperationBatch(ops(ids)), signal);
    expect(delivery.accepted).toBe(15);
    expect(delivery.rejections).toEqual([expect.objectContaining({ customId: 'u11', reason: 'http_400' })]);
    expect(JSON.parse(bodies[0]!)).toEqual(ops(ids));
  });

  it('maps partial errors of a serialised batch back to the operation and its value', async () => {
    const sender = {
      send: async (): Promise<SendOutcome> => ({ kind: 'accepted', attempts: 1, itemErrors: [{ customId: 'u1', bulkIndex: 1, category: 'invalid_attribute', reason: 'too long', attribute: 'a' }] }),
    };
    const delivery = await new BatchDeliverer(sender, 'update').deliver(new OperationBatch(ops(['u0', 'u1'])), signal);
    expect(delivery).toEqual({ accepted: 2, rejections: [expect.objectContaining({ customId: 'u1', attribute: 'a', valueExcerpt: 'u1', reason: 'invalid_attribute', origin: 'batch' })] });
  });

  it('stops the run on 401/403/404 instead of splitting', async () => {
    const batch = fakeBatch(new Set(['u0']), 401);
    await expect(new BatchDeliverer(batch, 'update').deliver(ops(['u0', 'u1']), signal)).rejects.toMatchObject({ code: 'BATCH_HTTP_401', kind: 'batch' });
    expect(batch.calls).toHaveLength(1);
  });

  it('gives up when Batch rejects every single operation and accepted none', async () => {
    const ids = Array.from({ length: 64 }, (_, i) => `u${i}`);
    const batch = fakeBatch(new Set(ids));
    await expect(new BatchDeliverer(batch, 'update').deliver(ops(ids), signal)).rejects.toMatchObject({ code: 'BATCH_REJECTS_EVERYTHING' });
  });
});

describe('OutboxLedger', () => {
  function fakeWriter() {
    const calls: string[] = [];
    const writer = {
      deleteThrough: (id: string) => calls.push(`<=${id}`),
      deleteIds: (ids: readonly string[]) => ids.length > 0 && calls.push(`in(${ids.join(',')})`),
    } as unknown as StateWriter;
    return { writer, calls };
  }

  it('records progress as one range delete of the contiguous handled prefix, only when asked and only if it grew', () => {
    const { writer, calls } = fakeWriter();
    const ledger = new OutboxLedger(writer);
    const a = ledger.openSegment(['a1', 'a2']);
    const b = ledger.openSegment(['b1', 'b2']);
    const c = ledger.openSegment(['c1']);
    ledger.complete(b);
    expect(ledger.recordProgress()).toBe(false); // a is still in flight: nothing after it may be deleted by range
    ledger.complete(a);
    expect(calls).toEqual([]); // completing never sends a statement by itself
    expect(ledger.unrecorded).toBe(4);
    expect(ledger.recordProgress()).toBe(true);
    expect(ledger.recordProgress()).toBe(false);
    expect(calls).toEqual(['<=b2']);
    ledger.complete(c);
    ledger.settle();
    expect(calls).toEqual(['<=b2', '<=c1']);
  });

  it('on an early stop deletes handled segments behind an unfinished one by ID, and keeps the unfinished', () => {
    const { writer, calls } = fakeWriter();
    const ledger = new OutboxLedger(writer);
    const a = ledger.openSegment(['a1']);
    ledger.openSegment(['b1', 'b2']);
    const c = ledger.openSegment(['c1', 'c2']);
    ledger.complete(a);
    ledger.complete(c);
    ledger.settle();
    expect(calls).toEqual(['<=a1', 'in(c1,c2)']);
    expect(ledger.open).toBe(1);
  });
});
