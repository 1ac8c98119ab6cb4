/** Up-front column validation for the wizard: which columns Batch would refuse, and the alias that fixes them. */
import { describe, expect, it } from 'vitest';
import { suggestAttributeName, validateColumns, type ColumnIssue, type PayloadMapping } from '../../shared/payload/index.js';
import type { ColumnInfo } from '../../shared/snowflake/types.js';

const col = (name: string, type = 'text'): ColumnInfo => ({ name, type, nullable: true });
const mapping = (extra: Partial<PayloadMapping> = {}): PayloadMapping => ({ idColumn: 'ID', dateColumns: [], urlColumns: [], nullPolicy: 'skip', ...extra });
const codes = (issues: ColumnIssue[]) => issues.map((i) => [i.severity, i.code, i.column]);

describe('suggestAttributeName', () => {
  it.each([
    ['First Name', 'first_name'],
    ['CAFÉ_CRÈME', 'cafe_creme'],
    ['order-total ($)', 'order_total'],
    ['__X__', 'x'],
    ['A'.repeat(40), 'a'.repeat(30)],
    ['a_'.repeat(20), 'a_a_a_a_a_a_a_a_a_a_a_a_a_a_a'],
    ['東京', 'attribute'],
  ])('%s → %s', (column, alias) => {
    expect(suggestAttributeName(column)).toBe(alias);
    expect(alias).toMatch(/^[a-z0-9_]{1,30}$/);
  });
});

describe('validateColumns', () => {
  it('a clean view has no issues and plans every key', () => {
    const report = validateColumns([col('ID'), col('NAME'), col('BIRTHDATE', 'date'), col('SITE'), col('$email_address'), col('METADATA$ACTION')], mapping({ dateColumns: ['birthdate'], urlColumns: ['SITE'] }));
    expect(report.ok).toBe(true);
    expect(report.issues).toEqual([]);
    expect(report.plan.map((p) => [p.column, p.role, p.key])).toEqual([
      ['ID', 'id', null],
      ['NAME', 'attribute', 'name'],
      ['BIRTHDATE', 'date', 'date(birthdate)'],
      ['SITE', 'url', 'url(site)'],
      ['$email_address', 'native', '$email_address'],
      ['METADATA$ACTION', 'ignored', null],
    ]);
  });

  it('names invalid columns with the alias to use', () => {
    const report = validateColumns([col('ID'), col('First Name'), col('A_VERY_LONG_COLUMN_NAME_OVER_THIRTY_CHARS'), col('"$CUSTOM"'), col('$favourite')], mapping());
    expect(report.ok).toBe(true);
    expect(report.issues.map((i) => [i.code, i.column, i.suggestedAlias])).toEqual([
      ['invalid_name', 'First Name', 'first_name'],
      ['invalid_name', 'A_VERY_LONG_COLUMN_NAME_OVER_THIRTY_CHARS', 'a_very_long_column_name_over_t'],
      ['invalid_name', '"$CUSTOM"', 'custom'],
      ['unknown_native', '$favourite', 'favourite'],
    ]);
    expect(report.issues[1]?.message).toMatch(/41 characters long \(Batch allows at most 30\)/);
  });

  it('a missing ID column or unknown date/URL column blocks the sync', () => {
    const report = validateColumns([col('USER_ID'), col('NAME')], mapping({ dateColumns: ['BIRTHDATE'], urlColumns: ['HOME'] }));
    expect(report.ok).toBe(false);
    expect(codes(report.issues)).toEqual([
      ['error', 'missing_id_column', 'ID'],
      ['error', 'unknown_date_column', 'BIRTHDATE'],
      ['error', 'unknown_url_column', 'HOME'],
    ]);
    expect(report.issues[0]?.message).toContain('USER_ID, NAME');
  });

  it('flags type problems: numeric date column, timestamps sent as text, objects, binary, duplicates, native as date', () => {
    const columns = [col('ID'), col('SIGNUP', 'fixed'), col('LAST_SEEN', 'timestamp_ltz'), col('PREFS', 'object'), col('PHOTO', 'binary'), col('email'), col('EMAIL'), col('$region')];
    const report = validateColumns(columns, mapping({ dateColumns: ['SIGNUP', '$REGION'] }));
    expect(report.ok).toBe(true);
    expect(codes(report.issues)).toEqual([
      ['error', 'date_column_type', 'SIGNUP'],
      ['warning', 'timestamp_not_in_date_columns', 'LAST_SEEN'],
      ['error', 'object_column', 'PREFS'],
      ['error', 'binary_column', 'PHOTO'],
      ['error', 'duplicate_name', 'EMAIL'],
      ['error', 'native_cannot_be_date_or_url', '$region'],
    ]);
    expect(report.issues.find((i) => i.code === 'duplicate_name')?.suggestedAlias).toBe('email_2');
  });

  it('warns above 50 attributes', () => {
    const columns = [col('ID'), ...Array.from({ length: 51 }, (_, i) => col(`C${i}`))];
    expect(codes(validateColumns(columns, mapping()).issues)).toEqual([['warning', 'too_many_attributes', '']]);
    expect(validateColumns(columns.slice(0, 51), mapping()).issues).toEqual([]);
  });
});
