/**
 * Date attributes: `date(name)` with an RFC 3339 UTC value `YYYY-MM-DDTHH:MM:SSZ`, the form of Batch's
 * documented example and of Batch's own job (batch-api.md §3.5, §6). Sub-second digits are dropped (floor):
 * whether the Profile API accepts fractions is unconfirmed.
 *
 * How each Snowflake type arrives (snowflake-sdk.md §3.4) and why one rule fits all:
 * - driver objects (SfDate, a Date): the epoch value is UTC midnight for DATE, the wall clock read as UTC for
 *   TIMESTAMP_NTZ, and the instant for TIMESTAMP_LTZ / TIMESTAMP_TZ, so toISOString() is right for each;
 * - strings (fetchAsString, or a VARIANT round trip): "2023-11-14", "2023-11-14 22:13:20.123" (NTZ, read as
 *   UTC), "2023-11-15 00:13:20.000 +0200" or ISO forms with Z/±HH:MM (instants, converted to UTC).
 */
import { EMPTY, describeType, isBlank, reject, type ValueResult } from './values.js';

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const HINT = 'Convert it in the view with TO_TIMESTAMP(col) or TO_DATE(col).';

export function dateValue(value: unknown): ValueResult {
  if (value === null || value === undefined) return EMPTY;
  if (value instanceof Date) return fromEpochMs(value.getTime());
  if (typeof value === 'string') {
    if (isBlank(value)) return EMPTY;
    return parseDateText(value.trim());
  }
  return reject('invalid_date', `Expected a date or timestamp, got ${describeType(value)}. ${HINT}`);
}

function parseDateText(text: string): ValueResult {
  const match = DATE_TIME.exec(text);
  if (!match) return reject('invalid_date', `Not a recognised date or timestamp. ${HINT}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', , zone] = match;
  const [year, month, day, hour, minute, second] = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)];
  // A calendar date or time that does not exist (2023-02-30, 24:00) is rejected, not rolled over; so are
  // years 0000-0099, which Date.UTC would read as 1900-1999.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return reject('invalid_date', `${JSON.stringify(text)} is not a valid calendar date and time.`);
  }
  const offset = offsetMinutes(zone);
  // Hot path of the worker (every date cell): with no offset the fields already are the UTC answer.
  if (offset === 0) return { kind: 'value', value: `${y}-${mo}-${d}T${pad2(h)}:${pad2(mi)}:${pad2(s)}Z` };
  return fromEpochMs(Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000);
}

const pad2 = (digits: string) => (digits.length === 2 ? digits : digits.padStart(2, '0'));

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** "Z" → 0, "+02:00" / "+0200" / "+02" → 120, "-0530" → -330; no zone → 0 (wall clock read as UTC). */
function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

function fromEpochMs(ms: number): ValueResult {
  if (!Number.isFinite(ms)) return reject('invalid_date', `Invalid date. ${HINT}`);
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  // Years outside 0000–9999 print as ±YYYYYY, which RFC 3339 does not allow.
  if (iso.length !== 24) return reject('invalid_date', 'Year outside 0000–9999 cannot be written in RFC 3339.');
  return { kind: 'value', value: `${iso.slice(0, 19)}Z` };
}
