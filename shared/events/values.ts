/**
 * Event attribute values: the profile attribute rules (shared/payload: dates, URLs, numbers, booleans,
 * string arrays) plus what only events take, objects and arrays of objects (batch-api.md §3.5, §3.8), from
 * VARIANT / OBJECT / ARRAY columns. Limits of §9.3 (stricter reading, see rules.ts): strings ≤ 200, ≤ 20
 * keys per object, objects nested ≤ 3 levels, arrays ≤ 25 items of one kind (strings or objects).
 */
import { attributeValue, isValidAttributeName, type ColumnPlan } from '../payload/index.js';
import { dateValue } from '../payload/dates.js';
import { urlValue } from '../payload/urls.js';
import { EMPTY, isBlank, isPlainObject, reject, type ValueResult } from '../payload/values.js';
import { EVENT_ARRAY_MAX, EVENT_STRING_MAX, MAX_EVENT_ATTRIBUTES, OBJECT_DEPTH_MAX } from './rules.js';

export type EventValue = string | number | boolean | string[] | EventObject | EventObject[];
export interface EventObject {
  [key: string]: EventValue;
}

export type EventValueResult = { kind: 'value'; value: EventValue } | Exclude<ValueResult, { kind: 'value' }>;

const JSON_TYPES = new Set(['variant', 'object', 'array']);
const tooLong = (length: number) =>
  reject('string_too_long', `String of ${length} characters; Batch event strings hold at most ${EVENT_STRING_MAX} (not truncated). Shorten it in the view, e.g. LEFT(col, ${EVENT_STRING_MAX}).`);

/** One event attribute cell, as its column plan says (date, url, JSON column or plain attribute). */
export function eventAttributeValue(raw: unknown, entry: ColumnPlan): EventValueResult {
  if (raw === null || raw === undefined) return EMPTY;
  if (entry.role === 'date') return dateValue(raw);
  if (entry.role === 'url') return urlValue(raw);
  if (JSON_TYPES.has(entry.type)) return jsonValue(raw);
  const result = attributeValue(raw, entry.type, entry.scale);
  if (result.kind !== 'value') return result;
  return capStrings(result.value);
}

function capStrings(value: EventValue): EventValueResult {
  if (typeof value === 'string' && value.length > EVENT_STRING_MAX) return tooLong(value.length);
  if (Array.isArray(value)) {
    const long = (value as unknown[]).find((item) => typeof item === 'string' && item.length > EVENT_STRING_MAX) as string | undefined;
    if (long !== undefined) return reject('invalid_array_item', `An array item is ${long.length} characters long (event strings: at most ${EVENT_STRING_MAX}).`);
  }
  return { kind: 'value', value };
}

/** A VARIANT / OBJECT / ARRAY cell: a JSON object or array (or their text), numbers and booleans as they are. */
export function jsonValue(raw: unknown): EventValueResult {
  let value = raw;
  if (typeof raw === 'string') {
    if (isBlank(raw)) return EMPTY;
    try {
      value = JSON.parse(raw);
    } catch {
      value = undefined;
    }
    if (!Array.isArray(value) && !isPlainObject(value)) {
      return reject('invalid_json', 'VARIANT value is not a JSON object or array; select it as VARCHAR in the view if it is plain text, or fix the JSON (PARSE_JSON).');
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean') return attributeValue(value, 'real', undefined) as EventValueResult;
  const checked = checkJson(value, 1);
  if ('problem' in checked) return reject(checked.problem.startsWith('array') ? 'invalid_array_item' : 'invalid_object', checked.problem);
  return checked.value === undefined ? EMPTY : { kind: 'value', value: checked.value };
}

type Checked = { value: EventValue | undefined } | { problem: string };
const nothing: Checked = { value: undefined };

/** The cleaned value (nulls and blank strings dropped; undefined when nothing is left), or why it is refused. */
function checkJson(value: unknown, depth: number): Checked {
  if (value === null || value === undefined) return nothing;
  if (typeof value === 'string') {
    if (isBlank(value)) return nothing;
    return value.length > EVENT_STRING_MAX ? { problem: `string of ${value.length} characters (at most ${EVENT_STRING_MAX})` } : { value };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? { value } : { problem: 'non-finite number' };
  if (typeof value === 'boolean') return { value };
  if (Array.isArray(value)) return checkArray(value, depth);
  if (isPlainObject(value)) {
    if (depth > OBJECT_DEPTH_MAX) return { problem: `objects nested deeper than ${OBJECT_DEPTH_MAX} levels` };
    const keys = Object.keys(value);
    if (keys.length > MAX_EVENT_ATTRIBUTES) return { problem: `object with ${keys.length} keys (at most ${MAX_EVENT_ATTRIBUTES})` };
    const out: EventObject = {};
    for (const key of keys) {
      if (!isValidAttributeName(key)) return { problem: `object key ${JSON.stringify(key.slice(0, 40))} is not 1–30 characters among [a-z0-9_]` };
      const checked = checkJson(value[key], depth + 1);
      if ('problem' in checked) return { problem: `${key}: ${checked.problem}` };
      if (checked.value !== undefined) out[key] = checked.value;
    }
    return Object.keys(out).length === 0 ? nothing : { value: out };
  }
  return { problem: `unsupported value (${typeof value})` };
}

function checkArray(value: readonly unknown[], depth: number): Checked {
  const items = value.filter((item) => item !== null);
  if (items.length === 0) return nothing;
  if (items.length > EVENT_ARRAY_MAX) return { problem: `array of ${items.length} items (at most ${EVENT_ARRAY_MAX})` };
  const strings = items.every((item) => typeof item === 'string');
  if (!strings && !items.every((item) => isPlainObject(item))) return { problem: 'array mixing kinds: Batch takes arrays of strings or arrays of objects' };
  const out: unknown[] = [];
  for (const item of items) {
    const checked = checkJson(item, strings ? depth : depth + 1);
    if ('problem' in checked) return { problem: `array item: ${checked.problem}` };
    if (checked.value === undefined) return { problem: 'array item is empty' };
    out.push(checked.value);
  }
  return { value: out as EventValue };
}
