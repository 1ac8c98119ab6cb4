import { describe, expect, it } from 'vitest';
import { canonicalName, parseQualifiedName, renderIdentifier, sameName } from '../../shared/sql/identifiers.js';
import { renderTemplate } from '../../src/plan/sql-templates.js';
import { checkViewSelect } from '../../src/plan/view-select.js';

describe('identifiers', () => {
  it('resolves unquoted parts to upper case and keeps quoted parts exact', () => {
    expect(parseQualifiedName('my_db."My Schema".v$1', 'x', 3)).toEqual(['MY_DB', 'My Schema', 'V$1']);
    expect(parseQualifiedName('  "a.b"."c""d"  ', 'x', 2)).toEqual(['a.b', 'c"d']);
  });

  it('renders bare only when bare means the same, never with $ or reserved words', () => {
    expect(['ABC_1', 'abc', 'SELECT', 'TABLE', 'A$B', '1ABC', 'Ünï'].map(renderIdentifier)).toEqual([
      'ABC_1', '"abc"', '"SELECT"', '"TABLE"', '"A$B"', '"1ABC"', '"Ünï"',
    ]);
    expect(canonicalName('analytics."BATCH_SYNC"', 'x', 2)).toBe('ANALYTICS.BATCH_SYNC');
  });

  it('compares names as SHOW output prints them', () => {
    expect(sameName('ANALYTICS.PUBLIC.USERS', ['ANALYTICS', 'PUBLIC', 'USERS'])).toBe(true);
    expect(sameName('"my db".S.V', ['my db', 'S', 'V'])).toBe(true);
    expect(sameName('my db.S.V', ['my db', 'S', 'V'])).toBe(true);
    expect(sameName('ANALYTICS.PUBLIC.USERS', ['ANALYTICS', 'PUBLIC', 'users'])).toBe(false);
  });
});

describe('templates', () => {
  it('throw on a missing field instead of rendering empty SQL (strict mode; helpers refuse undefined)', () => {
    expect(() => renderTemplate('stream', { name: ['A', 'B', 'C'], view: ['A', 'B', 'V'], initialRows: true, comment: 'c' })).toThrow(/if: condition is undefined/);
    expect(() => renderTemplate('stream', { name: ['A', 'B', 'C'], view: ['A', 'B', 'V'], initialRows: true, replace: false, appendOnly: false })).toThrow(/literal: expected a string, got undefined/);
  });
  it('refuse non-name values in ident and non-strings in literal', () => {
    expect(() => renderTemplate('task-resume', { name: [] })).toThrow(/expected name parts/);
    expect(() => renderTemplate('secret-update', { name: ['A'], placeholder: 42 })).toThrow(/expected a string/);
  });
  it('drop only known object types', () => {
    expect(renderTemplate('drop', { objectType: 'NETWORK RULE', name: ['D', 'S', 'R'] })).toBe('DROP NETWORK RULE IF EXISTS D.S.R');
    expect(() => renderTemplate('drop', { objectType: 'DATABASE', name: ['D'] })).toThrow(/objectKeyword/);
  });
});

describe('checkViewSelect', () => {
  it('keeps the SELECT, drops leading/trailing comments and semicolons, warns on unsupported constructs', () => {
    expect(checkViewSelect('-- users\nWITH x AS (SELECT 1 a) SELECT a FROM x GROUP BY a LIMIT 5;\n-- end')).toEqual({
      sql: 'WITH x AS (SELECT 1 a) SELECT a FROM x GROUP BY a LIMIT 5',
      warnings: [
        'The view uses GROUP BY, which streams on views do not support; creating the stream may fail.',
        'The view uses LIMIT, which streams on views do not support; creating the stream may fail.',
      ],
    });
    expect(checkViewSelect("SELECT 'group by' AS x FROM t").warnings).toEqual([]);
  });
  it.each(['', '  ;; ', '/* only a comment */'])('refuses an empty SELECT %j', (sql) => {
    expect(() => checkViewSelect(sql)).toThrow(/empty/);
  });
});
