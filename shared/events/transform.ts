/**
 * THE row → Batch event transform, used by the worker for every captured event row and by the wizard's
 * preview. Pure: no I/O, no clock (the 24-hour window is checked at send time, operations.ts). A bad
 * attribute, label or tags value is dropped alone with its reason; a missing or invalid ID, name or time,
 * more than 20 attributes or more than 25 KB reject the whole event.
 */
import { usageError } from '../errors.js';
import type { ColumnInfo } from '../snowflake/types.js';
import { customIdFrom, valueExcerpt, type ColumnPlan, type Rejection, type RejectionReason } from '../payload/index.js';
import { dateValue } from '../payload/dates.js';
import { isBlank } from '../payload/values.js';
import { findColumn, planEventAttributes, validateEventColumns } from './columns.js';
import { LABEL_MAX, MAX_EVENT_ATTRIBUTES, MAX_EVENT_BYTES, TAGS_MAX, TAG_MAX, eventBytes, eventNameProblem } from './rules.js';
import type { BatchEvent, EventMapping, EventResult } from './types.js';
import { eventAttributeValue, type EventObject } from './values.js';

type Row = Readonly<Record<string, unknown>>;

export interface EventTransform {
  /** How each attribute column is sent, in column order. */
  readonly plan: readonly ColumnPlan[];
  readonly idColumn: string;
  readonly timeColumn: string;
  toEvent(row: Row): EventResult;
}

/** Compiles the column plan once; throws UserError (with the fix) when the mapping cannot work at all. */
export function createEventTransform(columns: readonly ColumnInfo[], mapping: EventMapping): EventTransform {
  const check = validateEventColumns(columns, mapping);
  const blocking = check.issues.find((i) => i.severity === 'error' && i.code !== 'invalid_attribute_name' && i.code !== 'binary_column');
  if (blocking) throw usageError(blocking.code.toUpperCase(), blocking.message);
  const id = findColumn(columns, mapping.idColumn)!;
  const time = findColumn(columns, mapping.timeColumn)!;
  const nameColumn = 'column' in mapping.eventName ? findColumn(columns, mapping.eventName.column) : undefined;
  const label = findColumn(columns, mapping.labelColumn);
  const tags = findColumn(columns, mapping.tagsColumn);
  const plan = planEventAttributes(columns, mapping);

  return {
    plan,
    idColumn: id.name,
    timeColumn: time.name,
    toEvent(row) {
      const rejections: Rejection[] = [];
      const rawId = row[id.name];
      const identified = customIdFrom(rawId, id.type, id.scale);
      if (!identified.ok) {
        rejections.push(rejection(null, 'row', id.name, rawId, identified.reason, identified.message));
        return { record: null, rejections };
      }
      const customId = identified.id;
      const whole = (column: string, raw: unknown, reason: RejectionReason, message: string): EventResult => {
        rejections.push(rejection(customId, 'row', column, raw, reason, message));
        return { record: null, rejections };
      };
      // Name: never lowercased or cleaned for you (a journey triggers on the exact name).
      let name: string;
      if (nameColumn) {
        const raw = row[nameColumn.name];
        if (raw === null || raw === undefined || (typeof raw === 'string' && isBlank(raw))) {
          return whole(nameColumn.name, raw, 'missing_event_name', 'The event name is NULL or empty; the event cannot be sent.');
        }
        name = String(raw);
        const problem = eventNameProblem(name);
        if (problem) return whole(nameColumn.name, raw, problem.reason, problem.message);
      } else {
        name = (mapping.eventName as { constant: string }).constant;
      }
      const rawTime = row[time.name];
      if (rawTime === null || rawTime === undefined || (typeof rawTime === 'string' && isBlank(rawTime))) {
        return whole(time.name, rawTime, 'missing_event_time', `Event ${name} has no time (NULL); Batch needs when it happened.`);
      }
      const converted = dateValue(rawTime);
      if (converted.kind !== 'value') {
        return whole(time.name, rawTime, 'invalid_event_time', converted.kind === 'reject' ? converted.message : 'Invalid event time.');
      }
      const iso = converted.value as string;
      const attributes: EventObject = {};
      for (const entry of plan) {
        const raw = row[entry.column];
        if (raw === undefined || raw === null) continue;
        if (entry.role === 'invalid') {
          rejections.push(rejection(customId, 'attribute', entry.column, raw, entry.problem?.reason ?? 'invalid_name', entry.problem?.message ?? 'Invalid attribute column.'));
          continue;
        }
        const result = eventAttributeValue(raw, entry);
        if (result.kind === 'value') attributes[entry.key as string] = result.value;
        else if (result.kind === 'reject') rejections.push(rejection(customId, 'attribute', entry.column, raw, result.reason, result.message, entry.key ?? undefined));
      }
      if (label) {
        const raw = row[label.name];
        if (raw !== null && raw !== undefined && !(typeof raw === 'string' && isBlank(raw))) {
          const text = String(raw);
          if (text.length > LABEL_MAX) rejections.push(rejection(customId, 'attribute', label.name, raw, 'invalid_label', `$label of ${text.length} characters; at most ${LABEL_MAX}.`, '$label'));
          else attributes.$label = text;
        }
      }
      if (tags) {
        const raw = row[tags.name];
        const parsed = tagsValue(raw);
        if (typeof parsed === 'string') rejections.push(rejection(customId, 'attribute', tags.name, raw, 'invalid_tags', parsed, '$tags'));
        else if (parsed !== undefined) attributes.$tags = parsed;
      }
      const count = Object.keys(attributes).length;
      if (count > MAX_EVENT_ATTRIBUTES) {
        return whole(time.name, null, 'too_many_attributes', `Event ${name} has ${count} attributes; Batch takes at most ${MAX_EVENT_ATTRIBUTES}.`);
      }
      const event: BatchEvent = count === 0 ? { name, time: iso } : { name, time: iso, attributes };
      const bytes = eventBytes(event);
      if (bytes > MAX_EVENT_BYTES) {
        return whole(time.name, null, 'event_too_large', `Event ${name} is ${bytes} bytes of JSON; Batch takes at most ${MAX_EVENT_BYTES} per event. Send fewer or smaller attributes.`);
      }
      return { record: { customId, timeMs: Date.parse(iso), event }, rejections };
    },
  };
}

