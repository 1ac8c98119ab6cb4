/**
 * Writing TIMESTAMP_TZ columns: "TIMESTAMP_TZ internally stores UTC time together with an associated time zone
 * offset. When a time zone isn't provided, the session time zone offset is used"
 * (https://docs.snowflake.com/en/sql-reference/data-types-datetime#timestamp-ltz-timestamp-ntz-timestamp-tz).
 * The engine's TZ columns are structs (tz-values.ts) that DuckDB would not fill from text or an LTZ value, so every
 * value headed for a TZ column goes through SF_TZ: INSERT's source (VALUES or a query, read through a subquery
 * whose columns are renamed), MERGE's INSERT VALUES, and UPDATE / MERGE SET assignments.
 */
import { duckName, type SchemaObject } from './catalog.js';
import { identValue, isIdent, isOp, isWord, matchParen, type Token } from './lexer.js';

type Range = (start: number, end: number) => { sql: string; objects: SchemaObject[]; streams: SchemaObject[] };

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function hasTz(obj: SchemaObject): boolean {
  return obj.kind === 'TABLE' && obj.columns.some((c) => c.type === 'TIMESTAMP_TZ');
}

/** Column names of an optional `(a, b, …)` list at tokens[at]; null when there is none. */
function columnList(tokens: Token[], at: number): { names: string[]; end: number } | null {
  if (!isOp(tokens[at], '(')) return null;
  const close = matchParen(tokens, at);
  const names: string[] = [];
  for (let k = at + 1; k < close; k++) if (isIdent(tokens[k])) names.push(identValue(tokens[k]!));
  return { names, end: close + 1 };
}

/**
 * `INSERT [OVERWRITE] INTO t [(cols)] <source>` with the target resolved at tokens[targetEnd - 1]: the rest of the
 * statement as DuckDB SQL, TZ columns' values through SF_TZ; null when t has no TIMESTAMP_TZ column.
 */
export function tzInsertTail(obj: SchemaObject, tokens: Token[], targetEnd: number, end: number, range: Range): { sql: string; objects: SchemaObject[]; streams: SchemaObject[] } | null {
  if (!hasTz(obj)) return null;
  const list = columnList(tokens, targetEnd);
  // `INSERT INTO t (SELECT …)` has no column list: a '(' opening a query is the source.
  const isQuery = list && isWord(tokens[targetEnd + 1], 'SELECT', 'WITH');
  const names = list && !isQuery ? list.names : obj.columns.map((c) => c.name);
  const source = range(list && !isQuery ? list.end : targetEnd, end);
  const items = names.map((n, k) => (obj.columns.find((c) => c.name === n)?.type === 'TIMESTAMP_TZ' ? `SF_TZ("__SF_C${k}")` : `"__SF_C${k}"`));
  const aliases = names.map((_, k) => `"__SF_C${k}"`).join(', ');
  return {
    sql: `${duckName(obj)} (${names.map(quote).join(', ')}) SELECT ${items.join(', ')} FROM (${source.sql}) AS "__SF_SRC"(${aliases})`,
    objects: source.objects,
    streams: source.streams,
  };
}

/** MERGE's `INSERT [(cols)] VALUES (…)` at tokens[at] (the INSERT word): SQL and end, or null to translate as is. */
export function tzMergeInsert(obj: SchemaObject | undefined, tokens: Token[], at: number, range: Range): { sql: string; end: number } | null {
  if (!obj || !hasTz(obj) || !isWord(tokens[at - 1], 'THEN')) return null;
  const list = columnList(tokens, at + 1);
  const valuesAt = list ? list.end : at + 1;
  if (!isWord(tokens[valuesAt], 'VALUES') || !isOp(tokens[valuesAt + 1], '(')) return null;
  const names = list ? list.names : obj.columns.map((c) => c.name);
  const close = matchParen(tokens, valuesAt + 1);
  const items: string[] = [];
  let depth = 0;
  let from = valuesAt + 2;
  for (let k = valuesAt + 2; k <= close; k++) {
    if (isOp(tokens[k], '(')) depth++;
    else if (isOp(tokens[k], ')') && k < close) depth--;
    else if (k === close || (depth === 0 && isOp(tokens[k], ','))) {
      const sql = range(from, k).sql;
      const column = obj.columns.find((c) => c.name === names[items.length]);
      items.push(column?.type === 'TIMESTAMP_TZ' ? `SF_TZ(${sql})` : sql);
      from = k + 1;
    }
  }
  return { sql: `INSERT (${names.map(quote).join(', ')}) VALUES (${items.join(', ')})`, end: close + 1 };
}

/** The value of `col = <value>` in a SET list, from tokens[at] (after '='): its end (',' or clause at that depth). */
export function assignmentEnd(tokens: Token[], at: number, end: number): number {
  let depth = 0;
  for (let k = at; k < end; k++) {
    if (isOp(tokens[k], '(')) depth++;
    else if (isOp(tokens[k], ')')) { if (depth-- === 0) return k; }
    else if (depth === 0 && (isOp(tokens[k], ',') || isWord(tokens[k], 'WHERE', 'FROM', 'WHEN'))) return k;
  }
  return end;
}

/** Whether the assignment target just before tokens[at] ('=') is a TIMESTAMP_TZ column of the statement's target. */
export function assignsTz(obj: SchemaObject | undefined, tokens: Token[], at: number): boolean {
  const target = tokens[at - 1];
  return !!obj && !!target && isIdent(target) && obj.columns.find((c) => c.name === identValue(target))?.type === 'TIMESTAMP_TZ';
}
