/**
 * The user's SELECT becomes `CREATE VIEW … AS <select>`. It is the user's own SQL, so we do not rewrite it,
 * but it must be exactly one SELECT statement: no `;` followed by another statement, nothing left open
 * (a string, a quoted identifier, a comment) that would swallow or change the SQL we render after it.
 * Streams on views also reject some constructs (§1.3, https://docs.snowflake.com/en/user-guide/streams-intro
 * "Streams on views"): found in code (strings, quoted names and comments blanked out), they stop init before
 * anything is written (streamUnsupportedConstructs, source-steps.ts) instead of failing at the stream step.
 */
import { usageError } from '../../shared/errors.js';

export interface CheckedSelect {
  /** Trimmed, without trailing semicolons. */
  sql: string;
  warnings: string[];
}

const STREAM_UNSUPPORTED: Array<[RegExp, string]> = [
  [/\bGROUP\s+BY\b/, 'GROUP BY'],
  [/\bQUALIFY\b/, 'QUALIFY'],
  [/\bLIMIT\b/, 'LIMIT'],
  [/\bDISTINCT\b/, 'DISTINCT'],
  [/\b(LEFT|RIGHT|FULL)\s+(OUTER\s+)?JOIN\b/, 'outer joins'],
  // A subquery after IN/EXISTS/ANY/ALL or a comparison is not in the FROM clause (FROM/JOIN (SELECT …) are fine).
  [/(\b(IN|EXISTS|ANY|ALL|SOME)|[=<>])\s*\(\s*SELECT\b/, 'subqueries not in the FROM clause'],
];

/** The constructs of STREAM_UNSUPPORTED found in `sql` (a SELECT, or a view's CREATE VIEW text). */
export function streamUnsupportedConstructs(sql: string): string[] {
  const upper = codeOnly(sql).toUpperCase();
  return STREAM_UNSUPPORTED.filter(([re]) => re.test(upper)).map(([, what]) => what);
}

function fail(message: string): never {
  throw usageError('INVALID_VIEW_SQL', message, {
    suggestion: 'Pass a single SELECT (or WITH … SELECT) statement, e.g. --view-sql query.sql containing: SELECT user_id, email FROM db.schema.users',
  });
}

/** Returns the SQL with strings, quoted identifiers and comments blanked out, so keywords can be searched. */
function codeOnly(sql: string): string {
  let out = '';
  let i = 0;
  const closeOrFail = (end: string, from: number, what: string): number => {
    const at = sql.indexOf(end, from);
    if (at === -1) fail(`The view SQL has an unclosed ${what}.`);
    return at + end.length;
  };
  while (i < sql.length) {
    const ch = sql[i] as string;
    const two = sql.slice(i, i + 2);
    let next: number;
    if (ch === "'") {
      // Snowflake string literals: '' and backslash escapes.
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) fail('The view SQL has an unclosed string literal.');
        if (sql[j] === '\\') { j += 2; continue; }
        if (sql[j] === "'") { if (sql[j + 1] === "'") { j += 2; continue; } break; }
        j += 1;
      }
      next = j + 1;
    } else if (ch === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) fail('The view SQL has an unclosed double-quoted identifier.');
        if (sql[j] === '"') { if (sql[j + 1] === '"') { j += 2; continue; } break; }
        j += 1;
      }
      next = j + 1;
    } else if (two === '$$') next = closeOrFail('$$', i + 2, '$$ string');
    else if (two === '/*') next = closeOrFail('*/', i + 2, '/* comment');
    else if (two === '--' || two === '//') {
      const nl = sql.indexOf('\n', i);
      next = nl === -1 ? sql.length : nl;
    } else {
      out += ch;
      i += 1;
      continue;
    }
    out += ' '.repeat(next - i);
    i = next;
  }
  return out;
}

export function checkViewSelect(input: string): CheckedSelect {
  const code = codeOnly(input);
  // Drop trailing semicolons (and whitespace) that are code, not inside a string or comment.
  let end = code.length;
  while (end > 0 && /[\s;]/.test(code[end - 1] as string)) end -= 1;
  const body = input.slice(0, end);
  const bodyCode = code.slice(0, end);
  const start = bodyCode.search(/\S/);
  if (start === -1) fail('The view SQL is empty.');
  if (bodyCode.includes(';')) fail('The view SQL contains more than one statement (a ";" before the end).');
  if (!/^(SELECT|WITH)\b/i.test(bodyCode.slice(start))) fail('The view SQL must start with SELECT or WITH.');
  const upper = bodyCode.toUpperCase();
  const warnings = STREAM_UNSUPPORTED.filter(([re]) => re.test(upper)).map(
    ([, what]) => `The view uses ${what}, which streams on views do not support; creating the stream may fail.`,
  );
  // Keep leading comments out of the view text: start at the first code character.
  return { sql: body.slice(start), warnings };
}