function rejection(customId: string | null, scope: Rejection['scope'], column: string, raw: unknown, reason: RejectionReason, message: string, attribute?: string): Rejection {
  return { customId, scope, column, attribute: attribute ?? column.toLowerCase(), valueExcerpt: valueExcerpt(raw), reason, message };
}

/** `$tags`: an ARRAY (or its JSON text, or comma-separated text) of ≤ 10 tags of ≤ 64 characters. */
function tagsValue(raw: unknown): string[] | string | undefined {
  if (raw === null || raw === undefined) return undefined;
  let items: unknown = raw;
  if (typeof raw === 'string') {
    if (isBlank(raw)) return undefined;
    try {
      items = JSON.parse(raw);
    } catch {
      items = raw.split(',').map((t) => t.trim());
    }
  }
  if (!Array.isArray(items)) return 'Tags must be an ARRAY of strings (or comma-separated text).';
  const list = items.filter((t) => t !== null && !(typeof t === 'string' && isBlank(t)));
  if (list.length === 0) return undefined;
  if (list.length > TAGS_MAX) return `${list.length} tags; Batch takes at most ${TAGS_MAX} per event.`;
  const bad = list.find((t) => typeof t !== 'string' || t.length > TAG_MAX);
  if (bad !== undefined) return `Tag ${JSON.stringify(String(bad).slice(0, 70))} is not a string of at most ${TAG_MAX} characters.`;
  return list as string[];
}
