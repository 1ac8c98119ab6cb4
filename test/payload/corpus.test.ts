/**
 * Bad-data corpus (issue 4): one column value per case, through the real transform, with the exact payload
 * Batch would receive or the exact rejection. Values come in every form the driver can hand them over.
 */
import { describe, expect, it } from 'vitest';
import { transformRow, type AttributeValue, type NullPolicy, type RejectionReason } from '../../shared/payload/index.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';
import { driverDate, driverLtz, driverNtz, driverText, driverTz } from './driver-values.js';

interface Case {
  name: string;
  type: string;
  value: unknown;
  column?: string;
  scale?: number;
  role?: 'date' | 'url';
  nullPolicy?: NullPolicy;
  /** The attributes object Batch receives, or the reason the attribute is rejected. */
  expect: Record<string, AttributeValue> | RejectionReason;
}

const a = (n: number) => 'a'.repeat(n);
const rocket = '🚀'; // one code point, two UTF-16 units
const items = (n: number) => Array.from({ length: n }, (_, i) => `tag_${i}`);
const NOV_14_2023_22_13_20 = 1_700_000_000;

const cases: Case[] = [
  // strings
  { name: 'plain string', type: 'text', value: 'Jane', expect: { attr: 'Jane' } },
  { name: 'unicode string', type: 'text', value: 'Zoë 東京 🚀', expect: { attr: 'Zoë 東京 🚀' } },
  { name: 'spaces kept as written', type: 'text', value: ' x ', expect: { attr: ' x ' } },
  { name: '300 characters', type: 'text', value: a(300), expect: { attr: a(300) } },
  { name: '301 characters rejected, not truncated', type: 'text', value: a(301), expect: 'string_too_long' },
  { name: '150 emoji = 300 UTF-16 units', type: 'text', value: rocket.repeat(150), expect: { attr: rocket.repeat(150) } },
  { name: '151 emoji = 302 UTF-16 units', type: 'text', value: rocket.repeat(151), expect: 'string_too_long' },
  { name: 'empty string skipped', type: 'text', value: '', expect: {} },
  { name: 'blank string skipped', type: 'text', value: '  \t', expect: {} },
  { name: 'empty string deletes under delete policy', type: 'text', value: '', nullPolicy: 'delete', expect: { attr: null } },
  { name: 'NULL skipped', type: 'text', value: null, expect: {} },
  { name: 'NULL deletes under delete policy', type: 'text', value: null, nullPolicy: 'delete', expect: { attr: null } },
  { name: "text 'true' stays a string", type: 'text', value: 'true', expect: { attr: 'true' } },
  { name: 'TIME as text', type: 'time', value: '12:34:56', expect: { attr: '12:34:56' } },
  // numbers
  { name: 'NUMBER(10,2) exact text 19.90', type: 'fixed', scale: 2, value: '19.90', expect: { attr: 19.9 } },
  { name: 'NUMBER(10,2) number 19.9', type: 'fixed', scale: 2, value: 19.9, expect: { attr: 19.9 } },
  { name: 'NUMBER(10,2) float noise removed', type: 'fixed', scale: 2, value: 0.1 + 0.2, expect: { attr: 0.3 } },
  { name: 'NUMBER(10,2) -0.00 → 0', type: 'fixed', scale: 2, value: '-0.00', expect: { attr: 0 } },
  { name: 'NUMBER(38,0) small', type: 'fixed', scale: 0, value: 42, expect: { attr: 42 } },
  { name: 'NUMBER(38,0) 2^53-1 exact', type: 'fixed', scale: 0, value: '9007199254740991', expect: { attr: 9007199254740991 } },
  { name: 'NUMBER(38,0) 2^53 rejected', type: 'fixed', scale: 0, value: '9007199254740992', expect: 'unsafe_integer' },
  { name: 'NUMBER(38,0) 20 digits rejected', type: 'fixed', scale: 0, value: '12345678901234567890', expect: 'unsafe_integer' },
  { name: 'NUMBER(38,0) big-integer object', type: 'fixed', scale: 0, value: { value: 123n }, expect: { attr: 123 } },
  { name: 'NUMBER(38,0) native bigint 2^60', type: 'fixed', scale: 0, value: 2n ** 60n, expect: 'unsafe_integer' },
  { name: 'NUMBER(38,20) rounds to nearest double', type: 'fixed', scale: 20, value: '0.12345678901234567891', expect: { attr: 0.12345678901234568 } },
  { name: 'NUMBER text not a number', type: 'fixed', scale: 0, value: 'abc', expect: 'invalid_number' },
  { name: 'FLOAT NaN', type: 'real', value: Number.NaN, expect: 'non_finite_number' },
  { name: 'FLOAT Infinity', type: 'real', value: Number.POSITIVE_INFINITY, expect: 'non_finite_number' },
  { name: 'FLOAT -Infinity', type: 'real', value: Number.NEGATIVE_INFINITY, expect: 'non_finite_number' },
  { name: "FLOAT text 'NaN'", type: 'real', value: 'NaN', expect: 'non_finite_number' },
  { name: 'FLOAT huge but finite', type: 'real', value: 1.5e300, expect: { attr: 1.5e300 } },
  { name: 'FLOAT 0.1', type: 'real', value: 0.1, expect: { attr: 0.1 } },
  // booleans
  { name: 'BOOLEAN true', type: 'boolean', value: true, expect: { attr: true } },
  { name: 'BOOLEAN false', type: 'boolean', value: false, expect: { attr: false } },
  { name: "BOOLEAN as text 'TRUE'", type: 'boolean', value: 'TRUE', expect: { attr: true } },
  { name: "BOOLEAN as text '0'", type: 'boolean', value: '0', expect: { attr: false } },
  { name: 'VARIANT boolean', type: 'variant', value: true, expect: { attr: true } },
  // dates: every Snowflake type, as the driver object and as text
  { name: 'DATE (driver)', type: 'date', role: 'date', value: driverDate(19675), expect: { 'date(attr)': '2023-11-14T00:00:00Z' } },
  { name: 'DATE (text)', type: 'date', role: 'date', value: '2023-11-14', expect: { 'date(attr)': '2023-11-14T00:00:00Z' } },
  { name: 'DATE before 1970', type: 'date', role: 'date', value: '1969-07-20', expect: { 'date(attr)': '1969-07-20T00:00:00Z' } },
  { name: 'TIMESTAMP_NTZ (driver)', type: 'timestamp_ntz', role: 'date', value: driverNtz(NOV_14_2023_22_13_20, 123_000_000), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_NTZ (driver text)', type: 'timestamp_ntz', role: 'date', value: driverText(driverNtz(NOV_14_2023_22_13_20, 999_000_000)), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_LTZ (driver, LA session)', type: 'timestamp_ltz', role: 'date', value: driverLtz(NOV_14_2023_22_13_20, 'America/Los_Angeles'), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_LTZ (driver text -0800)', type: 'timestamp_ltz', role: 'date', value: driverText(driverLtz(NOV_14_2023_22_13_20, 'America/Los_Angeles')), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_TZ (driver +02:00)', type: 'timestamp_tz', role: 'date', value: driverTz(NOV_14_2023_22_13_20, 120), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_TZ (driver text +0530)', type: 'timestamp_tz', role: 'date', value: driverText(driverTz(NOV_14_2023_22_13_20, 330)), expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'TIMESTAMP_TZ (ISO text -03:00)', type: 'timestamp_tz', role: 'date', value: '2023-11-14T19:13:20-03:00', expect: { 'date(attr)': '2023-11-14T22:13:20Z' } },
  { name: 'negative epoch with fraction floors', type: 'timestamp_ntz', role: 'date', value: driverNtz(-1, 500_000_000), expect: { 'date(attr)': '1969-12-31T23:59:59Z' } },
  { name: 'impossible calendar date', type: 'text', role: 'date', value: '2023-02-30', expect: 'invalid_date' },
  { name: 'free text in a date column', type: 'text', role: 'date', value: 'yesterday', expect: 'invalid_date' },
  { name: 'epoch number in a date column', type: 'fixed', role: 'date', value: 1700000000, expect: 'invalid_date' },
  { name: 'timestamp not listed as date → text', type: 'timestamp_ntz', value: driverNtz(NOV_14_2023_22_13_20), expect: { attr: '2023-11-14T22:13:20Z' } },
  // URLs
  { name: 'https URL', type: 'text', role: 'url', value: 'https://example.com/p?q=1#f', expect: { 'url(attr)': 'https://example.com/p?q=1#f' } },
  { name: 'deep link scheme', type: 'text', role: 'url', value: 'myapp://product/12', expect: { 'url(attr)': 'myapp://product/12' } },
  { name: 'URL without scheme', type: 'text', role: 'url', value: 'example.com/page', expect: 'invalid_url' },
  { name: 'javascript: URL', type: 'text', role: 'url', value: 'javascript:alert(1)', expect: 'invalid_url' },
  { name: 'javascript:// URL', type: 'text', role: 'url', value: 'javascript://%0Aalert(1)', expect: 'invalid_url' },
  { name: 'URL with a space', type: 'text', role: 'url', value: 'https://exa mple.com', expect: 'invalid_url' },
  { name: 'URL of 2048 characters', type: 'text', role: 'url', value: `https://e.com/${a(2034)}`, expect: { 'url(attr)': `https://e.com/${a(2034)}` } },
  { name: 'URL of 2049 characters', type: 'text', role: 'url', value: `https://e.com/${a(2035)}`, expect: 'url_too_long' },
  { name: 'empty URL skipped', type: 'text', role: 'url', value: '', expect: {} },
  // arrays
  { name: 'ARRAY of strings', type: 'array', value: ['bikes', 'cinema'], expect: { attr: ['bikes', 'cinema'] } },
  { name: 'ARRAY of 25', type: 'array', value: items(25), expect: { attr: items(25) } },
  { name: 'ARRAY of 26 rejected, not truncated', type: 'array', value: items(26), expect: 'array_too_long' },
  { name: 'ARRAY as JSON text', type: 'array', value: '["a","b"]', expect: { attr: ['a', 'b'] } },
  { name: 'ARRAY text that is not JSON', type: 'array', value: 'a,b', expect: 'invalid_array_item' },
  { name: 'nested array', type: 'array', value: [['a']], expect: 'invalid_array_item' },
  { name: 'array of numbers', type: 'array', value: [1, 2], expect: 'invalid_array_item' },
  { name: 'array with an empty string', type: 'array', value: ['a', ''], expect: 'invalid_array_item' },
  { name: 'array with a null', type: 'array', value: ['a', null], expect: 'invalid_array_item' },
  { name: 'array item of 301 characters', type: 'array', value: [a(301)], expect: 'invalid_array_item' },
  { name: 'empty array skipped', type: 'array', value: [], expect: {} },
  { name: 'empty array deletes under delete policy', type: 'array', value: [], nullPolicy: 'delete', expect: { attr: null } },
  // objects, variants, binary
  { name: 'OBJECT', type: 'object', value: { a: 1 }, expect: 'object_not_supported' },
  { name: 'VARIANT holding an object', type: 'variant', value: { a: 1 }, expect: 'object_not_supported' },
  { name: 'VARIANT holding a string', type: 'variant', value: 'hello', expect: { attr: 'hello' } },
  { name: 'VARIANT holding a number', type: 'variant', value: 3.5, expect: { attr: 3.5 } },
  { name: 'VARIANT holding an array', type: 'variant', value: ['a'], expect: { attr: ['a'] } },
  { name: 'BINARY', type: 'binary', value: Buffer.from('Hello'), expect: 'unsupported_type' },
  // native attributes
  { name: '$email_address', column: '$email_address', type: 'text', value: 'jane@example.com', expect: { $email_address: 'jane@example.com' } },
  { name: '$email_address invalid', column: '$email_address', type: 'text', value: 'jane at example', expect: 'invalid_native_value' },
  { name: '$phone_number E.164', column: '$phone_number', type: 'text', value: '+33639981337', expect: { $phone_number: '+33639981337' } },
  { name: '$phone_number without +', column: '$phone_number', type: 'text', value: '0639981337', expect: 'invalid_native_value' },
  { name: '$email_marketing case', column: '$EMAIL_MARKETING', type: 'text', value: 'Subscribed', expect: { $email_marketing: 'subscribed' } },
  { name: '$sms_marketing from boolean', column: '$sms_marketing', type: 'boolean', value: false, expect: { $sms_marketing: 'unsubscribed' } },
  { name: '$email_marketing invalid', column: '$email_marketing', type: 'text', value: 'yes', expect: 'invalid_native_value' },
  { name: '$language', column: '$language', type: 'text', value: 'EN', expect: { $language: 'en' } },
  { name: '$language not a code', column: '$language', type: 'text', value: 'english', expect: 'invalid_native_value' },
  { name: '$region', column: '$region', type: 'text', value: 'fr', expect: { $region: 'FR' } },
  { name: '$timezone', column: '$timezone', type: 'text', value: 'Europe/Paris', expect: { $timezone: 'Europe/Paris' } },
  { name: '$timezone unknown', column: '$timezone', type: 'text', value: 'Mars/Olympus_Mons', expect: 'invalid_native_value' },
  { name: 'unknown $ attribute', column: '$favourite', type: 'text', value: 'x', expect: 'unknown_native' },
  // names
  { name: 'uppercase column lowercased', column: 'FIRST_NAME', type: 'text', value: 'Jane', expect: { first_name: 'Jane' } },
  { name: 'column with a space', column: 'First Name', type: 'text', value: 'Jane', expect: 'invalid_name' },
  { name: 'column with an accent', column: 'CAFÉ', type: 'text', value: 'x', expect: 'invalid_name' },
  { name: '30-character name', column: 'A'.repeat(30), type: 'text', value: 'x', expect: { ['a'.repeat(30)]: 'x' } },
  { name: '31-character name', column: 'A'.repeat(31), type: 'text', value: 'x', expect: 'invalid_name' },
];

function run(testCase: Case) {
  const column = testCase.column ?? 'ATTR';
  const info: ColumnInfo = { name: column, type: testCase.type, nullable: true, ...(testCase.scale === undefined ? {} : { scale: testCase.scale }) };
  const columns: ColumnInfo[] = [{ name: 'ID', type: 'text', nullable: false }, info];
  return transformRow({ ID: 'u-1', [column]: testCase.value }, columns, {
    idColumn: 'ID',
    dateColumns: testCase.role === 'date' ? [column] : [],
    urlColumns: testCase.role === 'url' ? [column] : [],
    nullPolicy: testCase.nullPolicy ?? 'skip',
  });
}

describe('bad-data corpus', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const { operation, rejections } = run(testCase);
    expect(operation?.identifiers).toEqual({ custom_id: 'u-1' });
    if (typeof testCase.expect === 'string') {
      expect(operation?.attributes).toEqual({});
      expect(rejections).toHaveLength(1);
      expect(rejections[0]).toMatchObject({ customId: 'u-1', scope: 'attribute', column: testCase.column ?? 'ATTR', reason: testCase.expect });
      expect(rejections[0]?.message.length).toBeGreaterThan(10);
      expect(rejections[0]?.valueExcerpt?.length ?? 0).toBeLessThanOrEqual(130);
    } else {
      expect(rejections).toEqual([]);
      // What goes over the wire: JSON that parses back to exactly the expected attributes.
      expect(JSON.parse(JSON.stringify(operation))).toEqual({ identifiers: { custom_id: 'u-1' }, attributes: testCase.expect });
    }
  });
});
