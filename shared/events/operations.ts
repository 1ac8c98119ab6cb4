/**
 * Events → profile operations: grouped by profile, at most MAX_EVENTS_PER_OPERATION events per operation;
 * a profile with more events in one run gets several operations, split in time order (the caller feeds
 * events sorted by profile, then time). Nothing is dropped by the split.
 */
import type { Rejection } from '../payload/types.js';
import { valueExcerpt } from '../payload/excerpt.js';
import { MAX_EVENTS_PER_OPERATION, timeWindowProblem } from './rules.js';
import type { EventOperation, EventRecord } from './types.js';

/** The 24-hour window at send time: a rejection (too_old / in_future) or null. */
export function eventWindow(record: EventRecord, nowMs: number): Rejection | null {
  const problem = timeWindowProblem(record.timeMs, nowMs);
  if (!problem) return null;
  return {
    customId: record.customId,
    scope: 'row',
    column: 'time',
    attribute: record.event.name,
    valueExcerpt: valueExcerpt(record.event.time),
    reason: problem.reason,
    message: problem.message,
  };
}

export class EventOperationBuilder {
  private current: EventOperation | null = null;

  constructor(private readonly maxPerOperation: number = MAX_EVENTS_PER_OPERATION) {}

  /** Adds one event; returns the operation it completed (full, or another profile starts), if any. */
  add(record: EventRecord): EventOperation | null {
    let done: EventOperation | null = null;
    const current = this.current;
    if (current && (current.identifiers.custom_id !== record.customId || current.events.length >= this.maxPerOperation)) {
      done = current;
      this.current = null;
    }
    if (!this.current) this.current = { identifiers: { custom_id: record.customId }, events: [] };
    this.current.events.push(record.event);
    return done;
  }

  /** The operation under construction, if any (end of input). */
  flush(): EventOperation | null {
    const done = this.current;
    this.current = null;
    return done;
  }
}
