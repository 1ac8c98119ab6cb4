/**
 * Profile attribute rules (batch-api.md §3.3–3.6). Each key/value pair of an operation's `attributes`
 * object is checked on its own: an invalid one becomes a partial error, the others are applied (§4).
 * Where the reference marks a rule UNCONFIRMED we apply the stricter reading and say so below.
 */
import type { StoredAttribute } from './types.js';
import { checkNativeAttribute } from './natives.js';

export type AttributeEdit =
  | { kind: 'set'; name: string; attribute: StoredAttribute }
  | { kind: 'delete'; name: string }
  | { kind: 'arrayEdit'; name: string; add: string[]; remove: string[] };

export type AttributeCheck = { ok: true; edit: AttributeEdit } | { ok: false; reason: string };

/** §3.3: `[a-z0-9_]`, at most 30. Upper case is rejected rather than lowercased (REST behaviour UNCONFIRMED). */
const NAME_PATTERN = /^[a-z0-9_]{1,30}$/;
const TYPED_KEY_PATTERN = /^(date|url)\((.*)\)$/s;
export const STRING_MAX_LENGTH = 300;
export const ARRAY_MAX_ITEMS = 25;
export const URL_MAX_LENGTH = 2048;
/**
 * §3.5 date: the documented form is UTC with `Z` (`1989-07-20T00:00:00Z`); offsets, date-only strings and
 * timestamps are UNCONFIRMED, so they are rejected. Fractional seconds are plain RFC 3339 and accepted.
 */
const RFC3339_UTC_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;
/** §3.5 URL: `scheme://[authority][path][?query][#fragment]`. */
const URL_SCHEME_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

const fail = (reason: string): AttributeCheck => ({ ok: false, reason });
const set = (name: string, attribute: StoredAttribute): AttributeCheck => ({ ok: true, edit: { kind: 'set', name, attribute } });

export function checkAttribute(key: string, value: unknown): AttributeCheck {
  if (key.startsWith('$')) return checkNativeAttribute(key, value);
  const typed = TYPED_KEY_PATTERN.exec(key);
  const name = typed ? (typed[2] ?? '') : key;
  if (!NAME_PATTERN.test(name)) {
    return fail(`invalid attribute name '${name}': use 1 to 30 characters among [a-z0-9_]`);
  }
  if (value === null) return { ok: true, edit: { kind: 'delete', name } }; // §3.6
  if (typed?.[1] === 'date') return checkDate(name, value);
  if (typed?.[1] === 'url') return checkUrl(name, value);
  return checkPlainValue(name, value);
}

/** A non-empty, non-blank string of at most 300 UTF-16 units (§3.5; Android SDK counts String.length()). */
export function stringProblem(value: string): string | null {
  if (value.trim().length === 0) return 'string cannot be empty';
  if (value.length > STRING_MAX_LENGTH) return `string longer than ${STRING_MAX_LENGTH} characters (${value.length})`;
  return null;
}

function checkPlainValue(name: string, value: unknown): AttributeCheck {
  if (typeof value === 'string') {
    const problem = stringProblem(value);
    return problem ? fail(problem) : set(name, { type: 'string', value });
  }
  if (typeof value === 'number') {
    // JSON.parse turns 1e400 into Infinity: "anything bigger than … a double will be rejected" (iOS doc).
    return Number.isFinite(value) ? set(name, { type: 'number', value }) : fail('number out of range');
  }
  if (typeof value === 'boolean') return set(name, { type: 'boolean', value });
  if (Array.isArray(value)) {
    const problem = stringArrayProblem(value);
    return problem ? fail(problem) : set(name, { type: 'array', value: value as string[] });
  }
  return checkArrayEdit(name, value as object);
}

/** §3.5 string arrays: 1–25 valid strings. Empty arrays are rejected like the SDK does (REST UNCONFIRMED). */
export function stringArrayProblem(items: unknown[]): string | null {
  if (items.length === 0) return 'array cannot be empty (send null to delete the attribute)';
  if (items.length > ARRAY_MAX_ITEMS) return `array has more than ${ARRAY_MAX_ITEMS} items (${items.length})`;
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'string') return `array item ${index} is not a string (only string arrays are allowed in profiles)`;
    const problem = stringProblem(item);
    if (problem) return `array item ${index}: ${problem}`;
  }
  return null;
}

/**
 * `{"$add": [...]}` (official example) or `{"$remove": [...]}` (UNCONFIRMED, mirrors the SDKs'
 * removeFromArray). Having both in one object is undocumented: rejected. Any other object is rejected,
 * objects being event-only (§3.5).
 */
function checkArrayEdit(name: string, value: object): AttributeCheck {
  const keys = Object.keys(value);
  const operator = keys[0];
  if (keys.length !== 1 || (operator !== '$add' && operator !== '$remove')) {
    return fail('objects are not supported in profile attributes (only {"$add": [...]} or {"$remove": [...]})');
  }
  const items = (value as Record<string, unknown>)[operator];
  if (!Array.isArray(items)) return fail(`${operator} expects an array of strings`);
  const problem = stringArrayProblem(items);
  if (problem) return fail(`${operator}: ${problem}`);
  const strings = items as string[];
  return { ok: true, edit: { kind: 'arrayEdit', name, add: operator === '$add' ? strings : [], remove: operator === '$remove' ? strings : [] } };
}

function checkDate(name: string, value: unknown): AttributeCheck {
  if (typeof value !== 'string') return fail('date(…) expects an RFC 3339 UTC string such as 1989-07-20T00:00:00Z');
  const match = RFC3339_UTC_PATTERN.exec(value);
  if (!match) return fail(`invalid date '${value}': expected RFC 3339 in UTC, e.g. 1989-07-20T00:00:00Z`);
  const year = Number(match[1]), month = Number(match[2]), day = Number(match[3]);
  // Years 0000-0099 are refused, as before (Batch's docs are silent on them: the stricter rule).
  const valid = year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) &&
    Number(match[4]) <= 23 && Number(match[5]) <= 59 && Number(match[6]) <= 59;
  if (!valid) return fail(`invalid date '${value}': no such calendar date or time`);
  return set(name, { type: 'date', value });
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function checkUrl(name: string, value: unknown): AttributeCheck {
  if (typeof value !== 'string') return fail('url(…) expects a string such as https://example.com/page');
  if (value.length > URL_MAX_LENGTH) return fail(`URL longer than ${URL_MAX_LENGTH} characters (${value.length})`);
  if (!URL_SCHEME_PATTERN.test(value)) return fail(`invalid URL '${value.slice(0, 80)}': a scheme is required (scheme://…)`);
  try {
    new URL(value);
  } catch {
    return fail(`invalid URL '${value.slice(0, 80)}'`);
  }
  return set(name, { type: 'url', value });
}
