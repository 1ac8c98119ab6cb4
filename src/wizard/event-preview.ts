/**
 * Preview of an event sync, before anything is written: the first events as the exact operations Batch will
 * receive (THE event transform the worker uses, shared/events), the problems on the sample by reason, and
 * what an event sync never does: updates and deletes of event rows are not events (APPEND_ONLY stream),
 * and events older than 24 h cannot be sent (no backfill).
 */
import { EventOperationBuilder, createEventTransform, eventWindow, type EventMapping, type EventOperation } from '../../shared/events/index.js';
import type { Rejection } from '../../shared/payload/types.js';
import type { SourceSample } from '../introspect/source.js';
import type { Wizard } from './context.js';

export interface EventPreview {
  sampledRows: number;
  operations: EventOperation[];
  problems: Record<string, number>;
  examples: Record<string, string>;
  /** Sampled rows whose event time is more than 24 h before now: never sendable (too_old). */
  olderThan24h: number;
}

const PREVIEW_EVENTS = 3;

export function buildEventPreview(sample: SourceSample, mapping: EventMapping, nowMs: number): EventPreview {
  const transform = createEventTransform(sample.columns, mapping);
  const preview: EventPreview = { sampledRows: sample.rows.length, operations: [], problems: {}, examples: {}, olderThan24h: 0 };
  const count = (r: Rejection) => {
    preview.problems[r.reason] = (preview.problems[r.reason] ?? 0) + 1;
    preview.examples[r.reason] ??= r.message;
  };
  const builder = new EventOperationBuilder();
  let events = 0;
  for (const row of sample.rows) {
    const { record, rejections } = transform.toEvent(row);
    rejections.forEach(count);
    const late = record ? eventWindow(record, nowMs) : null;
    if (late) {
      count(late);
      if (late.reason === 'too_old') preview.olderThan24h++;
    }
    if (record && !late && events < PREVIEW_EVENTS) {
      events++;
      const done = builder.add(record);
      if (done) preview.operations.push(done);
    }
  }
  const last = builder.flush();
  if (last) preview.operations.push(last);
  return preview;
}

export function printEventPreview(w: Wizard, preview: EventPreview, apiUrl: string): void {
  const { output } = w;
  output.info(output.style.bold(`\nPreview: the first event operation(s) Batch will receive (POST ${apiUrl}/…/profiles/update)`));
  if (preview.operations.length === 0) output.info('  (no sendable event in the sample)');
  for (const operation of preview.operations) output.info(`  ${JSON.stringify(operation)}`);
  output.info('Only new rows are events: the stream is APPEND_ONLY, so updates and deletes of event rows are not sent (not as events, not as changes).');
  if (preview.olderThan24h > 0) {
    output.warn(`${preview.olderThan24h} of the ${preview.sampledRows} sampled row(s) are older than 24 h. Batch accepts only events of the last 24 hours: events cannot be backfilled, such rows are rejected (too_old) and recorded in BATCH_SYNC_REJECTED.`);
  }
  const problems = Object.entries(preview.problems).filter(([reason]) => reason !== 'too_old');
  if (problems.length === 0) {
    output.success(`No other validation problem in the ${preview.sampledRows} sampled row(s)`);
    return;
  }
  output.warn(`Validation problems in the ${preview.sampledRows} sampled row(s) (each event is rejected or trimmed alone, never blocking the others):`);
  for (const [reason, n] of problems.sort((a, b) => b[1] - a[1])) output.info(`  ${String(n).padStart(5)} × ${reason}: e.g. ${preview.examples[reason] ?? ''}`);
}
