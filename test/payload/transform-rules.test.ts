/** Focused rules of the transform: IDs, one bad attribute never sinks the row, deletes, column matching. */
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../shared/errors.js';
import {
  canonicalDecimal,
  createTransform,
  deleteOperation,
  transformRow,
  valueExcerpt,
  type PayloadMapping,
} from '../../shared/payload/index.js';
import { rowConverter } from '../../shared/snowflake/client-rows.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';

const col = (name: string, type = 'text', scale?: number): ColumnInfo => ({ name, type, nullable: true, ...(scale === undefined ? {} : { scale }) });
const mapping = (extra: Partial<PayloadMapping> = {}): PayloadMapping => ({ idColumn: 'ID', dateColumns: [], urlColumns: [], nullPolicy: 'skip', ...extra });

describe('custom_id', () => {
  const idCases: Array<[string, ColumnInfo, unknown, string | 'missing_id' | 'invalid_id']> = [
    ['text', col('ID'), 'user-1', 'user-1'],
    ['unicode text', col('ID'), 'üser-東京', 'üser-東京'],
    ['text kept as written (not trimmed)', col('ID'), ' a ', ' a '],
    ['NULL', col('ID'), null, 'missing_id'],
    ['empty', col('ID'), '', 'missing_id'],
    ['blank', col('ID'), '   ', 'missing_id'],
    ['integer number', col('ID', 'fixed', 0), 42, '42'],
    ['NUMBER(10,2) number', col('ID', 'fixed', 2), 12.5, '12.5'],
    ['NUMBER(10,2) exact text', col('ID', 'fixed', 2), '12.50', '12.5'],
    ['NUMBER(10,2) whole value text', col('ID', 'fixed', 2), '19.00', '19'],
    ['NUMBER(38,0) beyond 2^53 as exact text', col('ID', 'fixed', 0), '12345678901234567890', '12345678901234567890'],
    ['NUMBER(38,0) big-integer object', col('ID', 'fixed', 0), { value: 12345678901234567890n }, '12345678901234567890'],
    ['number that already lost precision', col('ID', 'fixed', 0), 2 ** 60, 'invalid_id'],
    ['NaN', col('ID', 'real'), Number.NaN, 'invalid_id'],
    ['a date', col('ID', 'date'), new Date(0), 'invalid_id'],
    ['a boolean', col('ID', 'boolean'), true, 'invalid_id'],
    ['1025 characters', col('ID'), 'x'.repeat(1025), 'invalid_id'],
    ['1024 characters', col('ID'), 'x'.repeat(1024), 'x'.repeat(1024)],
  ];
  it.each(idCases)('%s', (_name, idColumn, value, expected) => {
    const { operation, rejections } = transformRow({ ID: value, NAME: 'Jane' }, [idColumn, col('NAME')], mapping());
    if (expected === 'missing_id' || expected === 'invalid_id') {
      expect(operation).toBeNull();
      expect(rejections).toEqual([expect.objectContaining({ customId: null, scope: 'row', column: 'ID', reason: expected })]);
    } else {
      expect(rejections).toEqual([]);
      expect(operation).toEqual({ identifiers: { custom_id: expected }, attributes: { name: 'Jane' } });
    }
  });

  it('canonical decimals are exact text operations', () => {
    expect(['+0012.50', '-0.000', '007', '.5', '5.', '-12.30'].map(canonicalDecimal)).toEqual(['12.5', '0', '7', '0.5', '5', '-12.3']);
    expect(canonicalDecimal('1e5')).toBeNull();
  });
});

describe('one bad attribute is dropped alone', () => {
  const columns = [col('ID'), col('FIRSTNAME'), col('BIO'), col('SCORE', 'fixed', 2), col('Bad Name'), col('PROFILE', 'object'), col('LAST_SEEN', 'timestamp_ntz')];
  const row = { ID: 'u1', FIRSTNAME: 'Jane', BIO: 'b'.repeat(5000), SCORE: '7.50', 'Bad Name': 'x', PROFILE: { a: 1 }, LAST_SEEN: 'garbage' };

  it('keeps every valid attribute and reports each bad one with its reason', () => {
    const { operation, rejections } = transformRow(row, columns, mapping({ dateColumns: ['last_seen'] }));
    expect(operation).toEqual({ identifiers: { custom_id: 'u1' }, attributes: { firstname: 'Jane', score: 7.5 } });
    expect(rejections.map((r) => [r.column, r.attribute, r.reason])).toEqual([
      ['BIO', 'bio', 'string_too_long'],
      ['PROFILE', 'profile', 'object_not_supported'],
      ['LAST_SEEN', 'date(last_seen)', 'invalid_date'],
      ['Bad Name', 'bad name', 'invalid_name'],
    ]);
    expect(rejections.every((r) => r.customId === 'u1' && r.scope === 'attribute')).toBe(true);
  });

  it('never copies a huge value into the rejection', () => {
    const { rejections } = transformRow(row, columns, mapping());
    const bio = rejections.find((r) => r.column === 'BIO');
    expect(bio?.valueExcerpt).toBe(`${'b'.repeat(100)}… (5000 chars)`);
    expect(bio?.message).toMatch(/300/);
  });

  it('an invalid column name says which alias to use', () => {
    const { rejections } = transformRow(row, columns, mapping());
    expect(rejections.find((r) => r.column === 'Bad Name')?.message).toContain('SELECT "Bad Name" AS bad_name');
  });

  it('an invalid column that is NULL produces no rejection', () => {
    const { rejections } = transformRow({ ID: 'u1', 'Bad Name': null }, [col('ID'), col('Bad Name')], mapping());
    expect(rejections).toEqual([]);
  });
});

