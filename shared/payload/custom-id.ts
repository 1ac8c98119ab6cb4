/**
 * custom_id from the ID column, always a string (batch-api.md §3.2). The same NUMBER gives the same ID
 * whether the driver hands a number (12.5), its text ("12.50") or a big integer: trailing fractional zeros
 * and leading zeros are dropped, so a profile never splits in two when the fetch mode changes.
 */
import { asBigInt, describeType, isBlank } from './values.js';

/** Batch's SDKs reject custom IDs longer than 1024 characters (batch-api.md §3.2); the REST limit is unconfirmed. */
export const CUSTOM_ID_MAX = 1024;

export type CustomIdResult = { ok: true; id: string } | { ok: false; reason: 'missing_id' | 'invalid_id'; message: string };

const invalid = (message: string): CustomIdResult => ({ ok: false, reason: 'invalid_id', message });
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export function customIdFrom(value: unknown, type: string, scale: number | undefined): CustomIdResult {
  if (value === null || value === undefined) return { ok: false, reason: 'missing_id', message: 'The ID column is NULL; the row is not sent.' };
  const big = asBigInt(value);
  if (big !== undefined) return { ok: true, id: big.toString() };
  let id: string;
  if (typeof value === 'string') {
    if (isBlank(value)) return { ok: false, reason: 'missing_id', message: 'The ID column is empty; the row is not sent.' };
    id = type === 'fixed' ? canonicalDecimal(value.trim()) ?? value : value;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid('The ID is NaN or Infinity.');
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return invalid('The numeric ID is beyond 2^53 and lost precision in the driver; cast it in the view: id::VARCHAR AS id.');
    }
    const text = type === 'fixed' && scale !== undefined && scale > 0 ? value.toFixed(Math.min(scale, 100)) : String(value);
    id = canonicalDecimal(text) ?? text;
  } else {
    return invalid(`The ID is ${describeType(value)}; use a text or number column (cast it in the view: col::VARCHAR).`);
  }
  if (id.length > CUSTOM_ID_MAX) return invalid(`The ID is ${id.length} characters long; Batch accepts at most ${CUSTOM_ID_MAX}.`);
  return { ok: true, id };
}

/** "+0012.50" → "12.5", "19.00" → "19", "-0" → "0"; null when the text is not a plain decimal. */
export function canonicalDecimal(text: string): string | null {
  const match = DECIMAL_TEXT.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const integer = (match[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction === '' ? integer : `${integer}.${fraction}`;
  return match[1] === '-' && /[1-9]/.test(digits) ? `-${digits}` : digits;
}
