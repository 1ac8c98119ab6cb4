/**
 * docs/sql.md lists every SQL statement the product can emit (issue 14 item 4). The statements are read from
 * the code (test/sql/statement-inventory.ts), so a new statement without a row fails here, and so does a row
 * whose statement the code no longer sends.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DROPPABLE_OBJECT_TYPES } from '../../src/plan/sql-templates.js';
import { classify, codeStatements, emittedStatements, headOf, REPO, templateStatements } from './statement-inventory.js';

interface Row { statement: string; files: string[]; url: string; privilege: string; preflight: string; line: number }

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function readTable(): Row[] {
  const lines = readFileSync(path.join(REPO, 'docs/sql.md'), 'utf8').split('\n');
  // Only the statement tables (header `| Statement | Built in | …`), not the findings table after them.
  let inStatementTable = false;
  return lines.flatMap((line, index) => {
    if (line.startsWith('| ') && !line.startsWith('| `') && !line.startsWith('| ---')) inStatementTable = line.startsWith('| Statement |');
    if (!inStatementTable || !line.startsWith('| `')) return [];
    const cells = line.slice(1, -1).split(' | ').map((c) => c.trim());
    const [statement = '', built = '', url = '', privilege = '', preflight = ''] = cells;
    const firstCode = /^`([^`]*)`/.exec(statement)?.[1] ?? '';
    // A cell may give alternatives: `A` / `B`.
    const alternatives = [...statement.matchAll(/(?:^| \/ )`([^`]*)`/g)].map((m) => squash(m[1] ?? ''));
    const files = [...built.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    return alternatives.map((alt) => ({ statement: alt || squash(firstCode), files, url, privilege, preflight, line: index + 1 }));
  });
}

const rows = readTable();
const emitted = emittedStatements();
const covers = (row: Row, s: { file: string; head: string }) => row.files.includes(s.file) && row.statement.startsWith(s.head);

describe('the statement inventory reads the code', () => {
  it('finds the statements of every template and of the TypeScript literals', () => {
    const templates = templateStatements();
    // Every SQL template yields at least one statement, the task yields its nested EXECUTE JOB SERVICE.
    expect(new Set(templates.map((s) => s.file)).size).toBeGreaterThanOrEqual(20);
    expect(templates.some((s) => s.file === 'templates/task.sql.hbs' && s.head === 'EXECUTE JOB SERVICE')).toBe(true);
    const code = codeStatements();
    expect(code.some((s) => s.file === 'src/operate/service-logs.ts' && s.head.startsWith('SELECT SYSTEM$GET_SERVICE_LOGS('))).toBe(true);
    // `SHOW ${what} LIKE …` is expanded with the literals passed for `what` at the call sites.
    expect(code.some((s) => s.file === 'src/introspect/show.ts' && s.head === 'SHOW TASKS LIKE')).toBe(true);
    expect(code.some((s) => s.file === 'worker/sync/capture.ts' && s.head === 'MERGE INTO')).toBe(true);
  });

  it('tells statements from prose and privilege names', () => {
    expect(classify('SHOW COMPUTE POOLS')).toBe(true);
    expect(classify('SELECT CURRENT_TIMESTAMP() AS NOW')).toBe(true);
    expect(classify('EXECUTE TASK …')).toBe(true);
    expect(classify('EXECUTE TASK')).toBe(false); // the privilege, not the statement
    expect(classify('CREATE SCHEMA')).toBe(false);
    expect(classify('SHOW IMAGES is not available: assuming the tag')).toBe(false);
    expect(classify("SELECT * FROM T WHERE NAME = 'lower case words'")).toBe(true);
    expect(headOf('SELECT COUNT(*) AS N FROM … WHERE X = ?')).toBe('SELECT COUNT(*) AS N FROM');
  });
});

describe('docs/sql.md', () => {
  it('lists every statement the code can emit', () => {
    const missing = emitted.filter((s) => !rows.some((row) => covers(row, s)));
    expect(missing.map((s) => `${s.file}: ${s.text}`)).toEqual([]);
  });

  it('has no row for a statement the code no longer emits', () => {
    const stale = rows.filter((row) => row.files.length > 0 && !emitted.some((s) => covers(row, s)));
    expect(stale.map((row) => `docs/sql.md:${row.line} ${row.statement}`)).toEqual([]);
  });

  it('has a DROP row for every object type uninstall can drop (DROPPABLE_OBJECT_TYPES)', () => {
    for (const type of DROPPABLE_OBJECT_TYPES) {
      expect(rows.some((row) => row.statement.startsWith(`DROP ${type} IF EXISTS`)), `DROP ${type}`).toBe(true);
    }
  });

  it('gives each row a Snowflake documentation URL, a privilege and whether preflight checks it', () => {
    for (const row of rows) {
      expect(row.url, `docs/sql.md:${row.line}`).toMatch(/^https:\/\/docs\.snowflake\.com\/en\/(sql-reference|developer-guide|user-guide)\/\S+$/);
      expect(row.privilege.length, `docs/sql.md:${row.line}`).toBeGreaterThan(0);
      expect(row.preflight, `docs/sql.md:${row.line}`).toMatch(/^(yes|no|—)/);
    }
  });
});