describe('excerpts', () => {
  it('never split a surrogate pair and render arrays as JSON', () => {
    const excerpt = valueExcerpt(`${'a'.repeat(99)}🚀tail`);
    expect(excerpt?.startsWith(`${'a'.repeat(99)}…`)).toBe(true);
    expect(valueExcerpt(['x', 1])).toBe('["x",1]');
    expect(valueExcerpt(null)).toBeNull();
    expect(valueExcerpt(12n)).toBe('12');
  });
});

describe('columns', () => {
  it('matches ID, date and URL columns case-insensitively and never sends the ID or stream metadata', () => {
    const columns = [col('CUSTOMER_ID'), col('BIRTHDATE', 'date'), col('SITE'), col('METADATA$ACTION'), col('METADATA$ISUPDATE', 'boolean'), col('METADATA$ROW_ID')];
    const result = transformRow(
      { CUSTOMER_ID: 'c1', BIRTHDATE: '1989-07-20', SITE: 'https://x.io', 'METADATA$ACTION': 'INSERT', 'METADATA$ISUPDATE': false, 'METADATA$ROW_ID': 'abc' },
      columns,
      { idColumn: 'customer_id', dateColumns: ['birthDate'], urlColumns: ['site'], nullPolicy: 'skip' },
    );
    expect(result).toEqual({
      operation: { identifiers: { custom_id: 'c1' }, attributes: { 'date(birthdate)': '1989-07-20T00:00:00Z', 'url(site)': 'https://x.io' } },
      rejections: [],
    });
  });

  it('ignoreColumns keeps bookkeeping columns out of the payload', () => {
    const { operation } = transformRow({ ID: 'a', SEQ: 5, NAME: 'n' }, [col('ID'), col('SEQ', 'fixed', 0), col('NAME')], mapping({ ignoreColumns: ['seq'] }));
    expect(operation?.attributes).toEqual({ name: 'n' });
  });

  it('two columns that lowercase to the same name: the second is rejected, the first is sent', () => {
    const { operation, rejections } = transformRow({ ID: 'a', Email: 'x', EMAIL: 'y' }, [col('ID'), col('Email'), col('EMAIL')], mapping());
    expect(operation?.attributes).toEqual({ email: 'x' });
    expect(rejections).toEqual([expect.objectContaining({ column: 'EMAIL', reason: 'duplicate_name' })]);
  });

  it('a column absent from the row object is neither sent nor deleted', () => {
    const { operation } = transformRow({ ID: 'a' }, [col('ID'), col('NAME')], mapping({ nullPolicy: 'delete' }));
    expect(operation?.attributes).toEqual({});
  });

  it('createTransform refuses a mapping whose ID column is not there', () => {
    let caught: unknown;
    try {
      createTransform([col('A')], mapping());
    } catch (error) {
      caught = error;
    }
    expect(isUserError(caught) && caught.code).toBe('ID_COLUMN_NOT_FOUND');
    expect(isUserError(caught) && caught.suggestion).toContain('A');
  });
});

describe('DELETE change rows (delete policy "unset")', () => {
  const columns = [col('METADATA$ACTION'), col('ID'), col('NAME'), col('BIRTHDATE', 'date'), col('$email_address'), col('Bad Name'), col('SEQ')];
  it('sends every mapped attribute as null, with the keys Batch knows them by', () => {
    const row = { 'METADATA$ACTION': 'DELETE', ID: 'u9', NAME: 'old', BIRTHDATE: '2000-01-01', $email_address: 'a@b.co', 'Bad Name': 'x', SEQ: '1' };
    const result = deleteOperation(row, columns, mapping({ dateColumns: ['BIRTHDATE'], ignoreColumns: ['SEQ'] }));
    expect(result).toEqual({
      operation: { identifiers: { custom_id: 'u9' }, attributes: { name: null, 'date(birthdate)': null, $email_address: null } },
      rejections: [],
    });
  });

  it('rejects the row when the ID is missing', () => {
    const result = deleteOperation({ ID: null }, columns, mapping());
    expect(result.operation).toBeNull();
    expect(result.rejections[0]?.reason).toBe('missing_id');
  });
});

describe('values as our Snowflake client hands them over (fetchAsString Number + rowConverter)', () => {
  it('NUMBER(38,0) ids beyond 2^53 stay exact; NUMBER(10,2) has no float noise', () => {
    const columns = [col('ID', 'fixed', 0), col('PRICE', 'fixed', 2), col('QTY', 'fixed', 0), col('RATIO', 'real')];
    const convert = rowConverter<Record<string, unknown>>(columns);
    const row = convert({ ID: '123456789012345678901234567890', PRICE: '19.90', QTY: '3', RATIO: '0.25' });
    const { operation } = transformRow(row, columns, mapping());
    expect(JSON.stringify(operation)).toBe('{"identifiers":{"custom_id":"123456789012345678901234567890"},"attributes":{"price":19.9,"qty":3,"ratio":0.25}}');
  });
});
