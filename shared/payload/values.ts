/**
 * Value rules for custom attributes (batch-api.md §3.5): strings 1–300, numbers as JSON numbers, booleans,
 * arrays of ≤ 25 strings; objects are event-only, so rejected. How the Snowflake driver hands values over
 * (snowflake-sdk.md §3.4) decides how each one is read: the column's driver type wins over the JS type.
 */
import type { AttributeValue, RejectionReason } from './types.js';

export const STRING_MAX = 300;
export const ARRAY_MAX = 25;

/** What a value becomes: a value to send, "empty" (handled by the null policy), or a rejection. */
export type ValueResult =
  | { kind: 'value'; value: Exclude<AttributeValue, null> }
  | { kind: 'empty' }
  | { kind: 'reject'; reason: RejectionReason; message: string };

export const EMPTY: ValueResult = { kind: 'empty' };
export const reject = (reason: RejectionReason, message: string): ValueResult => ({ kind: 'reject', reason, message });
const ok = (value: Exclude<AttributeValue, null>): ValueResult => ({ kind: 'value', value });

/** Blank = empty or whitespace only; Batch refuses empty strings (batch-api.md §3.5), we treat them as NULL. */
export const isBlank = (text: string): boolean => text.trim() === '';

/** Lengths count UTF-16 code units (JS .length), like Batch's Java and Objective-C SDKs: the stricter count. */
export function stringValue(text: string): ValueResult {
  if (isBlank(text)) return EMPTY;
  if (text.length > STRING_MAX) {
    return reject(
      'string_too_long',
      `String of ${text.length} characters; Batch accepts at most ${STRING_MAX} (not truncated). ` +
        `Shorten it in the view, e.g. LEFT(col, ${STRING_MAX}).`,
    );
  }
  return ok(text);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}

/** The `big-integer` objects the driver returns with JS_TREAT_INTEGER_AS_BIGINT carry a native `value`. */
export function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (isPlainObject(value) && typeof value.value === 'bigint') return value.value;
  return undefined;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const UNSAFE_HINT =
  'Cast it in the view: col::VARCHAR to send it exactly as a string, or col::FLOAT for an approximate number.';

/**
 * NUMBER(p,s) → JSON number without float noise: the driver's text ("19.90") or number (19.9) both give 19.9.
 * NUMBER values beyond ±(2^53−1) cannot be a JSON number exactly and are rejected rather than altered;
 * fractional digits beyond a double's precision round to the nearest double (what Batch stores for Float).
 * FLOAT/REAL and VARIANT numbers are doubles already and are sent as they are.
 */
export function numberValue(value: unknown, type: string, scale: number | undefined): ValueResult {
  const exactInteger = type === 'fixed';
  const big = asBigInt(value);
  if (big !== undefined) {
    if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
      return reject('unsafe_integer', `Integer beyond ±(2^53−1) cannot be sent exactly as a JSON number. ${UNSAFE_HINT}`);
    }
    return ok(Number(big));
  }
  let number: number;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (NON_FINITE.test(text)) return reject('non_finite_number', 'NaN and Infinity are not valid JSON numbers.');
    if (!DECIMAL.test(text)) return reject('invalid_number', 'Not a decimal number.');
    number = Number(text);
  } else {
    return reject('invalid_number', `Expected a number, got ${describeType(value)}.`);
  }
  if (!Number.isFinite(number)) return reject('non_finite_number', 'NaN and Infinity are not valid JSON numbers.');
  if (exactInteger && Math.abs(number) > Number.MAX_SAFE_INTEGER) {
    return reject('unsafe_integer', `NUMBER beyond ±(2^53−1) cannot be sent exactly as a JSON number. ${UNSAFE_HINT}`);
  }
  // A JS number from a NUMBER(p,s) column: round to its scale so arithmetic noise never reaches Batch.
  if (exactInteger && typeof value === 'number' && scale !== undefined && scale > 0) {
    number = Number(number.toFixed(Math.min(scale, 100)));
  }
  return ok(number === 0 ? 0 : number);
}

export function booleanValue(value: unknown): ValueResult {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number' && (value === 0 || value === 1)) return ok(value === 1);
  if (typeof value === 'string') {
    const text = value.trim().toUpperCase();
    if (text === 'TRUE' || text === '1') return ok(true);
    if (text === 'FALSE' || text === '0') return ok(false);
    if (text === '') return EMPTY;
  }
  return reject('unsupported_type', `Expected a boolean, got ${describeType(value)}.`);
}

/** Arrays of 1–25 non-blank strings of ≤ 300 characters; an empty array is treated as NULL. */
export function arrayValue(items: readonly unknown[]): ValueResult {
  if (items.length === 0) return EMPTY;
  if (items.length > ARRAY_MAX) {
    return reject('array_too_long', `Array of ${items.length} items; Batch accepts at most ${ARRAY_MAX} (not truncated).`);
  }
  const strings: string[] = [];
  for (const [index, item] of items.entries()) {
    const problem =
      typeof item !== 'string'
        ? `is ${describeType(item)}; Batch arrays hold strings only (convert in the view, e.g. TRANSFORM(col, x -> x::VARCHAR))`
        : isBlank(item)
          ? 'is empty'
          : item.length > STRING_MAX
            ? `is ${item.length} characters long (max ${STRING_MAX})`
            : null;
    if (problem !== null) return reject('invalid_array_item', `Item ${index} ${problem}.`);
    strings.push(item as string);
  }
  return ok(strings);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (Buffer.isBuffer(value)) return 'binary data';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
