/**
 * Which source columns make an event, decided once per result set, and what `init` (and the worker at
 * start-up) must refuse before any row is read: a missing time column, an invalid constant name, more
 * than 20 attribute columns, names Batch refuses.
 */
import type { ColumnInfo } from '../snowflake/types.js';
import { attributeNameProblem, findIdColumn, isMetadataColumn, planColumns, type ColumnPlan } from '../payload/index.js';
import { sameColumn } from '../payload/names.js';
import { MAX_EVENT_ATTRIBUTES, eventNameProblem } from './rules.js';
import type { EventColumnIssue, EventMapping } from './types.js';

const TEMPORAL = new Set(['date', 'timestamp_ntz', 'timestamp_ltz', 'timestamp_tz', 'text', 'variant']);
const quote = (name: string) => JSON.stringify(name);

export const findColumn = (columns: readonly ColumnInfo[], name: string | undefined): ColumnInfo | undefined =>
  name === undefined ? undefined : (columns.find((c) => c.name === name) ?? columns.find((c) => sameColumn(c.name, name)));

/** The columns that are not attributes: id, name, time, label, tags. */
export function specialColumns(mapping: EventMapping): string[] {
  const names = [mapping.idColumn, mapping.timeColumn];
  if ('column' in mapping.eventName) names.push(mapping.eventName.column);
  if (mapping.labelColumn) names.push(mapping.labelColumn);
  if (mapping.tagsColumn) names.push(mapping.tagsColumn);
  return names;
}

/** How each attribute column is sent (roles attribute / date / url / invalid), in column order. */
export function planEventAttributes(columns: readonly ColumnInfo[], mapping: EventMapping): ColumnPlan[] {
  const special = specialColumns(mapping);
  const listed = mapping.attributeColumns;
  const ignore = columns
    .filter((c) => special.some((s) => sameColumn(s, c.name)) || (listed !== undefined && !listed.some((l) => sameColumn(l, c.name))))
    .map((c) => c.name);
  const plan = planColumns(columns, {
    idColumn: mapping.idColumn,
    dateColumns: mapping.dateColumns,
    urlColumns: mapping.urlColumns,
    nullPolicy: 'skip',
    ignoreColumns: [...ignore, ...(mapping.ignoreColumns ?? [])],
  });
  return plan.filter((p) => p.role !== 'id' && p.role !== 'ignored');
}

export function validateEventColumns(columns: readonly ColumnInfo[], mapping: EventMapping): { issues: EventColumnIssue[]; ok: boolean } {
  const issues: EventColumnIssue[] = [];
  const error = (code: EventColumnIssue['code'], column: string, message: string) => issues.push({ severity: 'error', code, column, message });
  const available = columns.filter((c) => !isMetadataColumn(c.name)).map((c) => c.name).join(', ');
  if (!findIdColumn(columns, mapping.idColumn)) error('missing_id_column', mapping.idColumn, `ID column ${quote(mapping.idColumn)} is not in the source (columns: ${available}). Pass --id-column with one of them.`);
  const time = findColumn(columns, mapping.timeColumn);
  if (!time) {
    error('missing_time_column', mapping.timeColumn, `The source has no event time column ${quote(mapping.timeColumn)} (columns: ${available}). Batch keeps only events of the last 24 hours, so every event needs the time it happened: add a TIMESTAMP column to the view (e.g. o.ORDERED_AT AS EVENT_TIME) and pass --event-time-column EVENT_TIME.`);
  } else if (!TEMPORAL.has(time.type)) {
    error('time_column_type', time.name, `Event time column ${quote(time.name)} has type ${time.type}; it must be a DATE or TIMESTAMP. Convert it in the view, e.g. TO_TIMESTAMP(${time.name}) AS EVENT_TIME.`);
  }
  if ('column' in mapping.eventName) {
    if (!findColumn(columns, mapping.eventName.column)) error('missing_name_column', mapping.eventName.column, `Event name column ${quote(mapping.eventName.column)} is not in the source (columns: ${available}). Pass --event-name-column, or --event-name NAME for one constant name.`);
  } else {
    const problem = eventNameProblem(mapping.eventName.constant);
    if (problem) error('invalid_event_name', '', problem.message);
  }
  if (mapping.labelColumn && !findColumn(columns, mapping.labelColumn)) error('missing_label_column', mapping.labelColumn, `Label column ${quote(mapping.labelColumn)} is not in the source (columns: ${available}).`);
  if (mapping.tagsColumn && !findColumn(columns, mapping.tagsColumn)) error('missing_tags_column', mapping.tagsColumn, `Tags column ${quote(mapping.tagsColumn)} is not in the source (columns: ${available}).`);
  for (const name of mapping.attributeColumns ?? []) {
    if (!findColumn(columns, name)) error('missing_attribute_column', name, `Attribute column ${quote(name)} is not in the source (columns: ${available}).`);
  }
  const plan = planEventAttributes(columns, mapping);
  for (const entry of plan) {
    if (entry.role === 'invalid') {
      const problem = attributeNameProblem(entry.column);
      error('invalid_attribute_name', entry.column, problem?.message ?? entry.problem?.message ?? `Column ${quote(entry.column)} cannot be an event attribute.`);
    } else if (entry.type === 'binary') {
      error('binary_column', entry.column, `Column ${quote(entry.column)} is BINARY; Batch has no binary type. Use HEX_ENCODE(col) in the view.`);
    }
  }
  const sent = plan.length + (mapping.labelColumn ? 1 : 0) + (mapping.tagsColumn ? 1 : 0);
  if (sent > MAX_EVENT_ATTRIBUTES) {
    error('too_many_attributes', '', `${sent} event attributes ($label and $tags included); Batch takes at most ${MAX_EVENT_ATTRIBUTES} per event. Drop columns from the view or list the ones to send.`);
  }
  return { issues, ok: issues.every((i) => i.severity !== 'error') };
}
