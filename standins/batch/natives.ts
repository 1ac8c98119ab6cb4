/**
 * Native (`$`-prefixed) profile attributes, batch-api.md §3.4. The exact official validation rules are
 * UNCONFIRMED (the "Native attributes" section was unreadable), so we apply the stricter rules found:
 * the Android SDK's email/phone checks and two-letter ISO codes, and IANA time zones. `null` resets any of them.
 */
import type { AttributeCheck } from './attributes.js';

const EMAIL_MAX_LENGTH = 256; // Android SDK ProfileDataHelper (S6 l.23)
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE_PATTERN = /^\+[0-9]{1,15}$/; // E.164, Android SDK (S6 l.33)
const MARKETING_VALUES = new Set(['subscribed', 'unsubscribed']);

type NativeRule = (value: string) => string | null;

const NATIVE_RULES: Record<string, NativeRule> = {
  $email_address: (v) =>
    v.length > EMAIL_MAX_LENGTH
      ? `email address longer than ${EMAIL_MAX_LENGTH} characters`
      : EMAIL_PATTERN.test(v) ? null : 'invalid email address',
  $email_marketing: (v) => (MARKETING_VALUES.has(v) ? null : "expected 'subscribed' or 'unsubscribed'"),
  $sms_marketing: (v) => (MARKETING_VALUES.has(v) ? null : "expected 'subscribed' or 'unsubscribed'"),
  $phone_number: (v) => (PHONE_PATTERN.test(v) ? null : 'invalid phone number: expected E.164 such as +33639981337'),
  $language: (v) => (/^[a-z]{2}$/.test(v) ? null : 'invalid language: expected a two-letter ISO 639-1 code such as en'),
  $region: (v) => (/^[A-Z]{2}$/.test(v) ? null : 'invalid region: expected a two-letter ISO 3166 code such as FR'),
  $timezone: (v) => (isIanaTimeZone(v) ? null : 'invalid time zone: expected an IANA name such as Europe/Paris'),
};

export const NATIVE_ATTRIBUTES: readonly string[] = Object.keys(NATIVE_RULES);

export function checkNativeAttribute(key: string, value: unknown): AttributeCheck {
  const rule = NATIVE_RULES[key];
  if (!rule) {
    return { ok: false, reason: `unknown native attribute '${key}': '$' is reserved for ${NATIVE_ATTRIBUTES.join(', ')}` };
  }
  if (value === null) return { ok: true, edit: { kind: 'delete', name: key } };
  if (typeof value !== 'string') return { ok: false, reason: `${key} expects a string or null` };
  const problem = rule(value);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, edit: { kind: 'set', name: key, attribute: { type: 'string', value } } };
}

function isIanaTimeZone(name: string): boolean {
  // Intl also accepts offsets such as "+01:00" on newer runtimes; an IANA name is Area/Location or UTC-like.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
