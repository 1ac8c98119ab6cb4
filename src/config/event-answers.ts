/**
 * The answers of an event sync (`kind: 'event'`): one source row = one Batch event (shared/events). A
 * variant of the single-sync answers: `kind` plus this `event` block; the ID, date and URL columns are the
 * common answers. Kept in its own schema so a list of named syncs can hold either kind.
 */
import { z } from 'zod';

// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const column = z.string().min(1).max(255).regex(NO_CONTROL, 'control characters are not allowed in a column name');
const listed = column.refine((v) => !v.includes(','), 'a column name in a list cannot contain a comma');

export const SYNC_KINDS = ['profile', 'event'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export const EventAnswersSchema = z
  .object({
    /** Column holding the event name … */
    eventNameColumn: column.optional(),
    /** … or one constant name ([a-z0-9_], ≤ 30, no `$`: Batch's custom event names, batch-api.md §3.8). */
    eventName: z.string().regex(/^[a-z0-9_]{1,30}$/, 'an event name of 1–30 characters among [a-z0-9_]').optional(),
    /** DATE / TIMESTAMP column: when the event happened (Batch keeps only the last 24 h). */
    eventTimeColumn: column,
    /** Columns sent as event attributes; absent = every column but the ID, name, time, label and tags. */
    attributeColumns: z.array(listed).optional(),
    labelColumn: column.optional(),
    tagsColumn: column.optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.eventNameColumn === undefined) === (value.eventName === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['eventNameColumn'], message: 'give exactly one of eventNameColumn (--event-name-column) and eventName (--event-name)' });
    }
  });

export type EventAnswers = z.output<typeof EventAnswersSchema>;

/** The worker arguments of an event sync (worker/options-events.ts), after the common ones. */
export function eventWorkerArgs(event: EventAnswers, listItem: (name: string) => string): string[] {
  const args = ['--kind', 'event'];
  if (event.eventNameColumn !== undefined) args.push('--event-name-column', event.eventNameColumn);
  else args.push('--event-name', event.eventName!);
  args.push('--event-time-column', event.eventTimeColumn);
  if (event.attributeColumns !== undefined) args.push('--event-attribute-columns', event.attributeColumns.map(listItem).join(','));
  if (event.labelColumn !== undefined) args.push('--label-column', event.labelColumn);
  if (event.tagsColumn !== undefined) args.push('--tags-column', event.tagsColumn);
  return args;
}
