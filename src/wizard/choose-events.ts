/**
 * The event-sync questions (`--kind event`): what the sync sends, then which columns make a Batch event
 * (name column or constant name, time column, attribute columns, $label / $tags columns). Checked on the
 * sample with THE event rules (shared/events): a source without an event time column is refused with the fix.
 */
import { isMetadataColumn } from '../../shared/payload/index.js';
import { validateEventColumns, type EventMapping } from '../../shared/events/index.js';
import { usageError } from '../../shared/errors.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import type { EventAnswers, SyncKind } from '../config/event-answers.js';
import { sqlTypeLabel, type SourceSample } from '../introspect/source.js';
import { choose, type Wizard } from './context.js';

const TEMPORAL = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz']);
const NONE = '(none)';
const CONSTANT = '(one constant name)';
const TIME_GUESS = /^(EVENT_?(TIME|AT|DATE|TS)|OCCURRED_?AT|CREATED_?AT|TIMESTAMP)$/i;

/**
 * Asked on a first install only: a saved sync keeps its kind on reconfiguration (a config without `kind`
 * is a profile sync), `--kind` changes it.
 */
export async function chooseKind(w: Wizard, given: SyncKind | undefined, remembered: SyncKind | undefined): Promise<SyncKind> {
  if (given === undefined && remembered !== undefined) return remembered;
  return (await choose<SyncKind>(w, {
    flag: '--kind profile|event',
    what: 'what the sync sends',
    given,
    remembered,
    suggested: 'profile',
    prompt: (current) => w.prompter!.select<SyncKind>({
      message: 'What should Batch receive?',
      choices: [
        { value: 'profile', name: 'Profile attributes (one row per customer; changes update the profile)' },
        { value: 'event', name: 'Events (one row per event: purchase, renewal…; only new rows, last 24 h)' },
      ],
      default: current ?? 'profile',
    }),
  })) ?? 'profile';
}

const exact = (columns: readonly ColumnInfo[], name: string | undefined) =>
  name === undefined ? undefined : (columns.find((c) => c.name === name)?.name ?? columns.find((c) => c.name.toUpperCase() === name.toUpperCase())?.name ?? name);

