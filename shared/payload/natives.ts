/**
 * Native attributes (batch-api.md §3.4): a column named or aliased `"$email_address"` etc. is sent under
 * that key with Batch's value rules. Exact official validation is unconfirmed; these follow Batch's SDKs and
 * documented examples: email ≤ 256 chars with an @ and a dotted domain, E.164 phone `^\+[0-9]{1,15}$`,
 * marketing "subscribed"/"unsubscribed" (booleans map to them), 2-letter language (lowercased) and region
 * (uppercased), and an IANA time zone name.
 */
import type { NativeAttribute } from './names.js';
import { EMPTY, describeType, isBlank, reject, type ValueResult } from './values.js';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const EMAIL_MAX = 256;
const E164 = /^\+[0-9]{1,15}$/;
const TWO_LETTERS = /^[A-Za-z]{2}$/;
const TIMEZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const bad = (message: string): ValueResult => reject('invalid_native_value', message);
const value = (text: string): ValueResult => ({ kind: 'value', value: text });

export function nativeValue(attribute: NativeAttribute, raw: unknown): ValueResult {
  if (raw === null || raw === undefined) return EMPTY;
  if (attribute === '$email_marketing' || attribute === '$sms_marketing') return marketing(raw);
  if (typeof raw !== 'string') return bad(`${attribute} must be a string, got ${describeType(raw)}.`);
  if (isBlank(raw)) return EMPTY;
  const text = raw.trim();
  switch (attribute) {
    case '$email_address':
      if (text.length > EMAIL_MAX) return bad(`Email address longer than ${EMAIL_MAX} characters.`);
      return EMAIL.test(text) ? value(text) : bad('Not an email address (expected name@domain.tld).');
    case '$phone_number':
      return E164.test(text) ? value(text) : bad('Not an E.164 phone number (expected + and up to 15 digits, e.g. +33639981337).');
    case '$language':
      return TWO_LETTERS.test(text) ? value(text.toLowerCase()) : bad('Not a 2-letter ISO 639-1 language code (e.g. en).');
    case '$region':
      return TWO_LETTERS.test(text) ? value(text.toUpperCase()) : bad('Not a 2-letter ISO 3166 region code (e.g. FR).');
    case '$timezone':
      return isTimeZone(text) ? value(text) : bad('Not an IANA time zone name (e.g. Europe/Paris).');
  }
}

function marketing(raw: unknown): ValueResult {
  if (typeof raw === 'boolean') return value(raw ? 'subscribed' : 'unsubscribed');
  if (typeof raw === 'string') {
    if (isBlank(raw)) return EMPTY;
    const text = raw.trim().toLowerCase();
    if (text === 'subscribed' || text === 'unsubscribed') return value(text);
  }
  return bad('Expected "subscribed" or "unsubscribed" (or a boolean).');
}

function isTimeZone(name: string): boolean {
  if (!TIMEZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
