/**
 * Snowflake identifiers: parse what a user typed ("MY_DB.SCH.V", '"my db".sch."View"') into exact,
 * case-resolved parts, and render parts back as SQL that means exactly those parts.
 *
 * Rules (Snowflake "Identifier requirements"): unquoted identifiers start with an ASCII letter or `_`, contain
 * letters, digits, `_` and `$`, and resolve to upper case; double-quoted identifiers are case-sensitive, may
 * contain anything, and escape `"` as `""`. Both are limited to 255 characters. We reject control
 * characters even inside quotes (the docs are silent; the stricter choice keeps SQL and logs readable).
 */
import { usageError } from '../errors.js';

/** Exact (already case-resolved) name parts, e.g. ['MY_DB', 'my schema', 'V']. */
export type NameParts = readonly string[];

const UNQUOTED = /^[A-Za-z_][A-Za-z0-9_$]*$/;
// `$` is valid unquoted, but quoting it keeps `$$` (dollar-quote delimiters) out of bare SQL text.
const BARE_SAFE = /^[A-Z_][A-Z0-9_]*$/;
/** Names of compute pools, image repositories (and their db/schema) and job services cannot be quoted (§2.2, §2.3, §3.1). */
const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Snowflake reserved keywords (SQL reference "Reserved & limited keywords"): must be quoted as identifiers. */
const RESERVED = new Set(
  (
    'ACCOUNT ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONNECTION CONSTRAINT CREATE CROSS ' +
    'CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DATABASE DELETE DISTINCT DROP ELSE EXISTS ' +
    'FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ' +
    'ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT NULL OF ON OR ORDER ORGANIZATION ' +
    'QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SCHEMA SELECT SET SOME START TABLE TABLESAMPLE THEN TO ' +
    'TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES VIEW WHEN WHENEVER WHERE WITH'
  ).split(' '),
);

const QUOTING_HINT =
  'Use letters, digits, _ and $ (starting with a letter or _), or wrap a part in double quotes ' +
  'for other characters, e.g. "My Schema"."My View"; write a double quote inside quotes as "".';

function invalid(what: string, input: string, why: string, suggestion = QUOTING_HINT): never {
  throw usageError('INVALID_IDENTIFIER', `Invalid ${what} ${JSON.stringify(input)}: ${why}.`, { suggestion });
}

/** The accepted shapes, named for what is asked: a schema is DATABASE.SCHEMA, an object DATABASE.SCHEMA.NAME. */
function shapeOf(what: string, parts: number): string {
  const labels = /schema$/i.test(what) ? ['SCHEMA', 'DATABASE.SCHEMA'] : ['NAME', 'SCHEMA.NAME', 'DATABASE.SCHEMA.NAME'];
  return labels[parts - 1] ?? `${parts} parts`;
}

function checkPart(part: string, what: string, input: string): string {
  if (part.length === 0) invalid(what, input, 'a name part is empty');
  if (part.length > MAX_LENGTH) invalid(what, input, `a name part is longer than ${MAX_LENGTH} characters`);
  if (CONTROL.test(part)) invalid(what, input, 'control characters (newline, tab, …) are not allowed');
  return part;
}

/** Splits on dots outside double quotes and resolves each part (unquoted → upper case, quoted → exact). */
export function parseQualifiedName(input: string, what: string, expectedParts: 1 | 2 | 3 | readonly number[]): string[] {
  const text = input.trim();
  const parts: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) invalid(what, input, 'a double quote is not closed');
        if (text[j] === '"') {
          if (text[j + 1] === '"') { value += '"'; j += 2; continue; }
          break;
        }
        value += text[j];
        j += 1;
      }
      parts.push(checkPart(value, what, input));
      i = j + 1;
    } else {
      const end = text.indexOf('.', i);
      const raw = text.slice(i, end === -1 ? text.length : end);
      if (raw.length === 0) invalid(what, input, 'a name part is empty');
      if (!UNQUOTED.test(raw)) invalid(what, input, `${JSON.stringify(raw)} must be double-quoted`);
      parts.push(checkPart(raw.toUpperCase(), what, input));
      i += raw.length;
    }
    if (i >= text.length) break;
    if (text[i] !== '.') invalid(what, input, `unexpected ${JSON.stringify(text[i])} after a quoted part`);
    i += 1;
    if (i >= text.length) invalid(what, input, 'a name part is empty');
  }
  const allowed = typeof expectedParts === 'number' ? [expectedParts] : expectedParts;
  if (!allowed.includes(parts.length)) {
    const shape = allowed.map((n) => shapeOf(what, n)).join(' or ');
    invalid(what, input, `expected ${shape}`, `Write the ${what} as ${shape}, e.g. ${allowed.map((n) => example(what, n)).join(' or ')}.`);
  }
  return parts;
}

function example(what: string, parts: number): string {
  const names = /schema$/i.test(what) ? ['MY_DB', 'BATCH_SYNC'] : ['MY_DB', 'MY_SCHEMA', 'MY_OBJECT'];
  return names.slice(names.length - parts).join('.');
}

/** One exact name part as SQL: bare when that means the same thing, otherwise double-quoted. */
export function renderIdentifier(part: string): string {
  checkPart(part, 'identifier', part);
  if (BARE_SAFE.test(part) && !RESERVED.has(part)) return part;
  return `"${part.replaceAll('"', '""')}"`;
}

export function renderQualifiedName(parts: NameParts): string {
  if (parts.length === 0) throw new Error('renderQualifiedName: no parts');
  return parts.map(renderIdentifier).join('.');
}

/** Canonical text of what the user typed (for config files and flags), e.g. 'my_db."x"' → 'MY_DB.X'. */
export function canonicalName(input: string, what: string, expectedParts: 1 | 2 | 3 | readonly number[]): string {
  return renderQualifiedName(parseQualifiedName(input, what, expectedParts));
}

/** For objects whose names Snowflake does not accept quoted (compute pool, image repository path, job name). */
export function requireSimpleNames(parts: NameParts, what: string): void {
  for (const part of parts) {
    if (!SIMPLE_NAME.test(part)) {
      throw usageError('UNQUOTABLE_NAME', `The ${what} name ${renderQualifiedName(parts)} cannot be used: Snowflake does not support quoted or case-sensitive names there.`, {
        suggestion: `Choose a name of letters, digits and _ only (for an image repository the database and schema too), e.g. BATCH_SYNC.`,
      });
    }
  }
}

/** Same object? Compares resolved parts; `shown` is a name as SHOW output prints it (quoted or not). */
export function sameName(shown: string, parts: NameParts): boolean {
  try {
    const parsed = parseQualifiedName(shown, 'name', [1, 2, 3]);
    if (parsed.length === parts.length && parsed.every((p, i) => p === parts[i])) return true;
  } catch {
    // SHOW output may print quoted parts without quotes; fall through to the raw comparison.
  }
  return shown === parts.join('.');
}