export async function chooseEventColumns(
  w: Wizard,
  sample: SourceSample | null,
  idColumn: string | undefined,
  given: Partial<EventAnswers>,
  remembered: Partial<EventAnswers> | undefined,
): Promise<Partial<EventAnswers>> {
  const columns = (sample?.columns ?? []).filter((c) => !isMetadataColumn(c.name) && c.name !== idColumn);
  const label = (c: ColumnInfo) => `${c.name} (${sqlTypeLabel(c)})`;
  const constantGiven = given.eventName ?? (given.eventNameColumn === undefined ? undefined : null);
  let eventName: string | undefined = constantGiven ?? undefined;
  let eventNameColumn: string | undefined;
  if (constantGiven === undefined) {
    const picked = await choose<string>(w, {
      flag: '--event-name-column COLUMN (or --event-name NAME)',
      what: 'event name column',
      given: exact(columns, given.eventNameColumn),
      remembered: remembered?.eventNameColumn ?? (remembered?.eventName ? CONSTANT : undefined),
      ...(sample ? { prompt: (current) => w.prompter!.select<string>({
        message: 'Which column holds the event name?',
        choices: [...columns.filter((c) => c.type === 'text').map((c) => ({ value: c.name, name: label(c) })), { value: CONSTANT, name: 'One constant name for every row' }],
        default: current ?? columns.find((c) => /^EVENT_?NAME$/i.test(c.name))?.name,
      }) } : {}),
    });
    if (picked === CONSTANT) {
      eventName = remembered?.eventName;
      if (w.prompter) eventName = await w.prompter.input({ message: 'Event name ([a-z0-9_], at most 30):', ...(eventName ? { default: eventName } : {}), validate: (v) => /^[a-z0-9_]{1,30}$/.test(v) || 'lower case letters, digits and _ only, at most 30' });
    } else {
      eventNameColumn = picked;
    }
  } else {
    eventNameColumn = given.eventNameColumn;
  }
  const temporal = columns.filter((c) => TEMPORAL.has(c.type));
  if (sample && given.eventTimeColumn === undefined && remembered?.eventTimeColumn === undefined && temporal.length === 0) {
    throw usageError('EVENT_TIME_COLUMN_MISSING', `The source has no DATE or TIMESTAMP column for the event time (columns: ${columns.map((c) => c.name).join(', ')}). Batch keeps only events of the last 24 hours, so every event needs the time it happened.`, {
      suggestion: 'Add the time to the view (e.g. o.ORDERED_AT AS EVENT_TIME) and pass --event-time-column EVENT_TIME.',
    });
  }
  const eventTimeColumn = await choose<string>(w, {
    flag: '--event-time-column COLUMN',
    what: 'event time column',
    given: exact(columns, given.eventTimeColumn),
    remembered: remembered?.eventTimeColumn,
    ...(sample ? { suggested: temporal.find((c) => TIME_GUESS.test(c.name))?.name ?? temporal[0]?.name } : {}),
    ...(sample ? { prompt: (current) => w.prompter!.select<string>({ message: 'When did the event happen (DATE / TIMESTAMP column)?', choices: temporal.map((c) => ({ value: c.name, name: label(c) })), ...(current ? { default: current } : {}) }) } : {}),
  });
  const optional = async (flag: string, what: string, givenValue: string | undefined, saved: string | undefined, message: string, types: (c: ColumnInfo) => boolean) => {
    const picked = await choose<string>(w, {
      flag, what, given: exact(columns, givenValue), remembered: saved, suggested: NONE,
      ...(sample ? { prompt: (current) => w.prompter!.select<string>({ message, choices: [{ value: NONE, name: NONE }, ...columns.filter(types).map((c) => ({ value: c.name, name: label(c) }))], default: current ?? NONE }) } : {}),
    });
    return picked === NONE ? undefined : picked;
  };
  const labelColumn = await optional('--label-column COLUMN', '$label column', given.labelColumn, remembered?.labelColumn, 'Column sent as the event $label (optional):', (c) => c.type === 'text');
  const tagsColumn = await optional('--tags-column COLUMN', '$tags column', given.tagsColumn, remembered?.tagsColumn, 'Column sent as the event $tags (optional, an ARRAY of strings):', (c) => c.type === 'array' || c.type === 'variant' || c.type === 'text');
  const taken = new Set([eventNameColumn, eventTimeColumn, labelColumn, tagsColumn]);
  const rest = columns.filter((c) => !taken.has(c.name));
  const attributeColumns = await choose<string[]>(w, {
    flag: '--event-attribute-columns a,b',
    what: 'event attribute columns',
    given: given.attributeColumns?.map((n) => exact(columns, n)!),
    remembered: remembered?.attributeColumns,
    ...(sample ? { suggested: rest.map((c) => c.name) } : {}),
    show: (names) => (names.length === 0 ? '(none)' : names.join(',')),
    ...(sample ? { prompt: (current) => w.prompter!.checkbox<string>({
      message: 'Event attributes (VARIANT/OBJECT/ARRAY columns may hold objects; at most 20 with $label/$tags):',
      choices: rest.map((c) => ({ value: c.name, name: label(c), checked: (current ?? []).includes(c.name) })),
    }) } : {}),
  });
  const answers: Partial<EventAnswers> = {
    ...(eventNameColumn !== undefined ? { eventNameColumn } : {}),
    ...(eventName !== undefined ? { eventName } : {}),
    ...(eventTimeColumn !== undefined ? { eventTimeColumn } : {}),
    ...(attributeColumns !== undefined ? { attributeColumns } : {}),
    ...(labelColumn !== undefined ? { labelColumn } : {}),
    ...(tagsColumn !== undefined ? { tagsColumn } : {}),
  };
  if (sample && idColumn && eventTimeColumn && (eventNameColumn || eventName)) {
    const { issues } = validateEventColumns(sample.columns, toMapping(idColumn, answers, [], []));
    const blocking = issues.find((i) => i.severity === 'error');
    if (blocking) throw usageError('EVENT_COLUMNS_INVALID', blocking.message, { details: { issues } });
  }
  return answers;
}

/** The event transform's mapping for these answers. */
export function toMapping(idColumn: string, event: Partial<EventAnswers>, dateColumns: readonly string[], urlColumns: readonly string[]): EventMapping {
  return {
    idColumn, dateColumns, urlColumns,
    eventName: event.eventNameColumn !== undefined ? { column: event.eventNameColumn } : { constant: event.eventName ?? '' },
    timeColumn: event.eventTimeColumn ?? '',
    ...(event.attributeColumns !== undefined ? { attributeColumns: event.attributeColumns } : {}),
    ...(event.labelColumn !== undefined ? { labelColumn: event.labelColumn } : {}),
    ...(event.tagsColumn !== undefined ? { tagsColumn: event.tagsColumn } : {}),
  };
}
