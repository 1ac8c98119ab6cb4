/**
 * The worker's event-sync arguments (`--kind event`): which columns make a Batch event (shared/events).
 * Kept apart from options.ts so the profile options stay as Batch's job has them.
 */
import { usageError } from '../shared/errors.js';
import { eventNameProblem, type EventMapping } from '../shared/events/index.js';

export type SyncKind = 'profile' | 'event';

/** What an event sync adds to the common options (id, date and URL columns are shared). */
export interface EventSettings {
  eventName: EventMapping['eventName'];
  timeColumn: string;
  /** undefined = every column that is not the ID, name, time, label or tags. */
  attributeColumns?: string[];
  labelColumn?: string;
  tagsColumn?: string;
}

export const EVENT_OPTION_SPEC = {
  kind: { type: 'string' },
  'event-name-column': { type: 'string' },
  'event-name': { type: 'string' },
  'event-time-column': { type: 'string' },
  'event-attribute-columns': { type: 'string' },
  'label-column': { type: 'string' },
  'tags-column': { type: 'string' },
} as const;

export const EVENT_USAGE = `Event syncs (--kind event; one source row = one Batch event, APPEND_ONLY stream):
  --event-name-column COL        column holding the event name, or
  --event-name NAME              one constant name for every row ([a-z0-9_], ≤ 30)
  --event-time-column COL        DATE/TIMESTAMP column: when the event happened (required)
  --event-attribute-columns A,B  columns sent as event attributes (default: all the others)
  --label-column COL             sent as $label      --tags-column COL   sent as $tags`;

type Values = Record<string, string | boolean | undefined>;

/** `--kind` and the event settings; null settings for a profile sync (event flags are then refused). */
export function parseEventOptions(values: Values, splitList: (value: string | undefined) => string[]): { kind: SyncKind; events: EventSettings | null } {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const kind = text('kind') ?? 'profile';
  if (kind !== 'profile' && kind !== 'event') {
    throw usageError('INVALID_ARGUMENT', `--kind is "${kind}"; expected one of: profile, event.`, { suggestion: 'Pass --kind event for an event sync.' });
  }
  const eventFlags = Object.keys(EVENT_OPTION_SPEC).filter((k) => k !== 'kind' && text(k) !== undefined);
  if (kind === 'profile') {
    if (eventFlags.length > 0) throw usageError('INVALID_ARGUMENT', `--${eventFlags[0]} is for event syncs.`, { suggestion: 'Add --kind event.' });
    return { kind, events: null };
  }
  const nameColumn = text('event-name-column');
  const constant = text('event-name');
  if ((nameColumn === undefined) === (constant === undefined)) {
    throw usageError('MISSING_ARGUMENT', 'An event sync needs exactly one of --event-name-column and --event-name.', { suggestion: 'Pass --event-name-column EVENT_NAME, or --event-name purchase for one constant name.' });
  }
  if (constant !== undefined) {
    const problem = eventNameProblem(constant);
    if (problem) throw usageError('INVALID_ARGUMENT', `--event-name: ${problem.message}`);
  }
  const timeColumn = text('event-time-column');
  if (timeColumn === undefined) {
    throw usageError('MISSING_ARGUMENT', 'An event sync needs --event-time-column: Batch keeps only events of the last 24 hours.', { suggestion: 'Pass --event-time-column EVENT_TIME (a DATE or TIMESTAMP column of the source).' });
  }
  const attributes = values['event-attribute-columns'];
  const label = text('label-column');
  const tags = text('tags-column');
  return {
    kind,
    events: {
      eventName: nameColumn !== undefined ? { column: nameColumn } : { constant: constant! },
      timeColumn,
      ...(typeof attributes === 'string' ? { attributeColumns: splitList(attributes) } : {}),
      ...(label ? { labelColumn: label } : {}),
      ...(tags ? { tagsColumn: tags } : {}),
    },
  };
}

/** The event transform's mapping for these options. */
export function toEventMapping(options: { idColumn: string; dateColumns: string[]; urlColumns: string[]; events: EventSettings | null }): EventMapping {
  const events = options.events;
  if (!events) throw new Error('toEventMapping needs --kind event');
  return { idColumn: options.idColumn, dateColumns: options.dateColumns, urlColumns: options.urlColumns, ...events };
}
