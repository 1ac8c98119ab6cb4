import type { StateWriter } from './state-writer.js';

/** Consecutive outbox rows (in send order) whose fate is decided together: one request's worth. */
export interface Segment {
  syncIds: string[];
  done: boolean;
}

/**
 * Tracks which outbox rows were handled (accepted by Batch, or rejected and recorded) and turns that into
 * few, cheap deletes: rows are streamed in BATCH_SYNC_ID order, so once every segment up to a row is done a
 * single `DELETE … WHERE BATCH_SYNC_ID <= ?` removes the whole prefix. Requests finish out of order; done
 * segments behind an unfinished one wait, and are deleted by ID only if the run stops early.
 * When to delete is the caller's choice (recordProgress): the send step does it on a timer, so the number
 * of statements follows the run's duration, not its size, and a crash resends at most one interval.
 */
export class OutboxLedger {
  private readonly segments: Segment[] = [];
  private watermark: string | undefined;
  private rowsSinceDelete = 0;

  constructor(private readonly writer: StateWriter) {}

  /** Segments opened and not yet deleted (bounded by the sender's window). */
  get open(): number {
    return this.segments.length;
  }

  /** Handled rows of the contiguous prefix not yet covered by a queued delete. */
  get unrecorded(): number {
    return this.rowsSinceDelete;
  }

  openSegment(syncIds: string[]): Segment {
    const segment: Segment = { syncIds, done: false };
    this.segments.push(segment);
    return segment;
  }

  complete(segment: Segment): void {
    segment.done = true;
    while (this.segments[0]?.done) {
      const head = this.segments.shift()!;
      const last = head.syncIds[head.syncIds.length - 1];
      if (last !== undefined) this.watermark = last;
      this.rowsSinceDelete += head.syncIds.length;
    }
  }

  /** Queues one prefix delete for the handled prefix, if it grew since the last one. */
  recordProgress(onCommitted?: (rowsDeleted: number) => void): boolean {
    if (this.watermark === undefined || this.rowsSinceDelete === 0) return false;
    this.writer.deleteThrough(this.watermark, onCommitted);
    this.rowsSinceDelete = 0;
    return true;
  }

  /** Queues the deletes for everything handled so far (call at the end of a run, complete or not). */
  settle(): void {
    this.recordProgress();
    const handledBeyond = this.segments.filter((s) => s.done).flatMap((s) => s.syncIds);
    this.writer.deleteIds(handledBeyond);
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]!.done) this.segments.splice(i, 1);
  }
}
