/**
 * Dates and timestamps read as text (the worker reads them with TO_VARCHAR, see worker/sync/outbox-read.ts):
 * the arithmetic parser must agree with a Date-based reference on every form, valid or not, and a timestamp
 * column that is not a date column still goes out as RFC 3339 text.
 */
import { describe, expect, it } from 'vitest';
import { attributeValue, transformRow, type PayloadMapping } from '../../shared/payload/index.js';
import { dateValue } from '../../shared/payload/dates.js';

/** Reference: the Date-based implementation the fast path replaced (kept here as the oracle). */
function referenceDate(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', , zone] = match;
  const f = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const wall = Date.UTC(f[0], f[1] - 1, f[2], f[3], f[4], f[5]);
  const c = new Date(wall);
  if (c.getUTCFullYear() !== f[0] || c.getUTCMonth() !== f[1] - 1 || c.getUTCDate() !== f[2] || c.getUTCHours() !== f[3] || c.getUTCMinutes() !== f[4] || c.getUTCSeconds() !== f[5]) return null;
  let offset = 0;
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')) * (zone.startsWith('-') ? -1 : 1);
  }
  const iso = new Date(Math.floor((wall - offset * 60_000) / 1000) * 1000).toISOString();
  return /^\d{4}-/.test(iso) ? iso.replace(/\.\d{3}Z$/, 'Z') : null;
}

const outcome = (text: string) => {
  const result = dateValue(text);
  return result.kind === 'value' ? result.value : result.kind === 'reject' ? null : 'empty';
};

/** Deterministic generator (LCG) so that a failure is reproducible. */
function* generatedTexts(count: number): Generator<string> {
  let seed = 20240229;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const two = (n: number) => String(n).padStart(2, '0');
  const zones = ['', 'Z', 'z', ' +0000', ' -0800', '+02:00', '-05:30', ' +14', '+0545', ' -1200'];
  const years = [0, 1, 50, 99, 100, 1899, 1900, 1969, 1970, 2000, 2023, 2024, 2100, 9999];
  for (let i = 0; i < count; i++) {
    const year = String(next(3) === 0 ? years[next(years.length)]! : next(10_000)).padStart(4, '0');
    const date = `${year}-${two(next(14))}-${two(next(33))}`;
    const form = next(4);
    if (form === 0) yield date;
    else yield `${date}${next(2) ? 'T' : ' '}${two(next(25))}:${two(next(61))}${form === 1 ? '' : `:${two(next(61))}`}${form === 3 ? `.${String(next(1000)).padStart(3, '0')}` : ''}${zones[next(zones.length)]}`;
  }
}

describe('date text parsing', () => {
  it('agrees with the Date-based reference on 20 000 generated forms (valid and invalid)', () => {
    let valid = 0;
    for (const text of generatedTexts(20_000)) {
      const expected = referenceDate(text);
      if (expected !== null) valid++;
      expect(outcome(text), text).toBe(expected);
    }
    // The generator must exercise both sides, or the comparison proves little.
    expect(valid).toBeGreaterThan(2_000);
    expect(valid).toBeLessThan(18_000);
  });

  it.each([
    ['2023-11-14', '2023-11-14T00:00:00Z'],
    ['2023-11-14 22:13:20.123', '2023-11-14T22:13:20Z'],
    ['2023-11-15 00:13:20.000 +0200', '2023-11-14T22:13:20Z'],
    ['2023-11-14 14:13:20.000 -0800', '2023-11-14T22:13:20Z'],
    ['2024-02-29 23:59:59.999 +0000', '2024-02-29T23:59:59Z'],
    ['2024-03-05 04:34:56.123-08', '2024-03-05T12:34:56Z'],
    ['0001-01-01 00:30:00.000 +0100', null],
    ['0100-01-01', '0100-01-01T00:00:00Z'],
    ['2023-02-29', null],
    ['2023-11-14 24:00:00', null],
  ])('%s → %s', (text, expected) => {
    expect(outcome(text)).toBe(expected);
    expect(referenceDate(text)).toBe(expected);
  });
});

describe('timestamps read as text outside the date columns', () => {
  const mapping: PayloadMapping = { idColumn: 'ID', dateColumns: ['SEEN'], urlColumns: [], nullPolicy: 'skip' };

  it.each(['timestamp_ntz', 'timestamp_ltz', 'timestamp_tz', 'date'])('%s text is sent as RFC 3339 UTC, like a driver Date', (type) => {
    const text = type === 'date' ? '2023-11-14' : type === 'timestamp_ntz' ? '2023-11-14 22:13:20.123' : '2023-11-15 00:13:20.000 +0200';
    const expected = type === 'date' ? '2023-11-14T00:00:00Z' : '2023-11-14T22:13:20Z';
    expect(attributeValue(text, type, 9)).toEqual({ kind: 'value', value: expected });
  });

  it('a text column keeps the text as it is', () => {
    expect(attributeValue('2023-11-15 00:13:20.000 +0200', 'text', undefined)).toEqual({ kind: 'value', value: '2023-11-15 00:13:20.000 +0200' });
  });

  it('rows with text and with Date values give the same operation', () => {
    const columns = [
      { name: 'ID', type: 'text', nullable: false },
      { name: 'SEEN', type: 'timestamp_tz', nullable: true, scale: 9 },
      { name: 'UPDATED', type: 'timestamp_ltz', nullable: true, scale: 9 },
    ];
    const asText = transformRow({ ID: 'u1', SEEN: '2023-11-15 00:13:20.000 +0200', UPDATED: '2023-11-14 14:13:20.000 -0800' }, columns, mapping);
    const asDates = transformRow({ ID: 'u1', SEEN: new Date('2023-11-14T22:13:20Z'), UPDATED: new Date('2023-11-14T22:13:20Z') }, columns, mapping);
    expect(asText).toEqual(asDates);
    expect(asText.operation?.attributes).toEqual({ 'date(seen)': '2023-11-14T22:13:20Z', updated: '2023-11-14T22:13:20Z' });
  });
});
